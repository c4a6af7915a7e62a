/**
 * Claims on SGD inputs (src/check/batchInputs.ts): the batch quantities gb, Hb, Lb, Db and m,
 * their errors, and derivation files that must fail — a wrong law, a wrong sampling, a perturbed
 * engine — or hold whatever the order of the batches.
 *
 * Independent truths: derivatives of small polynomials by hand (written next to each value);
 * Smith et al.'s ξ_0 = 1/(2m) Σ_k H_k g_k for random reshuffling (ICLR 2021) and cyclic SGD's
 * extra term 1/(2m) Σ_{j<k} (H_j g_k − H_k g_j), derived by hand in derivations/sgd-cyclic-first-order.json;
 * GD's ξ_0 = ½Hg (Miyagawa, NeurIPS 2022).
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import {
  ClaimError,
  CounterTermSource,
  MAX_SGD_CLAIM_ORDER,
  batchRule,
  batchSemantics,
  evaluateClaim,
  loadDerivations,
  parseClaimExpression,
  runDerivation,
  type BatchInputs,
  type Derivation,
} from '../src/index.js';
import { rational } from '../src/series/fraction.js';
import { repoRoot } from './helpers/cli.js';

const semantics = (inputs: BatchInputs) => batchSemantics(inputs, new CounterTermSource(batchRule(inputs), undefined, undefined, MAX_SGD_CLAIM_ORDER));
const holds = (inputs: BatchInputs, expression: string) => {
  const sem = semantics(inputs);
  return sem.isZero(evaluateClaim(parseClaimExpression(expression), sem, {})).zero;
};
const claimError = (inputs: BatchInputs, expression: string): string => {
  const sem = semantics(inputs);
  try {
    evaluateClaim(parseClaimExpression(expression), sem, {});
  } catch (e) {
    expect(e).toBeInstanceOf(ClaimError);
    return (e as Error).message;
  }
  throw new Error(`${expression} evaluated`);
};

// L_1 = x²y, L_2 = xy³: L = (x²y + xy³)/2.
const TWO: BatchInputs = { batches: ['x^2*y', 'x*y^3'], sampling: 'shuffle', vars: ['x', 'y'] };

describe('batch quantities in claims', () => {
  test.each([
    ['m', 'm - 2'],
    ['Lb(1) = L_1', 'Lb(1) - x^2*y'],
    ['Lb(2) = L_2', 'Lb(2) - x*y^3'],
    ['gb(1) = ∇(x²y) = (2xy, x²)', 'gb(1) - 2*x*y*grad(x) - x^2*grad(y)'],
    ['gb(2) = ∇(xy³) = (y³, 3xy²)', 'gb(2) - y^3*grad(x) - 3*x*y^2*grad(y)'],
    ['Hb(2) = [[0, 3y²], [3y², 6xy]] applied to e_x and e_y', 'Hb(2)*grad(x) - 3*y^2*grad(y) + Hb(2)*grad(y) - 3*y^2*grad(x) - 6*x*y*grad(y)'],
    ['Hb(1)·Hb(1) is an operator like H·H: H_1² e_x = H_1 (2y, 2x) = (4y², 4xy) + (4x², 0)', 'Hb(1)^2*grad(x) - (4*y^2 + 4*x^2)*grad(x) - 4*x*y*grad(y)'],
    ['Db(1, e_x, e_x) = ∂_x² ∇(x²y) = (0, 2)', 'Db(1, grad(x), grad(x)) - 2*grad(y)'],
    ['Db(2, e_y) = H_2 e_y = (3y², 6xy)', 'Db(2, grad(y)) - 3*y^2*grad(x) - 6*x*y*grad(y)'],
    ['Db(2, e_y, e_y, e_y) = ∂_y³ ∇(xy³) = (6, 0)', 'Db(2, grad(y), grad(y), grad(y)) - 6*grad(x)'],
    ['g, H, L are the mean\'s', 'L - (Lb(1) + Lb(2))/m + norm2(g - (gb(1) + gb(2))/2) + norm2(H*theta - (Hb(1) + Hb(2))*theta/2)'],
    ['ξ_0 = 1/(2m) Σ_k H_k g_k (Smith et al.)', 'xi(0) - 1/(2*m)*(Hb(1)*gb(1) + Hb(2)*gb(2))'],
  ])('%s', (_what, expression) => {
    expect(holds(TWO, expression)).toBe(true);
  });

  test('a wrong value is not zero: Smith et al.\'s law with 1/(2m) for 1/(4m), GD\'s ½Hg, the other batch', () => {
    expect(holds(TWO, 'xi(0) - 1/(2*m)*grad(norm2(gb(1)) + norm2(gb(2)))')).toBe(false);
    expect(holds(TWO, 'xi(0) - 1/2*H*g')).toBe(false);
    expect(holds(TWO, 'gb(1) - 2*x*y*grad(x) - x^2*grad(y) + gb(2) - gb(1)')).toBe(false);
    expect(holds({ ...TWO, sampling: 'cyclic' }, 'xi(0) - 1/(2*m)*(Hb(1)*gb(1) + Hb(2)*gb(2))')).toBe(false);
    // Cyclic adds 1/(2m) (H_1 g_2 − H_2 g_1).
    expect(holds({ ...TWO, sampling: 'cyclic' }, 'xi(0) - 1/(2*m)*(Hb(1)*gb(1) + Hb(2)*gb(2) + Hb(1)*gb(2) - Hb(2)*gb(1))')).toBe(true);
  });

  test('weight decay λ/2‖θ‖² is in every L_k and in L; g0, L0 are the mean without it', () => {
    const decayed: BatchInputs = { ...TWO, weightDecay: 'lambda' };
    expect(holds(decayed, 'gb(1) - 2*x*y*grad(x) - x^2*grad(y) - lambda*theta')).toBe(true);
    expect(holds(decayed, 'Lb(2) - x*y^3 - lambda/2*norm2(theta)')).toBe(true);
    expect(holds(decayed, 'g - g0 - lambda*theta')).toBe(true);
    expect(holds(decayed, 'L - L0 - lambda/2*norm2(theta)')).toBe(true);
    expect(holds(decayed, 'xi(0) - 1/(4*m)*grad(norm2(gb(1)) + norm2(gb(2)))')).toBe(true);
  });

  test('a batch index out of range, not an integer or missing, and Db without a vector, are claim errors', () => {
    expect(claimError(TWO, 'gb(0)')).toBe('gb(k) needs a batch index from 1 to m = 2, got 0');
    expect(claimError(TWO, 'Hb(3)*g')).toBe('Hb(k) needs a batch index from 1 to m = 2, got 3');
    expect(claimError(TWO, 'Lb(1/2)')).toBe('the batch index k of Lb(k) must be an integer');
    expect(claimError(TWO, 'gb(g)')).toBe('the batch index k of gb(k) must be an integer');
    expect(claimError(TWO, 'gb()')).toBe('gb(k, …) needs the batch index k');
    expect(claimError(TWO, 'gb(1, 2)')).toBe('gb(…) takes 1 argument, got 2');
    expect(claimError(TWO, 'Db(1)')).toBe('Db(k, v1, …, vj) needs at least one vector after the batch index');
    expect(claimError(TWO, 'Db(1, 2)')).toBe('argument 2 of Db must be a vector, got a scalar');
    expect(claimError(TWO, 'xi(5)')).toMatch(/ξ_5 is beyond the order 4/);
  });

  test('a loop over the batch index runs every batch, and a loop variable may not be m', () => {
    const base = { file: 'mem.json', name: 'mem', title: 'mem', source: 'by hand', inputs: TWO } as const;
    const ok = runDerivation({ ...base, claims: [{ kind: 'symbolic', name: 'c', expression: 'Hb(k)*gb(k) - 1/2*grad(norm2(gb(k)))', for: { k: [1, 2] } }] });
    expect(ok.results[0]).toMatchObject({ passed: true, cases: 2 });
    const beyond = runDerivation({ ...base, claims: [{ kind: 'symbolic', name: 'c', expression: 'gb(k) - gb(k)', for: { k: [1, 3] } }] });
    expect(beyond.results[0]!.detail).toBe('error: gb(k) needs a batch index from 1 to m = 2, got 3');
    const m = runDerivation({ ...base, claims: [{ kind: 'symbolic', name: 'c', expression: 'gb(m) - gb(m)', for: { m: [1, 2] } }] });
    expect(m.results[0]!.detail).toMatch(/the loop variable "m" is already a name in concrete claims/);
  });

  test('a batch loss naming a parameter or constant m, or one that does not parse, is refused with the file', () => {
    const base = { file: 'mem.json', name: 'mem', title: 'mem', source: 'by hand', claims: [{ kind: 'symbolic', name: 'c', expression: 'g' }] } as const;
    expect(() => runDerivation({ ...base, inputs: { batches: ['m^2', 'x^2'], sampling: 'shuffle' } })).toThrow(/^mem\.json: inputs: "m" is the number of batches in SGD claims; rename it in the batch losses$/);
    expect(() => runDerivation({ ...base, inputs: { batches: ['m*x^2', 'x^2'], sampling: 'shuffle', vars: ['x'] } })).toThrow(/"m" is the number of batches/);
    expect(() => runDerivation({ ...base, inputs: { batches: ['x^2', 'x^'], sampling: 'shuffle' } })).toThrow(/^mem\.json: inputs: batch 2: cannot parse/);
    expect(() => runDerivation({ ...base, inputs: { batches: ['eta*x^2', 'x^2'], sampling: 'shuffle' } })).toThrow(/"eta" is the learning rate in claims/);
  });

  test('without batches the batch names are unknown', () => {
    const r = runDerivation({ file: 'mem.json', name: 'mem', title: 'mem', source: 'by hand', inputs: { loss: 'x^2' }, claims: [{ kind: 'symbolic', name: 'c', expression: 'gb(1)' }, { kind: 'symbolic', name: 'm', expression: 'm' }] });
    expect(r.results[0]!.detail).toMatch(/^error: unknown function "gb"/);
    expect(r.results[1]!.detail).toMatch(/^error: unknown name "m"/);
  });
});

describe('derivations on SGD inputs', () => {
  const shipped = loadDerivations([join(repoRoot, 'derivations')]);
  const named = (name: string): Derivation => shipped.find((d) => d.name === name)!;

  test('random reshuffling: the shuffle file holds for every order of its batches, cyclic sampling breaks it', () => {
    const d = named('sgd-shuffle-symmetric');
    const inputs = d.inputs as BatchInputs;
    const [a, b, c] = inputs.batches;
    for (const order of [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]]) {
      const r = runDerivation({ ...d, inputs: { ...inputs, batches: order as string[] } });
      for (const x of r.results) expect(x.passed, `${order.join('; ')}: ${x.name}: ${x.detail}`).toBe(true);
    }
    const cyclic = runDerivation({ ...d, inputs: { ...inputs, sampling: 'cyclic' } });
    expect(cyclic.results.map((x) => x.passed)).toEqual([false, false]);
  }, 120_000);

  test('the cyclic law fails under random reshuffling, and Smith et al.\'s law fails with the wrong factor', () => {
    const cyclic = named('sgd-cyclic-first-order');
    const asShuffle = runDerivation({ ...cyclic, inputs: { ...(cyclic.inputs as BatchInputs), sampling: 'shuffle' } });
    // ξ_0's two closed forms read the engine; the extra term's own curl does not.
    expect(asShuffle.results.map((x) => x.passed)).toEqual([false, false, true]);
    const smith = named('sgd-smith-first-order');
    const wrong = runDerivation({
      ...smith,
      claims: [{ kind: 'symbolic', name: 'η/(2m) instead of η/(4m)', expression: 'xi(0) - 1/(2*m)*grad(norm2(gb(1)) + norm2(gb(2)) + norm2(gb(3)))' }],
    });
    expect(wrong.passed).toBe(false);
    expect(wrong.results[0]!.detail).toMatch(/≠ 0; residual component x: /);
  });

  test('the one-batch file fails when its batch is split in two: SGD over two halves is not GD', () => {
    const d = named('sgd-one-batch');
    const [whole] = (d.inputs as BatchInputs).batches;
    // L_1 = L_2 = the whole loss would still be GD; halves that differ are not.
    const split = runDerivation({ ...d, inputs: { ...(d.inputs as BatchInputs), batches: [`2*(${whole}) - x^2`, 'x^2'] } });
    const byName = new Map(split.results.map((x) => [x.name, x.passed]));
    expect(byName.get('ξ_0 = ½ H g')).toBe(false);
    expect(byName.get('m = 1')).toBe(false);
  });

  test('m symbolic as a rational: 1/(2*m) is exact', () => {
    const sem = semantics(TWO);
    const v = evaluateClaim(parseClaimExpression('1/(2*m) - 1/4'), sem, { k: rational(1) });
    expect(sem.isZero(v).zero).toBe(true);
  });
});
