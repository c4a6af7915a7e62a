/**
 * Numeric evaluation of the symmetry closed forms (derive/symmetryRates.ts) for a concrete loss.
 * A scalar invariant ⟨F(τa), F(τb)⟩ is the dot product of two compiled elementary differentials
 * (structured.ts, one compiled function per distinct tree). The invariants are those of L, not of
 * L_λ = L + λ/2‖θ‖²: λ enters only through the closed form's powers, so the loss must be parsed
 * WITHOUT weight decay.
 *
 * @example
 *   const loss = Loss.parse('softplus(-(x - 2*y)/sqrt(x^2 + y^2))');
 *   const rate = compileScaleNormRate(loss, scaleNormRate(solveCounterTerms(2), 2));
 *   rate(new Float64Array([0.3, -1.2]), 0.1, 0.01) // d‖θ‖²/dt of EoM_2 at η = 0.1, λ = 0.01
 */
import type { FreeTreeInvariant } from '../derive/freeTrees.js';
import type { ScaleNormRate } from '../derive/symmetryRates.js';
import type { Loss } from '../loss/loss.js';
import { Rational, rationalToNumber } from '../series/fraction.js';
import { TreeSeries } from '../series/treeSeries.js';
import type { TreeStore } from '../trees/store.js';
import type { VectorFunction } from './compile.js';
import { compileTreeCounterTerms } from './structured.js';

/** (θ, η, λ) ↦ the closed form's value. */
export type RateFunction = (theta: ArrayLike<number>, eta: number, lambda: number) => number;

/** Compiled F(τ) for a set of trees, evaluated once per θ and shared by every invariant. */
class TreeVectors {
  private readonly index = new Map<number, number>();
  private readonly fns: VectorFunction[];

  constructor(loss: Loss, treeIds: Iterable<number>, store: TreeStore, constants: Readonly<Record<string, number>>) {
    const series: TreeSeries<Rational>[] = [];
    for (const id of treeIds) {
      if (this.index.has(id)) continue;
      this.index.set(id, series.length);
      series.push(TreeSeries.fromEntries(Rational, [[id, Rational.one]], store));
    }
    this.fns = series.length ? [...compileTreeCounterTerms(loss, series, constants).xi] : [];
  }

  /** F(τ)(θ) for every tree, by tree id. */
  evaluate(theta: ArrayLike<number>): (id: number) => Float64Array {
    const values = this.fns.map((f) => f(theta));
    return (id) => values[this.index.get(id)!]!;
  }
}

function checkNoWeightDecay(loss: Loss): void {
  if (loss.weightDecay !== undefined) {
    throw new RangeError(
      `the invariants are those of L, not of L + λ/2‖θ‖²: parse the loss without weight decay (got weight decay ${loss.weightDecay}) and pass λ to the compiled function`,
    );
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * One invariant ⟨F(left), F(right)⟩ of L as a function of θ.
 *
 * @example
 *   const f = compileInvariant(Loss.parse('x^2 + x*y'), invariantOfCut(defaultTreeStore.leaf, defaultTreeStore.leaf));
 *   f(new Float64Array([1, 2])) // ‖g‖² = (2x + y)² + x² = 17
 */
export function compileInvariant(
  loss: Loss,
  invariant: FreeTreeInvariant,
  store: TreeStore,
  constants: Readonly<Record<string, number>> = {},
): (theta: ArrayLike<number>) => number {
  checkNoWeightDecay(loss);
  const vectors = new TreeVectors(loss, [invariant.left.id, invariant.right.id], store, constants);
  return (theta) => {
    const F = vectors.evaluate(theta);
    return dot(F(invariant.left.id), F(invariant.right.id));
  };
}

/**
 * The closed form of d‖θ‖²/dt (from `scaleNormRate`) for a concrete loss L (without weight decay),
 * as (θ, η, λ) ↦ Σ c η^e λ^l (‖θ‖² or ⟨F(τa), F(τb)⟩(θ)).
 *
 * @example
 *   const f = compileScaleNormRate(Loss.parse('x/sqrt(x^2 + y^2)'), scaleNormRate(solveCounterTerms(0), 0));
 *   f(new Float64Array([1, 1]), 0.1, 0.01) // −(2λ + ηλ²)‖θ‖² + η‖g‖²
 */
export function compileScaleNormRate(
  loss: Loss,
  rate: ScaleNormRate<Rational>,
  constants: Readonly<Record<string, number>> = {},
): RateFunction {
  checkNoWeightDecay(loss);
  const ids: number[] = [];
  for (const t of rate.terms) if (t.factor !== 'normSquared') ids.push(t.factor.left.id, t.factor.right.id);
  const vectors = new TreeVectors(loss, ids, rate.store, constants);
  const terms = rate.terms.map((t) => ({
    c: rationalToNumber(t.coefficient),
    e: t.etaPower,
    l: t.lambdaPower,
    factor: t.factor === 'normSquared' ? undefined : ([t.factor.left.id, t.factor.right.id] as const),
  }));
  return (theta, eta, lambda) => {
    const F = vectors.evaluate(theta);
    let norm2 = 0;
    for (let i = 0; i < theta.length; i++) norm2 += theta[i]! * theta[i]!;
    let sum = 0;
    for (const t of terms) {
      const value = t.factor === undefined ? norm2 : dot(F(t.factor[0]), F(t.factor[1]));
      sum += t.c * eta ** t.e * lambda ** t.l * value;
    }
    return sum;
  };
}
