/**
 * Everything an SGD report shows, computed once: the counter terms ξ_0 … ξ_K over labelled trees
 * (m symbolic) and, for batch losses written out, their closed forms; the seeded Monte-Carlo mean
 * of the iterates per epoch beside the GF and EoM_j flows at t = e·mη; and the one-epoch
 * validation of the local error orders (skipped, with the reason, for shuffle with m > 6).
 *
 * @example
 *   const p = sgdProblem({ batches: ['(x-1)^2', '(x+1)^2 + x^4'], sampling: 'shuffle', init: { x: 0.5 }, maxOrder: 2 });
 *   const data = sgdReportData(p, { order: 1, lr: 0.05, epochs: 10, runs: 200, seed: 0, lrs: [0.1, 0.05, 0.025],
 *     source: { kind: 'batches', batches: ['(x-1)^2', '(x+1)^2 + x^4'] }, closedForms: { loss: p.loss, batches: p.batches } });
 *   data.abstract[0].latex // '\\frac{1}{2 m} \\sum_{k} H_{k} g_{k}'
 */
import { sgdPatternSeries } from '../derive/batchPatterns.js';
import { sgdRule } from '../derive/sgd.js';
import { CounterTermSolver } from '../derive/solver.js';
import type { Loss } from '../loss/loss.js';
import { batchNotation } from '../notation/batchNotation.js';
import { seriesLatex } from '../notation/render.js';
import type { IntegratorSettings } from '../simulate/integrator.js';
import { sgdMonteCarlo, type SgdMonteCarloResult } from '../simulate/sgdMonteCarlo.js';
import type { SgdNumericProblem } from '../simulate/sgdProblem.js';
import { exactValidationRefusal, sgdEpochFlows, sgdOrderValidations, type SgdEpochFlow } from '../simulate/sgdRuns.js';
import type { SgdEpochValidation } from '../simulate/sgdValidate.js';
import { distance } from '../simulate/vectors.js';
import { closedFormLatex, type ReportLatex } from './reportData.js';

/** Where the batches come from, as the user gave them. */
export type SgdSource =
  | { readonly kind: 'batches'; readonly batches: readonly string[] }
  | { readonly kind: 'data'; readonly loss: string; readonly file: string; readonly rows: number; readonly batchSize: number };

export interface SgdReportOptions {
  /** Highest counter term K (≤ 2): flows EoM_0 … EoM_K. */
  readonly order: number;
  readonly lr: number;
  readonly epochs: number;
  /** Seeded runs of the Monte-Carlo mean (shuffle; cyclic runs are all the same). */
  readonly runs: number;
  readonly seed: number;
  /** Learning rates of the one-epoch validation. */
  readonly lrs: readonly number[];
  readonly source: SgdSource;
  /** The batch losses as expressions, for closed forms (left out when they would cost too much). */
  readonly closedForms?: { readonly loss: Loss; readonly batches: readonly Loss[] };
  readonly integrator?: IntegratorSettings;
  readonly onProgress?: (label: string) => void;
}

/** Highest order of an SGD report. */
export const MAX_SGD_REPORT_ORDER = 2;
/** Closed forms are shown when the labelled trees of ξ_K number at most this (m^(K+2)). */
export const MAX_CLOSED_FORM_TREES = 256;

export interface SgdReportData {
  readonly vars: readonly string[];
  readonly init: readonly number[];
  readonly batchCount: number;
  readonly sampling: SgdNumericProblem['sampling'];
  readonly options: Omit<SgdReportOptions, 'onProgress' | 'closedForms' | 'integrator'>;
  /** ξ_k over labelled trees with m symbolic, LaTeX. */
  readonly abstract: { readonly k: number; readonly latex: string }[];
  /** Closed forms for the batch losses, or why there are none. */
  readonly closedForms: ReportLatex | { readonly skipped: string };
  readonly monteCarlo: SgdMonteCarloResult;
  /** times[e] = e·mη */
  readonly times: number[];
  readonly flows: SgdEpochFlow[];
  readonly validation: { readonly results: SgdEpochValidation[]; readonly passed: boolean } | { readonly skipped: string };
  readonly warnings: string[];
}

