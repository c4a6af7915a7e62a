/**
 * SGD's counter terms from the engine (coloured trees, src/derive/sgd.ts and batchPatterns.ts)
 * against independent truth:
 * - the exact epoch-map oracle (test/helpers/sgdEpochOracle.ts, no code shared with src/): the
 *   closed forms of `batchLossCounterTerms` for 3 polynomial batch losses in 2 parameters, ξ_0…ξ_3,
 *   both samplings; and the abstract series with m symbolic, ξ_0…ξ_3, evaluated on concrete batch
 *   losses by summing its labelled elementary differentials over the labels (m = 2, 3, 4);
 * - published values: random reshuffling ξ_0 = (1/(2m)) Σ_k H_k g_k (Smith, Dherin, Barrett & De,
 *   "On the Origin of Implicit Regularization in Stochastic Gradient Descent", ICLR 2021, whose
 *   modified loss is L + η/(4m) Σ_k ‖∇L_k‖²); cyclic adds (1/(2m)) Σ_{j<k} (H_j g_k − H_k g_j)
 *   (derived by hand in test/sgd-oracle.test.ts);
 * - gradient descent: m = 1 is GD, and identical batches collapse every pattern onto GD's tree
 *   (the labels can be chosen in C(m, p) increasing or m!/(m−p)! distinct ways), for m = 1…8.
 */
import { describe, expect, it } from 'vitest';
import { sgdPatternSeries } from '../src/derive/batchPatterns.js';
import { sgdRule } from '../src/derive/sgd.js';
import { CounterTermSolver, solveCounterTerms } from '../src/derive/solver.js';
import { batchLossCounterTerms } from '../src/loss/counterTerms.js';
import { ElementaryDifferentials } from '../src/loss/concrete.js';
import { Loss } from '../src/loss/loss.js';
import { Poly } from '../src/algebra/poly.js';
import { Rational, rational, type Fraction, type FractionField } from '../src/series/fraction.js';
import { evaluateSymbols } from '../src/series/symbols.js';
import { treeOfLevelSequence } from '../src/trees/canonical.js';
import { defaultTreeStore, TreeStore } from '../src/trees/store.js';
import { sgdEpochOracle, type CanonicalPoly, type OraclePolynomial } from './helpers/sgdEpochOracle.js';

/** Three non-convex polynomial batch losses in (x, y), as oracle terms and as loss strings. */
const BATCHES: OraclePolynomial[] = [
  [
    { coef: [1n, 1n], exps: [4, 0] },
    { coef: [-1n, 1n], exps: [2, 0] },
    { coef: [1n, 2n], exps: [1, 1] },
  ],
  [
    { coef: [1n, 1n], exps: [0, 2] },
    { coef: [-2n, 3n], exps: [1, 0] },
    { coef: [1n, 3n], exps: [2, 1] },
  ],
  [
    { coef: [1n, 4n], exps: [0, 4] },
    { coef: [1n, 1n], exps: [1, 1] },
    { coef: [3n, 2n], exps: [0, 1] },
  ],
];

function lossText(p: OraclePolynomial): string {
  return p.map((t) => `(${t.coef[0]}/${t.coef[1]})*x^${t.exps[0]}*y^${t.exps[1]}`).join(' + ');
}

/** A normal form of a polynomial loss as the oracle's canonical map (exponents of x, y → "p/q"). */
function canonical(p: Poly, loss: Loss): CanonicalPoly {
  const out: CanonicalPoly = new Map();
  for (const t of p.terms()) {
    const exps = loss.varIds.map((id) => t.mono.exponentOf(id));
    expect(t.mono.atoms.every((a) => loss.varIds.includes(a))).toBe(true);
    out.set(exps.join(','), Rational.toString(t.coef));
  }
  return out;
}

const sorted = (m: CanonicalPoly) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

describe('closed forms for batch losses against the exact epoch-map oracle', () => {
  for (const sampling of ['cyclic', 'shuffle'] as const) {
    it(`${sampling}: ξ_0…ξ_3 of 3 batches in 2 parameters agree exactly`, () => {
      const r = batchLossCounterTerms(BATCHES.map(lossText), { order: 3, sampling, vars: ['x', 'y'] });
      const oracle = sgdEpochOracle(BATCHES, { sampling, order: 3 });
      expect(r.xi).toHaveLength(4);
      r.xi.forEach((xik, k) => xik.forEach((c, i) => expect(sorted(canonical(c, r.loss))).toEqual(sorted(oracle.xi[k]![i]!))));
      expect(Poly.one.sub(r.leading).isZero()).toBe(true);
    });
  }

  it('cyclic depends on the order of the batches, shuffle does not', () => {
    const perm = [2, 0, 1];
    const permuted = perm.map((k) => lossText(BATCHES[k]!));
    for (const sampling of ['cyclic', 'shuffle'] as const) {
      const a = batchLossCounterTerms(BATCHES.map(lossText), { order: 1, sampling, vars: ['x', 'y'] });
      const b = batchLossCounterTerms(permuted, { order: 1, sampling, vars: ['x', 'y'] });
      const same = a.xi.every((xik, k) => xik.every((c, i) => c.sub(b.xi[k]![i]!).isZero()));
      expect(same).toBe(sampling === 'shuffle');
    }
  });
});

