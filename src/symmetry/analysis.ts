/**
 * The symmetry analysis end to end: verify a declared layer symmetry of a loss exactly (refusing
 * it, with the failed identity, when it does not hold), give the EoM_K law of the quantity it
 * governs in closed form (closedForm.ts), and compare gradient descent, gradient flow and EoM_K
 * on that quantity (simulate/quantityFlows.ts).
 *
 * @example
 *   const a = analyseSymmetry({ loss: 'logsumexp(z1, z2) - z1', symmetry: { kind: 'translation', group: ['z1', 'z2'] }, weightDecay: 'lambda', order: 6 });
 *   a.closedForm?.text // "d(1·θ_A)/dt = −(λ + ½ηλ² + ⅓η²λ³ + …)(1·θ_A)"
 */
import { Loss, type LossOptions } from '../loss/loss.js';
import { LossError } from '../loss/errors.js';
import { symmetryRefusal, verifySymmetry, type Symmetry, type SymmetryVerdict } from '../loss/symmetry.js';
import { gradientDescent, type UpdateRule } from '../derive/updateRule.js';
import { CounterTermSolver } from '../derive/solver.js';
import { simulationProblem } from '../simulate/problem.js';
import { compareQuantity, groupSum, normSquared, type QuantityComparison } from '../simulate/quantityFlows.js';
import { symmetryClosedForm, type SymmetryClosedForm } from './closedForm.js';

export interface SymmetryAnalysisSpec extends LossOptions {
  readonly loss: string;
  /** The declared symmetry; without a group it acts on every parameter. */
  readonly symmetry: { readonly kind: Symmetry['kind']; readonly group?: readonly string[] };
  /** EoM_K: counter terms ξ_0 … ξ_K in the closed form and the comparison (default 1). */
  readonly order?: number;
  readonly rule?: UpdateRule;
  /** Run GD, GF and EoM_0 … EoM_K from `init` over `horizon` for each η. */
  readonly comparison?: {
    readonly init: Readonly<Record<string, number>>;
    readonly lrs: readonly number[];
    readonly horizon: number;
    /** Values of constants still symbolic (e.g. lambda). */
    readonly constants?: Readonly<Record<string, number>>;
  };
  readonly onProgress?: (fraction: number, label: string) => void;
}

export interface SymmetryAnalysis {
  readonly verdict: SymmetryVerdict;
  readonly symmetry: Symmetry;
  readonly order: number;
  /** The quantity's EoM_K law, exact; undefined with a note when no closed form applies. */
  readonly closedForm?: SymmetryClosedForm;
  readonly closedFormNote?: string;
  readonly comparison?: QuantityComparison;
}

export function analyseSymmetry(spec: SymmetryAnalysisSpec): SymmetryAnalysis {
  const order = spec.order ?? 1;
  const rule = spec.rule ?? gradientDescent;
  const { weightDecay, symmetry: _s, order: _o, rule: _r, comparison: _c, onProgress: _p, loss: _l, ...lossOptions } = spec;
  const loss0 = Loss.parse(spec.loss, spec).withoutWeightDecay();
  const symmetry: Symmetry = { kind: spec.symmetry.kind, group: spec.symmetry.group ?? loss0.vars };
  const verdict = verifySymmetry(loss0, symmetry);
  if (!verdict.holds) throw new LossError(symmetryRefusal(symmetry, verdict));
  const series = new CounterTermSolver(rule).solveThrough(Math.max(order, 0));
  const closed = symmetryClosedForm(symmetry, loss0.vars, series, order, weightDecay);
  let comparison: QuantityComparison | undefined;
  if (spec.comparison) {
    const c = spec.comparison;
    const problem = simulationProblem({
      ...lossOptions,
      ...(weightDecay !== undefined ? { weightDecay } : {}),
      loss: spec.loss,
      init: c.init,
      maxOrder: Math.max(order, 0),
      rule,
      series,
      ...(c.constants ? { constants: c.constants } : {}),
    });
    const quantity = symmetry.kind === 'scale' ? normSquared(problem.vars, symmetry.group) : groupSum(problem.vars, symmetry.group);
    comparison = compareQuantity(problem, quantity, {
      lrs: c.lrs,
      horizon: c.horizon,
      orders: Array.from({ length: order + 1 }, (_, k) => k),
      ...(spec.onProgress ? { onProgress: spec.onProgress } : {}),
    });
  }
  return {
    verdict,
    symmetry,
    order,
    ...('form' in closed ? { closedForm: closed.form } : { closedFormNote: closed.note }),
    ...(comparison ? { comparison } : {}),
  };
}
