/**
 * Where claims get their tree series ξ_0 … ξ_K: the solver for an update rule, solved once to the
 * highest order asked, optionally transformed (tests perturb a coefficient through `transform` to
 * show that every claim notices a broken engine).
 *
 * @example
 *   const src = new CounterTermSource(gradientDescent);
 *   src.through(1)[1] // ξ_1 = 1/3 H²g + 1/12 ∇³L[g, g]
 */
import { CounterTermSolver } from '../derive/solver.js';
import type { UpdateRule } from '../derive/updateRule.js';
import type { FractionField, Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { ClaimError } from './values.js';

export type SeriesTransform<C = Rational> = (xi: TreeSeries<C>[]) => TreeSeries<C>[];

/** A change of the leading factor c (tests break the engine with it). */
export type LeadingTransform = <C>(c: C, field: FractionField<unknown> & { add(a: C, b: C): C; div(a: C, b: C): C; one: C; fromInteger(n: number): C }) => C;

/** Highest order a claim may ask for (the engine's own limit is a heap estimate; claims stay fast). */
export const MAX_CLAIM_ORDER = 10;

export class CounterTermSource<C = Rational> {
  private solved: TreeSeries<C>[] = [];
  private closed: TreeSeries<C>[] = [];
  private readonly solver: CounterTermSolver<unknown>;

  /**
   * `transform` changes ξ for every use; `closedFormTransform` only for the symmetry closed forms
   * (so a claim comparing a closed form with the loss's own EoM field sees a broken contraction).
   */
  constructor(
    readonly rule: UpdateRule<unknown>,
    private readonly transform?: SeriesTransform<C>,
    private readonly closedFormTransform?: SeriesTransform<C>,
    /** Highest order these counter terms were asked for (`counterTerms(loss, order)`). */
    private readonly limit: number = MAX_CLAIM_ORDER,
    private readonly leadingTransform?: LeadingTransform,
  ) {
    this.solver = new CounterTermSolver(rule);
  }

  /** The coefficient field (rationals, or rational functions of symbolic hyperparameters). */
  get field(): FractionField<unknown> {
    return this.solver.field;
  }

  /** c of dθ/dt = −c·g − η Σ η^k ξ_k. */
  get leading(): C {
    const c = this.solver.leading as unknown as C;
    return this.leadingTransform ? this.leadingTransform(c, this.solver.field as never) : c;
  }

  /** ξ_0 … ξ_K (at least). */
  through(K: number): readonly TreeSeries<C>[] {
    if (K > MAX_CLAIM_ORDER) throw new ClaimError(`claims go up to order ${MAX_CLAIM_ORDER}, got ${K}`);
    if (K > this.limit) throw new ClaimError(`ξ_${K} is beyond the order ${this.limit} these counter terms were built for`);
    if (this.solved.length <= K) {
      const xi = this.solver.solveThrough(K) as unknown as TreeSeries<C>[];
      this.solved = this.transform ? this.transform(xi) : xi;
    }
    return this.solved;
  }

  /** ξ_0 … ξ_K as the closed forms of symmetries see them. */
  forClosedForms(K: number): readonly TreeSeries<C>[] {
    const xi = this.through(K);
    if (!this.closedFormTransform) return xi;
    if (this.closed.length <= K) this.closed = this.closedFormTransform([...xi]);
    return this.closed;
  }
}