/** Value of a coefficient of the symbolic-m series at m. */
function atM(c: Fraction<unknown>, field: FractionField<unknown>, m: number): Rational {
  const ring = field.ring;
  const at = new Map([['m', rational(m)]]);
  return Rational.div(evaluateSymbols(ring, c.num, at), evaluateSymbols(ring, c.den, at));
}

/** Every injective labelling of p pattern colours by batches 0..m−1 (increasing only, for cyclic). */
function labellings(p: number, m: number, increasing: boolean): number[][] {
  const out: number[][] = [];
  const pick = (acc: number[]) => {
    if (acc.length === p) return void out.push([...acc]);
    for (let b = increasing && acc.length ? acc[acc.length - 1]! + 1 : 0; b < m; b++) if (!acc.includes(b)) pick([...acc, b]);
  };
  pick([]);
  return out;
}

describe('the abstract series with m symbolic', () => {
  it('random reshuffling: ξ_0 = 1/(2m) Σ_k H_k g_k (Smith et al., ICLR 2021), nothing else', () => {
    const s = sgdPatternSeries(0, 'shuffle');
    const terms = s.xi[0]!.terms();
    expect(terms).toHaveLength(1);
    expect(terms[0]!.tree.levelSequence).toEqual([1, 2]);
    expect(terms[0]!.tree.colourSequence).toEqual([0, 0]);
    for (const m of [1, 2, 5, 10]) expect(Rational.toString(atM(terms[0]!.coefficient, s.field, m))).toBe(Rational.toString(rational(1, 2 * m)));
  });

  it('cyclic: ξ_0 = 1/(2m) Σ_k H_k g_k + 1/(2m) Σ_{j<k} (H_j g_k − H_k g_j)', () => {
    const s = sgdPatternSeries(0, 'cyclic');
    const got = new Map(s.xi[0]!.terms().map((t) => [t.tree.colourSequence.join(''), Rational.toString(atM(t.coefficient, s.field, 7))]));
    // colour sequences (root, child): 00 = H_k g_k, 01 = H_j g_k (j < k), 10 = H_k g_j (j < k)
    expect(got).toEqual(new Map([['00', '1/14'], ['01', '1/14'], ['10', '-1/14']]));
  });

  for (const sampling of ['cyclic', 'shuffle'] as const) {
    it(`${sampling}: identical batches collapse onto gradient descent's ξ_0…ξ_3 for m = 1…8`, () => {
      const s = sgdPatternSeries(3, sampling);
      const gd = solveCounterTerms(3);
      for (let m = 1; m <= 8; m++) {
        s.xi.forEach((series, k) => {
          const byShape = new Map<string, Rational>();
          for (const t of series.terms()) {
            const p = new Set(t.tree.colourSequence).size;
            const count = labellings(p, m, sampling === 'cyclic').length;
            const key = treeOfLevelSequence(t.tree.levelSequence).id.toString();
            byShape.set(key, Rational.add(byShape.get(key) ?? Rational.zero, Rational.mul(atM(t.coefficient, s.field, m), rational(count))));
          }
          for (const t of defaultTreeStore.ofOrder(k + 2)) {
            const want = gd[k]!.coefficient(t);
            expect(Rational.toString(byShape.get(String(t.id)) ?? Rational.zero), `m=${m} k=${k} [${t.levelSequence}]`).toBe(Rational.toString(want));
          }
        });
      }
    });

    it(`${sampling}: summed over labels on 3 (and 2, 4) batch losses, it is the oracle's ξ_0…ξ_3`, () => {
      const s = sgdPatternSeries(3, sampling);
      for (const m of [2, 3, 4]) {
        const batches = [...BATCHES, [{ coef: [1n, 1n], exps: [2, 2] }] as OraclePolynomial].slice(0, m);
        const K = m === 4 ? 2 : 3;
        const oracle = sgdEpochOracle(batches, { sampling, order: K });
        const mean = Loss.parse(`(${batches.map((b) => `(${lossText(b)})`).join(' + ')})/${m}`, { vars: ['x', 'y'] });
        const losses = batches.map((b) => Loss.parse(lossText(b), { vars: ['x', 'y'], table: mean.table, partial: true }));
        const store = new TreeStore({ colours: m });
        const F = new ElementaryDifferentials(mean, losses);
        for (let k = 0; k <= K; k++) {
          const parts: Poly[][] = [[], []];
          for (const t of s.xi[k]!.terms()) {
            const p = new Set(t.tree.colourSequence).size;
            const c = atM(t.coefficient, s.field, m);
            for (const labels of labellings(p, m, sampling === 'cyclic')) {
              const tree = treeOfLevelSequence(t.tree.levelSequence, store, t.tree.colourSequence.map((col) => labels[col]!));
              F.of(tree, store).forEach((v, i) => parts[i]!.push(v.scale(c)));
            }
          }
          parts.forEach((ps, i) => expect(sorted(canonical(Poly.sum(ps), mean)), `m=${m} ξ_${k}[${i}]`).toEqual(sorted(oracle.xi[k]![i]!)));
        }
      }
    });
  }

  it('m given equals m symbolic evaluated at m, with patterns needing more labels than batches dropped', () => {
    for (const sampling of ['cyclic', 'shuffle'] as const) {
      const sym = sgdPatternSeries(2, sampling);
      const two = sgdPatternSeries(2, sampling, 2);
      sym.xi.forEach((series, k) => {
        const expected = series
          .terms()
          .filter((t) => new Set(t.tree.colourSequence).size <= 2)
          .map((t) => [t.tree.id, Rational.toString(atM(t.coefficient, sym.field, 2))]);
        const got = two.xi[k]!.terms().map((t) => [t.tree.id, two.field.toString(t.coefficient)]);
        expect(got).toEqual(expected);
      });
    }
  });
});

