/**
 * An example of checking derivations in your own test suite with eomkit/testing (quoted in
 * docs/tutorials/checking-derivations.md; eomkit's own suite runs it, so it stays true).
 */
import { expect, test } from 'vitest';
import { counterTerms, eomMatchers, runDerivation, parseDerivation } from 'eomkit/testing';
import { simulationProblem, validate } from 'eomkit';

expect.extend(eomMatchers);

const loss = 'log(1 + exp(-x*y)) + 0.1*(x^2 + y^2)^2';

test('GD follows the implicit gradient regulariser: ξ_0 = ¼∇‖g‖² (Barrett & Dherin 2021)', () => {
  expect(counterTerms(loss, 0)).toSatisfyIdentity('xi0 - 1/4*grad(norm2(g))');
});

test('the published ξ_1, for every loss (Miyagawa 2022)', () => {
  expect(counterTerms('abstract', 1)).toSatisfyIdentity('xi1 - (1/3*H^2*g + 1/12*D(g, g))');
});

test('a wrong claim is caught', () => {
  expect(counterTerms(loss, 0)).not.toSatisfyIdentity('xi0 - 1/3*H*g');
});

test('with weight decay λ the quadratic closed form holds at every order asked', () => {
  expect(counterTerms('a*x^2/2', 4, { vars: ['x'], weightDecay: 'lambda' })).toSatisfyIdentity('xi(k) - H^(k+1)*g/(k+2)', { for: { k: [0, 4] } });
});

test('EoM_1 beats GD’s discretization error at the predicted orders', () => {
  const problem = simulationProblem({ loss, init: { x: 1, y: 0.5 }, maxOrder: 2 });
  expect(validate(problem, { order: 1, lrs: [0.1, 0.05, 0.025], horizon: 1 })).toHaveConvergenceOrders();
});

test('a derivation stated as data', () => {
  const derivation = parseDerivation(
    {
      name: 'my-regulariser',
      source: 'derived here',
      inputs: { loss, vars: ['x', 'y'] },
      claims: [{ kind: 'symbolic', name: 'ξ_0 = ½Hg', expression: 'xi(0) - 1/2*H*g' }],
    },
    'inline',
  );
  expect(runDerivation(derivation)).toHoldAllClaims();
});
