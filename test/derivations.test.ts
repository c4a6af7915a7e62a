/**
 * Every shipped derivation holds, and every claim notices a broken engine: perturbing one
 * coefficient of the engine's ξ_k (the chain tree's, which every claim involves) or breaking the
 * loss's symmetry must make it fail. The claims' expected values name their sources in the files.
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { isBatchInputs, loadDerivations, runDerivation, type Claim, type Derivation } from '../src/check/index.js';
import { Rational, rational } from '../src/series/fraction.js';
import { TreeSeries } from '../src/series/treeSeries.js';
import { repoRoot } from './helpers/cli.js';

const derivations = loadDerivations([join(repoRoot, 'derivations')]);

/** ξ_k with the coefficient of its chain tree H^{k+1}g moved by 1/10 (in the series' own field: rationals or Q(β)). */
const perturbChain = <C>(xi: TreeSeries<C>[]) =>
  xi.map((s, k) => {
    const chain = s.store.ofOrder(k + 2)[0]!;
    const tenth = s.field.div(s.field.one, s.field.fromInteger(10));
    return TreeSeries.fromEntries(s.field, [...s.terms().map((t) => [t.tree, t.coefficient] as const), [chain, tenth] as const], s.store);
  });

/** c moved by 1/10. */
const perturbLeading = <C>(c: C, field: { add(a: C, b: C): C; div(a: C, b: C): C; one: C; fromInteger(n: number): C }) => field.add(c, field.div(field.one, field.fromInteger(10)));

/** ξ_k (k ≥ 1) with the coefficient of its bushiest tree [•, …, •] (root with k + 1 leaves) moved by 1/10. */
const perturbBush = (xi: TreeSeries<Rational>[]) =>
  xi.map((s, k) => {
    if (k === 0) return s;
    const trees = s.store.ofOrder(k + 2);
    const bush = trees.find((t) => t.children.length === k + 1)!;
    return TreeSeries.fromEntries(Rational, [...s.terms().map((t) => [t.tree, t.coefficient] as const), [bush, rational(1, 10)] as const], s.store);
  });

/** The claim with every loop collapsed to its last case: a perturbation must be seen there too, so the loop really runs to its end. */
function lastCase(c: Claim): Claim {
  if (c.kind !== 'symbolic' || !c.for) return c;
  return { ...c, for: Object.fromEntries(Object.entries(c.for).map(([k, [, to]]) => [k, [to, to] as const])) };
}

