/**
 * The recurrence parser (src/derive/recurrenceParser.ts): what a written-out update becomes as data
 * (3.1), against the coefficients read off the text by hand, and every refusal with its exact message.
 */
import { describe, expect, it } from 'vitest';
import { Rational, rational, type Fraction } from '../src/series/fraction.js';
import { evaluateSymbols, ringSymbols } from '../src/series/symbols.js';
import { MAX_LAG, MAX_RECURRENCE_LENGTH, parseRecurrence } from '../src/derive/recurrenceParser.js';
import type { UpdateRule } from '../src/derive/updateRule.js';

const r = (n: number, d = 1) => rational(n, d);
const s = (xs: readonly Rational[]) => xs.map((x) => Rational.toString(x));
const shape = (rule: UpdateRule<unknown>) => {
  const e = rule as UpdateRule;
  return { history: s(e.history), stages: e.stages.map((st) => [s(st.iterates), s(st.gradients)]), weights: s(e.weights) };
};
const parse = (rhs: string, given: ReadonlyMap<string, Rational | undefined> = new Map()) => shape(parseRecurrence(`theta[n+1] = ${rhs}`, given));
const refuses = (text: string, message: string, given: ReadonlyMap<string, Rational | undefined> = new Map()) =>
  expect(() => parseRecurrence(text, given)).toThrow(new RangeError(`--update: ${message}`));
const refusesRhs = (rhs: string, message: string) => refuses(`theta[n+1] = ${rhs}`, message);
const GD = 'theta[n] - eta*grad(theta[n])';
const AT_N = [['1'], []];