describe('the SGD rule in the solver', () => {
  it('names and describes the rule by its sampling', () => {
    expect(sgdRule(3, 'cyclic')).toMatchObject({ name: 'sgd', batches: { count: 3, sampling: 'cyclic' }, stepsPerUpdate: 3 });
    expect(sgdRule(3, 'cyclic').description).toBe('SGD, 3 batches in a fixed order per epoch: θ ← θ − η∇L_k(θ), k = 1, …, 3');
    expect(sgdRule(3, 'shuffle').description).toBe('SGD with random reshuffling, 3 batches in a fresh random order per epoch: θ ← θ − η∇L_k(θ)');
  });

  it('one batch is gradient descent, term for term, through ξ_5', () => {
    for (const sampling of ['cyclic', 'shuffle'] as const) {
      const one = new CounterTermSolver(sgdRule(1, sampling));
      expect(one.solveThrough(5).map(String)).toEqual(solveCounterTerms(5).map(String));
      expect(Rational.toString(one.leading)).toBe('1');
    }
  });

  it('refuses a batch count out of range and an unknown sampling', () => {
    expect(() => sgdRule(0, 'cyclic')).toThrow(/positive integer/);
    expect(() => sgdRule(13, 'cyclic')).toThrow(/at most 12/);
    expect(sgdRule(12, 'cyclic').stages).toHaveLength(12); // the limit itself is allowed
    expect(() => sgdRule(2, 'random' as 'cyclic')).toThrow(/cyclic or shuffle/);
    expect(() => sgdPatternSeries(4, 'shuffle')).toThrow(/order 3/);
    expect(() => sgdPatternSeries(-1, 'shuffle')).toThrow(/non-negative integer/);
    expect(() => sgdPatternSeries(0.5, 'shuffle')).toThrow(/non-negative integer/);
    expect(() => sgdPatternSeries(1, 'shuffle', 0)).toThrow(/positive integer/);
    expect(() => sgdPatternSeries(1, 'shuffle', 1.5)).toThrow(/positive integer/);
    expect(sgdPatternSeries(0, 'shuffle', 1).xi[0]!.size).toBe(1);
  });

  it('a rule whose batches get unequal weight is refused (its leading term is not a multiple of g)', () => {
    const r = sgdRule(2, 'cyclic');
    expect(() => new CounterTermSolver({ ...r, weights: [Rational.one, rational(2)] })).toThrow(/same total weight/);
    expect(() => new CounterTermSolver({ ...r, stages: r.stages.map((s) => ({ ...s, batch: 2 })) })).toThrow(/name a batch 0..1/);
  });
});