/** Claims that read the counter terms: ξ_k, the EoM's field beyond gradient flow, rates, numeric comparisons. */
function readsCounterTerms(c: Claim): boolean {
  if (c.kind === 'numeric') return true;
  return /\bxi\d?\b|\brate(Coefficient)?\(|field\((?!-1\))/.test(c.expression);
}

/** Claims that read a symmetry's closed form (derived from ξ by the contraction of derive/symmetryRates). */
function readsClosedForm(c: Claim): boolean {
  if (c.kind === 'numeric') return c.check === 'closed-form';
  return /\brate(Coefficient)?\(/.test(c.expression);
}

/**
 * Claims comparing a closed form with the loss's own EoM field: both sides move together when ξ
 * changes, so they check the contraction, and fail when only the closed form's ξ is perturbed.
 */
function comparesClosedFormWithField(c: Claim): boolean {
  if (c.kind === 'numeric') return c.check === 'closed-form';
  return /\brate\(/.test(c.expression) && /\bfield\(/.test(c.expression);
}

describe('derivations/', () => {
  test('there are derivations for each shipped topic', () => {
    const names = derivations.map((d) => d.name);
    for (const n of [
      'published-xi0-xi1', 'implicit-regulariser', 'quadratic-loss', 'quadratic-loss-2d', 'translation-weight-decay', 'scale-weight-decay',
      'heavy-ball-published', 'heavy-ball-quadratic', 'heavy-ball-zero-momentum', 'nesterov-zero-momentum', 'nesterov-lookahead-zero-momentum',
      'nesterov-xi0', 'nesterov-lookahead-xi0', 'nesterov-quadratic', 'nesterov-lookahead-quadratic', 'rk4-order-conditions', 'rk4-quadratic',
      'sgd-smith-first-order', 'sgd-one-batch', 'sgd-shuffle-symmetric', 'sgd-identical-batches', 'sgd-cyclic-first-order',
      'adam-first-correction', 'rmsprop-first-correction', 'adam-sign-regime',
    ]) {
      expect(names).toContain(n);
    }
  });

  describe.each(derivations.map((d) => [d.name, d] as [string, Derivation]))('%s', (_name, d) => {
    test('every claim holds', () => {
      const r = runDerivation(d);
      for (const c of r.results) expect(c.passed, `${c.name}: ${c.detail}`).toBe(true);
      expect(r.results.length).toBeGreaterThanOrEqual(d.claims.length);
    }, 300_000);

    test('every claim that reads ξ fails when a coefficient of ξ_k is perturbed', () => {
      const reading = d.claims.filter((c) => readsCounterTerms(c) && !comparesClosedFormWithField(c)).map(lastCase);
      if (!reading.length) return;
      const r = runDerivation({ ...d, claims: reading }, { transform: perturbChain });
      for (const c of reading) {
        const result = r.results.find((x) => x.name === c.name)!;
        expect(result.passed, `${c.name} still passes with a perturbed engine: ${result.detail}`).toBe(false);
      }
    }, 300_000);

    test('every claim that reads the leading factor c fails when c is perturbed', () => {
      const reading = d.claims.filter((c) => c.kind === 'symbolic' && /\bleading\b/.test(c.expression)).map(lastCase);
      if (!reading.length) return;
      const r = runDerivation({ ...d, claims: reading }, { leadingTransform: perturbLeading });
      for (const c of reading) {
        const result = r.results.find((x) => x.name === c.name)!;
        expect(result.passed, `${c.name} still passes with a perturbed c: ${result.detail}`).toBe(false);
      }
    });
  });

  test('every claim that reads a closed form fails when the closed form sees a perturbed ξ_k', () => {
    for (const d of derivations) {
      const reading = d.claims.filter(readsClosedForm).map(lastCase);
      if (!reading.length) continue;
      const r = runDerivation({ ...d, claims: reading }, { closedFormTransform: perturbChain });
      for (const c of reading) {
        const result = r.results.find((x) => x.name === c.name)!;
        expect(result.passed, `${d.name}: ${c.name} still passes with a perturbed closed form: ${result.detail}`).toBe(false);
      }
    }
  }, 300_000);

  test('the published ξ_1 notices a wrong coefficient off the chain (its 1/12 ∇³L[g, g])', () => {
    const d = derivations.find((x) => x.name === 'published-xi0-xi1')!;
    const r = runDerivation(d, { transform: perturbBush });
    const xi1 = r.results.find((c) => c.name.startsWith('ξ_1'))!;
    expect(xi1.passed, xi1.detail).toBe(false);
    expect(r.results.find((c) => c.name.startsWith('ξ_0'))!.passed).toBe(true); // ξ_0 has no such tree
  });

  test('claims that do not read ξ (symmetry, GD and GF laws) fail when the symmetry is broken', () => {
    for (const d of derivations) {
      if (d.inputs.abstract === true || isBatchInputs(d.inputs) || !d.inputs.symmetry) continue;
      const broken: Derivation = {
        ...d,
        // A small term that breaks scale and translation invariance alike.
        inputs: { ...d.inputs, loss: `${d.inputs.loss} + ${d.inputs.symmetry.group[0]}^2/1000` },
        claims: d.claims.filter((c) => !readsCounterTerms(c)),
      };
      const r = runDerivation(broken);
      for (const c of r.results) expect(c.passed, `${d.name}: ${c.name} passes on a loss without the symmetry: ${c.detail}`).toBe(false);
      expect(r.results[0]!.kind).toBe('symmetry');
      expect(r.results[0]!.detail).toMatch(d.inputs.symmetry.kind === 'scale' ? /θ_A·∇L/ : /1_A·∇L/);
    }
  }, 300_000);
});