describe('parseRecurrence: coefficients', () => {
  it('gradient descent, heavy ball and the look-ahead form', () => {
    expect(parse(GD)).toEqual({ history: ['1'], stages: [AT_N], weights: ['1'] });
    const hb = parseRecurrence('theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1])', new Map([['beta', r(9, 10)]]));
    // a = (1 + β, −β), b = (1), at β = 9/10.
    expect(shape(hb)).toEqual({ history: ['19/10', '-9/10'], stages: [AT_N], weights: ['1'] });
    expect([hb.name, hb.description, [...hb.params]]).toEqual(['recurrence', 'the recurrence theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1])', [['beta', '9/10']]]);
    // y_n = θ_n + β(θ_n − θ_{n−1}) inside the gradient, β = 1/4: iterates (5/4, −1/4).
    expect(parse('(theta[n] + 1/4*(theta[n] - theta[n-1])) - eta*grad(theta[n] + 1/4*(theta[n] - theta[n-1]))')).toEqual({
      history: ['5/4', '-1/4'],
      stages: [[['5/4', '-1/4'], []]],
      weights: ['1'],
    });
  });

  it('a symbolic parameter stays a symbol of the ring; whitespace is collapsed in the description', () => {
    const rule = parseRecurrence('theta[n+1]  =  theta[n]   - eta*grad(theta[n])\t + beta*(theta[n] - theta[n-1])  ');
    expect(ringSymbols(rule.ring)).toEqual(['beta']);
    expect([...rule.params]).toEqual([['beta', 'beta']]);
    expect(rule.description).toBe('the recurrence theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1])');
    const at = (x: Fraction<unknown>) => Rational.toString(Rational.div(evaluateSymbols(rule.ring, x.num, new Map([['beta', r(1, 3)]])), evaluateSymbols(rule.ring, x.den, new Map([['beta', r(1, 3)]]))));
    expect(rule.history.map(at)).toEqual(['4/3', '-1/3']);
  });

  it('nested gradients become stages; the same point is one stage; weights of inner-only gradients are 0', () => {
    // Extragradient: Y_0 = θ_n, Y_1 = θ_n − η g(Y_0); θ_{n+1} = θ_n − η g(Y_1).
    expect(parse('theta[n] - eta*grad(theta[n] - eta*grad(theta[n]))')).toEqual({ history: ['1'], stages: [AT_N, [['1'], ['1']]], weights: ['0', '1'] });
    // Heun, with the gradient at θ_n written twice: still two stages, b = (1/2, 1/2).
    expect(parse('theta[n] - eta/2*grad(theta[n]) - eta/2*grad(theta[n] - eta*grad(theta[n]))')).toEqual({
      history: ['1'],
      stages: [AT_N, [['1'], ['1']]],
      weights: ['1/2', '1/2'],
    });
    // A stage reading only a later-registered gradient gets zeros before it; iterates with gaps too.
    expect(parse('theta[n] - eta*grad(theta[n-2] - 2*eta*grad(theta[n-1]))')).toEqual({
      history: ['1'],
      stages: [[['0', '1'], []], [['0', '0', '1'], ['2']]],
      weights: ['0', '1'],
    });
  });

  it('numbers, signs, products, quotients and powers', () => {
    // Exact decimals, unary minus and plus, η divided and multiplied by numbers and parameters.
    expect(parse('1.5*theta[n] - 0.5*theta[n-1] + -eta*grad(theta[n])')).toEqual({ history: ['3/2', '-1/2'], stages: [AT_N], weights: ['1'] });
    expect(parse('+theta[n] - (eta*3)/4*grad(theta[n])')).toEqual({ history: ['1'], stages: [AT_N], weights: ['3/4'] });
    expect(parse('theta[n] - eta*(grad(theta[n])/2 + grad(theta[n-1])/2)')).toEqual({ history: ['1'], stages: [AT_N, [['0', '1'], []]], weights: ['1/2', '1/2'] });
    expect(parse('theta[n] - grad(theta[n])*eta*b^2 - (1 - b^2)*eta*grad(theta[n])', new Map([['b', r(1, 2)]]))).toEqual({ history: ['1'], stages: [AT_N], weights: ['1'] });
    expect(parse('(1 + b^2)*theta[n] - b^2*theta[n-1] - eta*grad(theta[n])', new Map([['b', r(1, 2)]]))).toEqual({ history: ['5/4', '-1/4'], stages: [AT_N], weights: ['1'] });
    expect(parse('(1 + 2^0)/2*theta[n] - 2^16/65536*eta*grad(theta[n])')).toEqual({ history: ['1'], stages: [AT_N], weights: ['1'] });
    // Unary minus of iterates and gradients; distinct stages of the same shape stay distinct.
    expect(parse('theta[n] + -(eta*grad(theta[n]))')).toEqual({ history: ['1'], stages: [AT_N], weights: ['1'] });
    expect(parse('theta[n] - eta/2*grad(theta[n-1]) - eta/2*grad(2*theta[n] - theta[n-1])')).toEqual({
      history: ['1'],
      stages: [[['0', '1'], []], [['2', '-1'], []]],
      weights: ['1/2', '1/2'],
    });
    expect(parse('theta[n] - eta/2*grad(theta[n] - eta*grad(theta[n])) - eta/2*grad(theta[n] - 2*eta*grad(theta[n]))')).toEqual({
      history: ['1'],
      stages: [AT_N, [['1'], ['1']], [['1'], ['2']]],
      weights: ['0', '1/2', '1/2'],
    });
    // Terms that cancel leave no coefficient behind.
    expect(parse('theta[n] + theta[n-3] - theta[n-3] - eta*grad(theta[n])')).toEqual({ history: ['1'], stages: [AT_N], weights: ['1'] });
    expect(parse('theta[n] + 0*theta[n-16] - eta*grad(theta[n])')).toEqual({ history: ['1'], stages: [AT_N], weights: ['1'] });
  });

  it('accepts the longest recurrence and names of 32 characters', () => {
    const text = `theta[n+1] = ${GD}`;
    expect(() => parseRecurrence(text.padEnd(MAX_RECURRENCE_LENGTH))).not.toThrow();
    expect(MAX_RECURRENCE_LENGTH).toBe(2000);
    expect(MAX_LAG).toBe(16);
    const name = `b${'x'.repeat(31)}`;
    expect([...parseRecurrence(`theta[n+1] = ${GD} + ${name}*(theta[n] - theta[n-1])`, new Map([[name, r(1, 2)]])).params]).toEqual([[name, '1/2']]);
  });
});

