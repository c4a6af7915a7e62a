/**
 * Abstract semantics: vectors are exact tree series Σ c·F(τ), valid for every loss; scalars are
 * exact rationals, or rational functions of the rule's symbolic hyperparameters (which claims name,
 * e.g. beta; `leading` is c of dθ/dt = −c·g − η Σ η^k ξ_k). Names: g = F(•); H the Hessian (H·F(τ) = F([τ])); functions xi(k) and
 * D(v1, …, vm) = D^m g[v1, …, vm] = ∇^{m+1}L[·, v1, …, vm] (multilinear: F([τ1..τm]) on trees).
 *
 * With `assume: 'quadratic'` every ∇^{m+1}L with m ≥ 2 is zero: D(…) of two or more vectors
 * vanishes and series keep only their chain trees (H^k g).
 *
 * @example
 *   const sem = abstractSemantics(new CounterTermSource(gradientDescent));
 *   sem.isZero(evaluateClaim(parseClaimExpression('xi(0) - 1/2*H*g'), sem, {})).zero // true
 */
import type { Field } from '../series/field.js';
import type { Rational } from '../series/fraction.js';
import { TreeSeries } from '../series/treeSeries.js';
import { constantValue, symbolValue, ringSymbols } from '../series/symbols.js';
import { defaultTreeStore, type TreeStore } from '../trees/store.js';
import { seriesText } from '../notation/render.js';
import { MAX_CLAIM_ORDER, type CounterTermSource } from './counterTermSource.js';
import { ClaimError, expectInteger, expectVector, type ClaimFunction, type Semantics } from './values.js';


export type AbstractAssumption = 'quadratic';

export interface AbstractSemanticsOptions<S> {
  readonly assume?: AbstractAssumption;
  /** Extra functions (e.g. a symmetry's rate coefficients), by name. */
  readonly functions?: Readonly<Record<string, ClaimFunction<S, TreeSeries<S>>>>;
}