/**
 * Compute the report (see the file comment): counter terms, Monte-Carlo means, flows, validation.
 *
 * @example
 *   sgdReportData(p, { order: 0, lr: 0.05, epochs: 5, runs: 100, seed: 1, lrs: [0.1, 0.05], source: { kind: 'batches', batches } }).flows.length // 2: GF, EoM_0
 */
export function sgdReportData(p: SgdNumericProblem, options: SgdReportOptions): SgdReportData {
  const { onProgress, closedForms: forms, integrator, ...settings } = options;
  const K = options.order;
  const m = p.batchCount;
  if (!Number.isInteger(K) || K < 0 || K > MAX_SGD_REPORT_ORDER) throw new RangeError(`an SGD report goes to order ${MAX_SGD_REPORT_ORDER}, got ${K}`);
  if (p.xi.length < K + 1) throw new RangeError(`an SGD report of order ${K} needs ξ_0 … ξ_${K}; the problem has ${p.xi.length}`);
  onProgress?.('counter terms');
  const series = sgdPatternSeries(K, p.sampling);
  const notation = batchNotation(series.labelSum);
  const abstract = series.xi.map((s, k) => ({ k, latex: seriesLatex(s, notation) }));
  const closedForms = closedFormsOf(forms, m, K, p.sampling);
  onProgress?.(`${options.runs} seeded SGD runs`);
  const monteCarlo = sgdMonteCarlo(p.gradients, p.init, options.lr, { sampling: p.sampling, runs: p.sampling === 'cyclic' ? 2 : options.runs, epochs: options.epochs, seed: options.seed });
  const flows = sgdEpochFlows(p, options.lr, options.epochs, K, integrator, (label) => onProgress?.(`flows: ${label}`));
  const refusal = exactValidationRefusal(p.sampling, m);
  let validation: SgdReportData['validation'];
  if (refusal) validation = { skipped: `${refusal}; the Monte-Carlo means above are the check for this many batches.` };
  else {
    const results = sgdOrderValidations(p, K, options.lrs, integrator, (label) => onProgress?.(`one epoch against ${label}`));
    validation = { results, passed: results.every((r) => r.passed) };
  }
  const warnings: string[] = [];
  const etaMax = Math.max(options.lr, ...(refusal ? [] : options.lrs));
  if (etaMax * p.curvature >= 1) warnings.push(`η·|λ|max = ${(etaMax * p.curvature).toPrecision(3)} ≥ 1 at θ0 for some batch (η = ${etaMax}): the series in η may not converge there`);
  return {
    vars: p.vars,
    init: Array.from(p.init),
    batchCount: m,
    sampling: p.sampling,
    options: settings,
    abstract,
    closedForms,
    monteCarlo,
    times: Array.from({ length: options.epochs + 1 }, (_, e) => e * m * options.lr),
    flows,
    validation,
    warnings,
  };
}

/**
 * ‖flow(e·mη) − mean after epoch e‖.
 *
 * @example
 *   distanceToMean(data.flows[0], data.monteCarlo.trajectory[3]) // GF's distance after epoch 3
 */
export function distanceToMean(flow: SgdEpochFlow, s: SgdMonteCarloResult['trajectory'][number]): number {
  return distance(flow.states[s.epoch]!, s.mean);
}

function closedFormsOf(forms: SgdReportOptions['closedForms'], m: number, K: number, sampling: SgdNumericProblem['sampling']): SgdReportData['closedForms'] {
  if (!forms) return { skipped: 'The batches come from a data file, so the closed forms are sums over its rows: eom derive --loss … --data … --batch-size b writes them for a small table.' };
  if (m ** (K + 2) > MAX_CLOSED_FORM_TREES) return { skipped: `Closed forms left out: ξ_${K} of ${m} batches is a sum over ${m ** (K + 2)} labelled trees (eom derive --batches writes them).` };
  const series = new CounterTermSolver(sgdRule(m, sampling)).solveThrough(K);
  return closedFormLatex(forms.loss, series, forms.batches);
}