describe('parseRecurrence: refusals', () => {
  it('refuses text that is too long or does not parse', () => {
    refuses(`theta[n+1] = ${GD}`.padEnd(MAX_RECURRENCE_LENGTH + 1), 'the recurrence is longer than 2000 characters');
    expect(() => parseRecurrence('theta[n+1] = (theta[n]')).toThrow(SyntaxError);
    expect(() => parseRecurrence('theta[n+1] = (theta[n]')).toThrow(/^--update: \S/);
  });

  it('refuses parameter names outside ASCII identifiers and --param values for absent names', () => {
    const long = `b${'x'.repeat(32)}`;
    refuses(`theta[n+1] = ${GD} + ${long}*(theta[n] - theta[n-1])`, `"${long}" is not a parameter name (ASCII letters, digits and _, starting with a letter)`);
    refuses(`theta[n+1] = ${GD} + β*(theta[n] - theta[n-1])`, '"β" is not a parameter name (ASCII letters, digits and _, starting with a letter)');
    refuses(`theta[n+1] = ${GD} + _b*(theta[n] - theta[n-1])`, '"_b" is not a parameter name (ASCII letters, digits and _, starting with a letter)');
    expect(() => parseRecurrence(`theta[n+1] = ${GD}`, new Map([['gamma', r(1, 2)]]))).toThrow(
      new RangeError('--param gamma: the recurrence has no parameter "gamma" (its parameters: none)'),
    );
    expect(() => parseRecurrence(`theta[n+1] = ${GD} + b*(theta[n] - theta[n-1]) + c*(theta[n-1] - theta[n-2])`, new Map([['gamma', r(1, 2)]]))).toThrow(
      new RangeError('--param gamma: the recurrence has no parameter "gamma" (its parameters: b, c)'),
    );
  });

  it('refuses a left side other than theta[n+1]', () => {
    refuses(GD, 'write the recurrence as theta[n+1] = …');
    refuses(`x[n+1] = ${GD}`, 'write the recurrence as theta[n+1] = …');
    refuses(`theta = ${GD}`, 'write the recurrence as theta[n+1] = …');
    refuses('theta[n+1]', 'write the recurrence as theta[n+1] = …');
    // A property named theta is not theta.
    refuses(`x.theta[n+1] = ${GD}`, 'write the recurrence as theta[n+1] = …');
    refuses(`theta[n] = ${GD}`, 'the left side must be theta[n+1]');
    refuses(`theta[n+1, 1] = ${GD}`, 'the left side must be theta[n+1]');
  });

  it('refuses symbols and indices out of place', () => {
    refusesRhs(`${GD} + theta - theta`, 'theta needs an index: theta[n], theta[n-1], …');
    refusesRhs(`${GD} + n*theta[n] - n*theta[n]`, 'n may only appear in an index, theta[n-j]');
    refusesRhs(`${GD} + grad - grad`, 'grad is a function: grad(theta[n])');
    refusesRhs(`${GD} + b[n] - b[n]`, 'b[n]: only theta[…] may be indexed');
    refusesRhs(`${GD} + theta[n, 1] - theta[n, 1]`, 'theta[n, 1]: only theta[…] may be indexed');
    refusesRhs(`${GD} + x.theta[n] - x.theta[n]`, 'x.theta[n]: only theta[…] may be indexed');
    refusesRhs(`${GD} + theta[2*n] - theta[2*n]`, 'theta[2*n]: write theta[n+1], theta[n] or theta[n-j]');
    refusesRhs(`${GD} + theta[n-17] - theta[n-17]`, 'theta[n-17] looks back more than 16 steps');
    refusesRhs(`${GD} + theta[2*n-1] - theta[2*n-1]`, 'theta[2*n-1]: write theta[n+1], theta[n] or theta[n-j]');
    refusesRhs(`${GD} + theta[n-1*2] - theta[n-1*2]`, 'theta[n-1*2]: write theta[n+1], theta[n] or theta[n-j]');
    refusesRhs(`theta[n+1] - ${GD}`, 'theta[n+1] appears on both sides; the recurrence must be explicit');
  });

  it('refuses functions other than grad, and grad of anything but one combination of iterates', () => {
    refusesRhs('theta[n] - eta*grad(sin(theta[n]))', 'sin(…) is not allowed; only grad(…) of a linear combination of iterates');
    refusesRhs('theta[n] - eta*grad(theta[n], theta[n-1])', 'grad takes one argument');
    refusesRhs('theta[n] - eta*grad(1)', 'grad(1): the gradient must be taken at a combination of iterates');
    refusesRhs('theta[n] - eta*grad(theta[n+1])', 'theta[n+1] inside grad(…) makes the recurrence implicit');
    refusesRhs('theta[n] - eta*grad(theta[n] + eta*theta[n-1] - eta*theta[n-2])', 'grad(theta[n] + eta * theta[n - 1] - eta * theta[n - 2]): eta may only multiply a gradient');
    refusesRhs('theta[n] - eta*grad(theta[n] - grad(theta[n]))', 'grad(theta[n] - grad(theta[n])): each gradient inside grad(…) must be multiplied by eta exactly once');
    refusesRhs('theta[n] - eta*grad(theta[n] - eta^2*grad(theta[n]))', 'eta ^ 2: only parameters may be raised to a small integer power');
    refusesRhs('theta[n] - eta*grad(theta[n] - eta*eta*grad(theta[n]))', 'grad(theta[n] - eta * eta * grad(theta[n])): each gradient inside grad(…) must be multiplied by eta exactly once');
  });

  it('refuses η anywhere but once in front of a gradient', () => {
    refusesRhs('theta[n] - grad(theta[n])', 'each gradient must be multiplied by eta exactly once (eta*grad(…))');
    refusesRhs('theta[n] - eta*eta*grad(theta[n])', 'each gradient must be multiplied by eta exactly once (eta*grad(…))');
    refusesRhs('theta[n] - eta*theta[n-1] + eta*theta[n-2] - eta*grad(theta[n])', 'eta may only multiply a gradient, e.g. eta*grad(theta[n])');
    refusesRhs('theta[n] - (eta + 1)*grad(theta[n])', 'eta may only multiply a gradient, e.g. eta*grad(theta[n])');
    refusesRhs('theta[n] - (1 - eta)*grad(theta[n])', 'eta may only multiply a gradient, e.g. eta*grad(theta[n])');
    refusesRhs('theta[n] - eta*grad(theta[n]) + grad(theta[n])', 'eta may only multiply a gradient, once');
    refusesRhs('theta[n] - eta*grad(theta[n]) - grad(theta[n])', 'eta may only multiply a gradient, once');
    refusesRhs('theta[n] - grad(theta[n])/eta', 'grad(theta[n]) / eta: divide only by numbers and parameters');
  });

  it('refuses non-linear and non-affine right sides', () => {
    refusesRhs('1', 'the right side must combine iterates and gradients');
    refusesRhs(`${GD} + 1`, 'a constant added to iterates or gradients; every term must be a multiple of theta[n-j] or of eta*grad(…)');
    refusesRhs(`1 + ${GD}`, 'a constant added to iterates or gradients; every term must be a multiple of theta[n-j] or of eta*grad(…)');
    refusesRhs(`${GD} + theta[n]*theta[n-1]`, 'theta[n] * theta[n - 1] multiplies iterates or gradients together; the recurrence must be linear in them');
    refusesRhs(`${GD} + theta[n]/theta[n-1]`, 'theta[n] / theta[n - 1]: divide only by numbers and parameters');
    refusesRhs(`${GD} + theta[n]/(1 - 1)`, 'theta[n] / (1 - 1) divides by zero');
    refusesRhs(`${GD} + theta[n]^2`, 'theta[n] ^ 2: only parameters may be raised to a small integer power');
    refusesRhs(`${GD} + 2^17*theta[n] - 2^17*theta[n]`, '2 ^ 17: only parameters may be raised to a small integer power');
    refusesRhs(`${GD} + 2^0.5*theta[n]`, '2 ^ 0.5: only parameters may be raised to a small integer power');
    refusesRhs(`${GD} + 2^(-1)*theta[n]`, '2 ^ (-1): only parameters may be raised to a small integer power');
    refusesRhs(`${GD} + 2^b*theta[n]`, '2 ^ b: only parameters may be raised to a small integer power');
    refusesRhs(`${GD} + theta[n] mod 2`, 'the operator mod is not allowed');
    refusesRhs(`${GD} + [1, 2]`, '[1, 2] is not allowed in a recurrence');
    refusesRhs(`${GD} + true*theta[n]`, 'true is not a number');
    refusesRhs(`${GD} + null*theta[n]`, 'null is not a number');
    refusesRhs(`${GD} + theta[n]!`, 'the operator ! is not allowed');
    refusesRhs(`theta[n] - eta*a.b(theta[n])`, 'a.b(…) is not allowed; only grad(…) of a linear combination of iterates');
    refusesRhs(`${GD} + "2"*theta[n]`, '"2" is not a number');
  });

  it('refuses rules that are not consistent or not stable', () => {
    expect(() => parseRecurrence(`theta[n+1] = 2*${GD}`)).toThrow(/^update rule "recurrence": the coefficients of θ_n, θ_\{n−1\}, … in θ_\{n\+1\} must add up to 1, they add up to 2$/);
    // θ_{n+1} = 3θ_n − 2θ_{n−1} − ηg: ρ(ζ) = ζ² − 3ζ + 2 = (ζ − 1)(ζ − 2).
    refusesRhs('3*theta[n] - 2*theta[n-1] - eta*grad(theta[n])', 'a root of the characteristic polynomial other than 1 lies on or outside the unit circle, so the iterates do not settle on one flow');
    // θ_{n+1} = θ_{n−1} − ηg: a = (0, 1), ρ(ζ) = ζ² − 1, parasitic root −1 on the circle.
    refusesRhs('theta[n-1] - eta*grad(theta[n])', 'a root of the characteristic polynomial other than 1 lies on or outside the unit circle, so the iterates do not settle on one flow');
    // With β symbolic the stability check waits for a value.
    expect(() => parseRecurrence('theta[n+1] = (1 + b)*theta[n] - b*theta[n-1] - eta*grad(theta[n])')).not.toThrow();
  });
});
