/**
 * `eom report --method rmsprop|adam`: the closed forms of c_i and ξ_0 … ξ_K, the optimiser from the
 * manifold start and from PyTorch's beside the flows (a plot per parameter), PyTorch's transient
 * and the error orders, in one self-contained HTML file.
 *
 * @example
 *   eom report --loss "x^4/4 - x^2/2 + x*y + y^2" --init x=0.5,y=1 --method adam --param beta1=0.5,beta2=0.6,eps=0.01 --out adam.html
 */
import type { AdaptiveRule } from '../adaptive/methods.js';
import { adaptiveProblemFrom } from './adaptiveCommands.js';
import { UserError } from './errors.js';
import { lossOptionsFrom, type LossCliOptions } from './lossOptions.js';
import { checkedTarget, writeReport } from './outputFile.js';
import { reportWithProgress } from './progress.js';
import { parseTolerance, warn } from './simulateCommands.js';
import { ADAPTIVE_HORIZON, ADAPTIVE_LR, ADAPTIVE_LRS } from '../simulate/defaults.js';

/** Defaults of an adaptive report: the regime the EoM describes needs a small η (ADAPTIVE_LR, simulate's too); the trajectories run to T = ADAPTIVE_HORIZON. */
export const ADAPTIVE_REPORT_DEFAULTS = { order: 1, lr: ADAPTIVE_LR, steps: Math.round(ADAPTIVE_HORIZON / ADAPTIVE_LR), lrs: ADAPTIVE_LRS } as const;

export interface AdaptiveReportCliOptions extends LossCliOptions {
  init?: string;
  example?: string;
  axes?: string;
  tolerance: string;
  out?: string;
  force?: boolean;
}

/**
 * Check the options, compute the report and write it atomically to --out.
 *
 * @example
 *   await adaptiveReport(opts, rule, { order: 1, lr: 0.001, steps: 200, lrs: [0.002, 0.001], horizon: 0.2, start: 'manifold' }, write, '0.1.0')
 */
export async function adaptiveReport(
  opts: AdaptiveReportCliOptions,
  rule: AdaptiveRule,
  settings: { order: number; lr: number; steps: number; lrs: number[]; horizon: number; start: 'manifold' | 'rest' },
  write: (s: string) => void,
  version: string,
): Promise<void> {
  if (opts.example !== undefined) throw new UserError(`--example is a loss for gradient descent's report; give ${rule.spec.name} a --loss`);
  if (opts.axes !== undefined) throw new UserError(`--axes does not apply to ${rule.spec.name}: its report plots each parameter over time`);
  if (opts.out === undefined) throw new UserError('--out is required, e.g. --out adam.html');
  const target = checkedTarget(opts.out, '--out', { force: opts.force === true });
  const { adaptiveReportData, adaptiveReportHtml, adaptiveReportWarnings, MAX_ADAPTIVE_REPORT_ORDER } = await load();
  if (settings.order > MAX_ADAPTIVE_REPORT_ORDER) throw new UserError(`--order must be from 0 to ${MAX_ADAPTIVE_REPORT_ORDER} for an ${rule.spec.name} report, got ${settings.order}`);
  const relativeTolerance = parseTolerance(opts.tolerance);
  const problem = await adaptiveProblemFrom(opts, rule, settings.order + 1);
  warn(adaptiveReportWarnings(problem, settings.lr, settings.lrs)); // before the run, so a divergence still shows it
  const data = reportWithProgress((update) =>
    adaptiveReportData(problem, { ...settings, lossOptions: lossOptionsFrom(opts), integrator: { relativeTolerance }, onProgress: update }),
  );
  const html = adaptiveReportHtml(data, { generator: `eomkit ${version}`.trim() });
  writeReport(target, html, write);
}

// The simulator and KaTeX are loaded when the command runs, not for --help.
const load = async () => ({
  ...(await import('../report/adaptiveReport.js')),
  ...(await import('../report/adaptiveHtml.js')),
});
