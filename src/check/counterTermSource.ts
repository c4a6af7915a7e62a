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
import type { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { OrderLimitError } from './values.js';

export type SeriesTransform = (xi: TreeSeries<Rational>[]) => TreeSeries<Rational>[];

/** Highest order a claim may ask for (the engine's own limit is a heap estimate; claims stay fast). */
export const MAX_CLAIM_ORDER = 10;

export class CounterTermSource {
  private solved: TreeSeries<Rational>[] = [];
  private closed: TreeSeries<Rational>[] = [];

  /**
   * `transform` changes ξ for every use; `closedFormTransform` only for the symmetry closed forms
   * (so a claim comparing a closed form with the loss's own EoM field sees a broken contraction).
   */
  constructor(
    readonly rule: UpdateRule,
    private readonly transform?: SeriesTransform,
    private readonly closedFormTransform?: SeriesTransform,
    /** Highest order these counter terms were asked for (`counterTerms(loss, order)`). */
    private readonly limit: number = MAX_CLAIM_ORDER,
  ) {}

  /** ξ_0 … ξ_K (at least). */
  through(K: number): readonly TreeSeries<Rational>[] {
    if (K > MAX_CLAIM_ORDER) throw new OrderLimitError(`claims go up to order ${MAX_CLAIM_ORDER}, got ${K}`);
    if (K > this.limit) throw new OrderLimitError(`ξ_${K} is beyond the order ${this.limit} these counter terms were built for`);
    if (this.solved.length <= K) {
      const xi = new CounterTermSolver(this.rule).solveThrough(K);
      this.solved = this.transform ? this.transform(xi) : xi;
    }
    return this.solved;
  }

  /** ξ_0 … ξ_K as the closed forms of symmetries see them. */
  forClosedForms(K: number): readonly TreeSeries<Rational>[] {
    const xi = this.through(K);
    if (!this.closedFormTransform) return xi;
    if (this.closed.length <= K) this.closed = this.closedFormTransform([...xi]);
    return this.closed;
  }
}