export function abstractSemantics<S = Rational>(source: CounterTermSource<S>, options: AbstractSemanticsOptions<S> = {}): Semantics<S, TreeSeries<S>> {
  type V = TreeSeries<S>;
  const store: TreeStore = defaultTreeStore;
  const fractions = source.field;
  const F = fractions as unknown as Field<S>;
  const ring = fractions.ring;
  const symbols = ringSymbols(ring);
  const fromRational = (r: Rational): S => F.div(F.fromInteger(r.num), F.fromInteger(r.den));
  const quadratic = options.assume === 'quadratic';
  const keep = (v: V): V => (quadratic ? TreeSeries.fromEntries(F, v.terms().filter((t) => isChain(store, t.tree.id)).map((t) => [t.tree, t.coefficient] as const), store) : v);
  const g: V = TreeSeries.fromEntries(F, [[store.leaf, F.one]], store);
  const hessian = (v: V): V =>
    TreeSeries.fromEntries(
      F,
      v.terms().map((t) => {
        withinOrder(t.tree.order + 1);
        return [store.idOf([t.tree.id]), t.coefficient] as const;
      }),
      store,
    );
  const extra = options.functions ?? {};
  const sem: Semantics<S, V> = {
    name: 'abstract',
    scalar: (r) => fromRational(r),
    integerOf: (s) => {
      const f = s as unknown as { num: unknown; den: unknown };
      const num = constantValue(ring, f.num);
      return constantValue(ring, f.den) === 1n && num !== undefined && num >= -(2n ** 31n) && num < 2n ** 31n ? Number(num) : undefined;
    },
    addScalars: (a, b) => F.add(a, b),
    mulScalars: (a, b) => F.mul(a, b),
    divScalars: (a, b) => {
      if (F.isZero(b)) throw new ClaimError('division by zero');
      return F.div(a, b);
    },
    powScalar: (a, r) => {
      if (r.den !== 1n) throw new ClaimError('abstract claims have integer powers only');
      let out = F.one;
      const n = r.num < 0n ? -r.num : r.num;
      for (let i = 0n; i < n; i++) out = F.mul(out, a);
      if (r.num < 0n) {
        if (F.isZero(out)) throw new ClaimError('division by zero');
        out = F.div(F.one, out);
      }
      return out;
    },
    addVectors: (a, b) => a.add(b),
    scaleVector: (s, v) => (F.isZero(s) ? TreeSeries.zero(F, store) : v.scale(s)),
    symbolNames: ['g', 'H', 'xi0…xi9', 'leading', ...symbols],
    functionNames: ['xi', 'D', ...Object.keys(extra)],
    symbol: (name) => {
      if (name === 'g') return { type: 'vector', value: g };
      if (name === 'leading') return { type: 'scalar', value: source.leading };
      if (symbols.includes(name)) return { type: 'scalar', value: { num: symbolValue(ring, name), den: ring.one } as unknown as S };
      if (name === 'H') return { type: 'operator', apply: (v) => keep(hessian(v)) };
      const xiK = /^xi(\d)$/.exec(name); // xi0 … xi9, short for xi(k)
      if (xiK) return sem.call('xi', [{ type: 'scalar', value: F.fromInteger(Number(xiK[1])) }]);
      return undefined;
    },
    call: (name, args) => {
      if (name === 'xi') {
        if (args.length !== 1) throw new ClaimError('xi(k) takes one argument, the order k');
        const k = expectInteger(sem, args[0]!, 'the order k of xi(k)');
        if (k < 0) throw new ClaimError(`xi(k) needs k ≥ 0, got ${k}`);
        return { type: 'vector', value: keep(source.through(k)[k]!) };
      }
      if (name === 'D') {
        if (args.length < 1) throw new ClaimError('D(v1, …, vm) needs at least one vector');
        const vs = args.map((a, i) => expectVector(a, `argument ${i + 1} of D`));
        if (quadratic && vs.length >= 2) return { type: 'vector', value: TreeSeries.zero(F, store) };
        return { type: 'vector', value: multilinear(F, store, vs) };
      }
      const f = Object.hasOwn(extra, name) ? extra[name] : undefined; // not "constructor", "toString", …
      return f ? f(args, sem) : undefined;
    },
    isZero: (value) => {
      if (value.type === 'operator') throw new ClaimError('a claim must be a scalar or a vector, not an operator');
      if (value.type === 'scalar') return F.isZero(value.value) ? { zero: true } : { zero: false, residual: F.toString(value.value) };
      return value.value.isZero() ? { zero: true } : { zero: false, residual: seriesText(value.value) };
    },
  };
  return sem;
}

/**
 * Largest tree a claim may build: two nodes beyond those of ξ_MAX_CLAIM_ORDER (H·H·ξ_10). The store
 * enumerates every tree of an order before handing out one, and their number grows exponentially
 * (32 973 trees of 14 nodes; H^64 g would never finish).
 */
const MAX_TREE_ORDER = MAX_CLAIM_ORDER + 4;

function withinOrder(order: number): void {
  if (order > MAX_TREE_ORDER) throw new ClaimError(`the claim builds trees with ${order} nodes; abstract claims stay within ${MAX_TREE_ORDER}`);
}

/** D^m g[v1, …, vm] on tree series: Σ over one term of each vi of Π c_i · F([τ1, …, τm]). */
function multilinear<S>(F: Field<S>, store: TreeStore, vs: readonly TreeSeries<S>[]): TreeSeries<S> {
  const largest = vs.map((v) => Math.max(0, ...v.terms().map((t) => t.tree.order)));
  withinOrder(1 + largest.reduce((a, b) => a + b, 0));
  let partial: { ids: number[]; c: S }[] = [{ ids: [], c: F.one }];
  for (const v of vs) {
    const next: { ids: number[]; c: S }[] = [];
    for (const p of partial) for (const t of v.terms()) next.push({ ids: [...p.ids, t.tree.id], c: F.mul(p.c, t.coefficient) });
    partial = next;
  }
  return TreeSeries.fromEntries(F, partial.map((p) => [store.idOf(p.ids), p.c] as const), store);
}

/** A chain (tall tree): every node has at most one child, so F = H^{n−1} g. */
function isChain(store: TreeStore, id: number): boolean {
  let t = store.get(id);
  for (;;) {
    if (t.children.length > 1) return false;
    if (t.children.length === 0) return true;
    t = store.get(t.children[0]!);
  }
}

