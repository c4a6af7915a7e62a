/**
 * `eom report` for SGD over mini-batches (--batches, or --loss with --data and --batch-size): the
 * counter terms in the labelled notation, per-epoch Monte-Carlo means with error bars beside the
 * flows, and the one-epoch validation, in one self-contained HTML file.
 *
 * @example
 *   eom report --batches "(x-1)^2*y^2 + x^4/4; (y+1)^2 + x*y; x^2*y - y" --init x=0.5,y=0.3 --lr 0.01 --epochs 20 --out sgd.html
 */
import { DEFAULT_LRS } from '../simulate/defaults.js';
import type { SgdProblem } from '../simulate/sgdProblem.js';
import { UserError } from './errors.js';
import { checkedTarget, writeReport } from './outputFile.js';
import { reportWithProgress } from './progress.js';
import { batchSources } from './sgdOptions.js';
import { monteCarloSettings, sgdProblemFrom, type SgdCommonOptions } from './sgdCommands.js';
import { numericOrder, parseLadder, parseTolerance, warn } from './simulateCommands.js';

export interface SgdReportCliOptions extends Omit<SgdCommonOptions, 'format'> {
  example?: string;
  lr?: string;
  lrs?: string;
  epochs?: string;
  runs?: string;
  seed?: string;
  steps?: string;
  horizon?: string;
  axes?: string;
  out?: string;
  force?: boolean;
}

/** Default order and learning rate of an SGD report. */
const DEFAULTS = { order: 2, lr: '0.05' };

/**
 * Check the options, compute the report and write it atomically to --out.
 *
 * @example
 *   await sgdReport({ batches: 'x^2; (x-1)^2', init: 'x=1', order: '1', tolerance: '1e-13', out: 'sgd.html' }, (s) => process.stdout.write(s), '0.1.0')
 */
export async function sgdReport(opts: SgdReportCliOptions, write: (s: string) => void, version: string): Promise<void> {
  if (opts.example !== undefined) throw new UserError('--example is a full-batch loss; SGD reports take --batches, or --loss with --data');
  for (const [flag, given] of [['--steps', opts.steps], ['--horizon', opts.horizon], ['--axes', opts.axes]] as const) {
    if (given !== undefined) throw new UserError(`${flag} does not apply to SGD: its runs are measured in --epochs`);
  }
  if (opts.start !== undefined && opts.start !== 'manifold') throw new UserError('--start is for multistep methods, not SGD');
  if (opts.out === undefined) throw new UserError('--out is required, e.g. --out sgd.html');
  const target = checkedTarget(opts.out, '--out', { force: opts.force === true });
  const K = opts.order !== undefined ? numericOrder(opts.order) : DEFAULTS.order;
  const { MAX_SGD_REPORT_ORDER, sgdReportData, sgdReportHtml, MAX_DATA_ORDER } = await load();
  if (K < 0 || K > MAX_SGD_REPORT_ORDER) throw new UserError(`--order must be from 0 to ${MAX_SGD_REPORT_ORDER} for an SGD report, got "${opts.order}"`);
  const { lr, epochs, runs, seed } = monteCarloSettings({ ...opts, lr: opts.lr ?? DEFAULTS.lr });
  const lrs = opts.lrs !== undefined ? parseLadder(opts.lrs) : [...DEFAULT_LRS];
  const relativeTolerance = parseTolerance(opts.tolerance);
  // ξ_{K+1} gives the validation's ratios; a data table compiles at most ξ_2.
  const p = await sgdProblemFrom(opts, opts.data !== undefined ? Math.min(K + 1, MAX_DATA_ORDER) : K + 1);
  const closedForms = 'compiled' in p ? { loss: (p as SgdProblem).loss, batches: (p as SgdProblem).batches } : undefined;
  const source =
    opts.data !== undefined
      ? { kind: 'data' as const, loss: opts.loss!, file: opts.data, rows: p.batchCount * Number(opts.batchSize), batchSize: Number(opts.batchSize) }
      : { kind: 'batches' as const, batches: batchSources(opts) };
  const data = reportWithProgress((update) =>
    sgdReportData(p, {
      order: K,
      lr,
      epochs,
      runs,
      seed,
      lrs,
      source,
      ...(closedForms ? { closedForms } : {}),
      integrator: { relativeTolerance },
      onProgress: update,
    }),
  );
  warn(data.warnings);
  const html = sgdReportHtml(data, { generator: `eomkit ${version}`.trim() });
  writeReport(target, html, write);
}

// The simulator and KaTeX are loaded when the command runs, not for --help.
const load = async () => ({
  ...(await import('../report/sgdReport.js')),
  ...(await import('../report/sgdHtml.js')),
  ...(await import('../simulate/dataSgdProblem.js')),
});
