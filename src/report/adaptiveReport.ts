/**
 * Everything a report of RMSProp or Adam shows, computed once: the closed forms of c_i and
 * ξ_0 … ξ_K (src/adaptive, with where they hold), the optimiser in floating point from the
 * manifold start and from PyTorch's (m = v = 0, bias correction on) beside the flows of
 * dθ/dt = −g/(|g| + ε) (GF) and EoM_0 … EoM_K, the transient of PyTorch's start, the measured
 * error orders (adaptiveValidate) and the regime warning.
 *
 * @example
 *   const p = adaptiveProblem({ loss: 'x^4/4 - x^2/2 + x*y + y^2', init: { x: 0.5, y: 1 }, maxOrder: 2, rule });
 *   const data = adaptiveReportData(p, { order: 1, lr: 0.001, steps: 200, lrs: [0.002, 0.001, 0.0005, 0.00025], horizon: 0.2, start: 'manifold' });
 *   data.validation.results.map((r) => r.localSlope) // ≈ [2, 3, 4]
 */
import { adaptiveCounterTerms } from '../adaptive/counterTerms.js';
import type { LossOptions } from '../loss/loss.js';
import { PolyPrinter } from '../loss/print.js';
import { adaptiveRegimeWarning, AdaptiveStepper, type AdaptiveProblem, type AdaptiveStart } from '../simulate/adaptiveProblem.js';
import { adaptiveFlow, adaptiveValidate, restAgainstManifold, type AdaptiveTransient, type AdaptiveValidation } from '../simulate/adaptiveValidate.js';
import { DEFAULT_INTEGRATOR, type IntegratorSettings } from '../simulate/integrator.js';
import { namedLatex, type ReportLatex } from './reportData.js';

export interface AdaptiveReportOptions {
  /** Highest counter term K shown and integrated (EoM_0 … EoM_K); the validation needs ξ_{K+1}. */
  readonly order: number;
  /** Learning rate of the trajectories. */
  readonly lr: number;
  /** Optimiser steps of the trajectories. */
  readonly steps: number;
  /** Learning-rate ladder of the error orders. */
  readonly lrs: readonly number[];
  /** Horizon T of the global error. */
  readonly horizon: number;
  /** The start the error orders are measured from (both starts' trajectories are shown). */
  readonly start: AdaptiveStart;
  /** --vars, --set, --weight-decay of the loss, for its closed forms. */
  readonly lossOptions?: LossOptions;
  readonly integrator?: IntegratorSettings;
  readonly onProgress?: (label: string) => void;
}

export interface AdaptiveReportData {
  readonly lossSource: string;
  readonly vars: readonly string[];
  readonly init: readonly number[];
  readonly method: string;
  /** The hyperparameters as given (exact), e.g. [['beta1', '1/2'], …]. */
  readonly params: readonly (readonly [string, string])[];
  readonly options: Omit<AdaptiveReportOptions, 'onProgress' | 'integrator' | 'lossOptions'>;
  /** The loss and ξ_0 … ξ_K in LaTeX, c_i per parameter, and where the closed forms hold. */
  readonly closedForms: ReportLatex & { readonly leading: readonly { v: string; latex: string }[]; readonly validity: string };
  /** times[k] = kη, k = 0 … steps. */
  readonly times: number[];
  /** The optimiser's iterates from the manifold start and from PyTorch's start. */
  readonly manifold: Float64Array[];
  readonly rest: Float64Array[];
  /** GF (order −1) and EoM_0 … EoM_K from θ₀ at the times. */
  readonly flows: { readonly order: number; readonly states: Float64Array[] }[];
  /** PyTorch's start: its transient, and after it the largest distance to EoM_K (beside the manifold start's). */
  readonly transient: AdaptiveTransient;
  readonly afterTransient: { readonly rest: number; readonly manifold: number };
  readonly validation: AdaptiveValidation;
  readonly warnings: string[];
}

/** Highest order of an adaptive report (its validation compiles ξ_{K+1}). */
export const MAX_ADAPTIVE_REPORT_ORDER = 2;

/**
 * The regime warnings of the trajectories' η and of the ladder, each once.
 *
 * @example
 *   adaptiveReportWarnings(problem, 0.1, [0.1, 0.05]) // ['η = 0.1: η·|λ|max/(…) = 0.937 at θ0: …', 'η = 0.05: …']
 */
export function adaptiveReportWarnings(problem: AdaptiveProblem, lr: number, lrs: readonly number[]): string[] {
  return [...new Set([lr, ...lrs])].flatMap((eta) => {
    const w = adaptiveRegimeWarning(problem, eta);
    return w ? [`η = ${eta}: ${w}`] : [];
  });
}

/**
 * Compute the report (see the file comment).
 *
 * @example
 *   adaptiveReportData(problem, { order: 0, lr: 0.001, steps: 100, lrs: [0.002, 0.001], horizon: 0.1, start: 'rest' }).flows.length // 2: GF, EoM_0
 */
export function adaptiveReportData(problem: AdaptiveProblem, options: AdaptiveReportOptions): AdaptiveReportData {
  const { onProgress, integrator, lossOptions, ...settings } = options;
  const K = options.order;
  if (!Number.isInteger(K) || K < 0 || K > MAX_ADAPTIVE_REPORT_ORDER) throw new RangeError(`an adaptive report goes to order ${MAX_ADAPTIVE_REPORT_ORDER}, got ${K}`);
  if (K + 1 > problem.maxOrder) throw new RangeError(`a report of order ${K} needs ξ_${K + 1}; the problem has ${problem.maxOrder}`);
  const tight = { ...DEFAULT_INTEGRATOR, ...integrator };
  onProgress?.('closed forms');
  const ct = adaptiveCounterTerms(problem.loss.source, { ...lossOptions, order: K, rule: problem.rule });
  const printer = new PolyPrinter(ct.loss);
  const closedForms = {
    ...namedLatex(ct.loss, ct.xi),
    leading: ct.loss.vars.map((v, i) => ({ v, latex: printer.latexInline(ct.elementwise!.leading[i]!) })),
    validity: ct.elementwise!.validity,
  };
  onProgress?.('trajectories');
  const run = (start: AdaptiveStart) => {
    const s = new AdaptiveStepper(problem, options.lr, start);
    const traj = [s.theta];
    for (let k = 0; k < options.steps; k++) traj.push(s.step());
    return traj;
  };
  const manifold = run('manifold');
  const rest = run('rest');
  const flows = Array.from({ length: K + 2 }, (_, i) => i - 1).map((order) => ({ order, states: adaptiveFlow(problem, order, options.lr, problem.init, options.steps, tight) }));
  onProgress?.("PyTorch's start");
  const after = restAgainstManifold(problem, options.lr, K, options.steps, tight);
  onProgress?.('error orders');
  const validation = adaptiveValidate(problem, { order: K, lrs: options.lrs, horizon: options.horizon, start: options.start, integrator: tight });
  const warnings = adaptiveReportWarnings(problem, options.lr, options.lrs);
  return {
    lossSource: problem.loss.source,
    vars: problem.vars,
    init: Array.from(problem.init),
    method: problem.rule.spec.name,
    params: [...problem.rule.params].map(([k, v]) => [k, String(v)] as const),
    options: settings,
    closedForms,
    times: Array.from({ length: options.steps + 1 }, (_, k) => k * options.lr),
    manifold,
    rest,
    flows,
    transient: after.transient,
    afterTransient: { rest: after.rest, manifold: after.manifold },
    validation,
    warnings,
  };
}
