/**
 * `eom validate` and `eom simulate` for SGD over mini-batches (--batches, --sampling).
 *
 * validate: one epoch from θ0 (cyclic, or the exact mean over all m! orders for shuffle, m ≤ 6)
 * against the flows of gradient flow and EoM_0 … EoM_K over time mη; local slopes 2 and j + 3.
 * simulate: per-epoch mean SGD iterates over seeded runs (shuffle) with their standard errors,
 * beside the EoM flows at t = e·mη.
 */
import { UserError } from './errors.js';
import { lossOptionsFrom, type LossCliOptions } from './lossOptions.js';
import { parseAssignments, parseInteger, parseNumber, positive } from './numbers.js';
import { parseChoice } from './options.js';
import { Progress } from './progress.js';
import { batchSources, readDataFile, samplingFrom, type SgdCliOptions } from './sgdOptions.js';
import { eomkitVersion } from '../version.js';
import type { SgdNumericProblem } from '../simulate/sgdProblem.js';
import { rationalToNumber } from '../series/fraction.js';

export interface SgdCommonOptions extends LossCliOptions, SgdCliOptions {
  init?: string;
  order: string;
  tolerance: string;
  format: string;
  method?: string;
  param?: string[];
  start?: string;
}

const load = async () => ({
  ...(await import('../simulate/sgdProblem.js')),
  ...(await import('../simulate/dataSgdProblem.js')),
  ...(await import('../loss/dataTable.js')),
  ...(await import('../simulate/sgdValidate.js')),
  ...(await import('../simulate/sgdMonteCarlo.js')),
  ...(await import('../simulate/sgdRuns.js')),
  ...(await import('../loss/loss.js')),
});

/**
 * The SGD problem of --batches or --loss with --data (and --batch-size), --sampling, --init.
 *
 * @example
 *   await sgdProblemFrom({ batches: 'x^2; (x-1)^2', init: 'x=1', order: '1', tolerance: '1e-13' }, 2)
 */
export async function sgdProblemFrom(opts: Omit<SgdCommonOptions, 'format'>, maxOrder: number): Promise<SgdNumericProblem> {
  const { sgdProblem, dataSgdProblem, parseDataCsv, exactNumber } = await load();
  if (opts.param?.length) throw new UserError('SGD takes no --param');
  if (opts.init === undefined) throw new UserError('--init is required, e.g. --init x=1,y=0.5');
  const lossOptions = lossOptionsFrom(opts);
  const init = parseAssignments('--init', opts.init);
  const sampling = samplingFrom(opts);
  try {
    if (opts.data !== undefined) {
      if (opts.loss === undefined) throw new UserError('--data needs the per-example loss: --loss "(w*x - y)^2" (its data symbols are columns of the file)');
      if (opts.batchSize === undefined) throw new UserError('--data needs --batch-size b (rows per batch)');
      const b = parseInteger('--batch-size', opts.batchSize, 1);
      const wd = opts.weightDecay;
      if (wd !== undefined && /^[A-Za-z_]/.test(wd.trim())) throw new UserError('--weight-decay with --data must be a number');
      const data = parseDataCsv(readDataFile(opts.data), `--data ${opts.data}`);
      return dataSgdProblem({
        loss: opts.loss,
        data,
        batchSize: b,
        sampling,
        init,
        maxOrder,
        ...(lossOptions.vars ? { vars: lossOptions.vars } : {}),
        ...(lossOptions.values ? { values: lossOptions.values } : {}),
        ...(wd !== undefined ? { weightDecay: rationalToNumber(exactNumber(wd, '--weight-decay')) } : {}),
      });
    }
    if (opts.loss !== undefined) throw new UserError('SGD needs its batch losses: --batches "L1; L2; …" (L is their mean), or --loss with --data');
    if (opts.batches === undefined) throw new UserError('--method sgd needs --batches "L1; L2; …" or --data');
    return sgdProblem({ ...lossOptions, batches: batchSources(opts), sampling, init, maxOrder });
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(e.message);
    throw e;
  }
}


/** The inputs every SGD JSON output states. */
function runInputs(opts: SgdCommonOptions, p: SgdNumericProblem) {
  const source = opts.batches !== undefined ? { batches: opts.batches } : { data: opts.data, batchSize: Number(opts.batchSize), loss: opts.loss };
  return { method: 'sgd', ...source, batchCount: p.batchCount, sampling: p.sampling, vars: p.vars };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : String(x));

export async function validateSgd(
  opts: SgdCommonOptions,
  K: number,
  lrs: number[],
  relativeTolerance: number,
  write: (s: string) => void,
  setExit: (code: number) => void,
): Promise<void> {
  const { sgdOrderValidations, exactValidationRefusal, MAX_DATA_ORDER } = await load();
  const format = parseChoice('--format', opts.format, ['text', 'json'] as const);
  if (K > 3) throw new UserError(`--order must be at most 3 for SGD validation, got ${K}`);
  if (opts.data !== undefined && K > MAX_DATA_ORDER) throw new UserError(`--order must be at most ${MAX_DATA_ORDER} with --data, got ${K}`);
  // ξ_{K+1} gives the predicted size of EoM_K's local error; with --data it exists up to ξ_2 only,
  // so EoM_2 is validated by its slopes alone (the ratio is left out, as when ξ_{K+1} vanishes).
  const p = await sgdProblemFrom(opts, opts.data !== undefined ? Math.min(K + 1, MAX_DATA_ORDER) : K + 1);
  const m = p.batchCount;
  const refusal = exactValidationRefusal(p.sampling, m);
  if (refusal) throw new UserError(`${refusal}: use a larger --batch-size, --sampling cyclic, or eom simulate (seeded Monte-Carlo means)`);
  const etaMax = Math.max(...lrs);
  if (etaMax * p.curvature >= 1) process.stderr.write(`eom: warning: η·|λ|max = ${(etaMax * p.curvature).toPrecision(3)} ≥ 1 at θ0 for some batch: the series in η may not converge there\n`);
  const progress = new Progress({ enabled: format === 'text' });
  let results;
  try {
    results = sgdOrderValidations(p, K, lrs, { relativeTolerance }, (label) => progress.update(`validating ${label}…`));
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(e.message);
    throw e;
  } finally {
    progress.done();
  }
  const passed = results.every((r) => r.passed);
  if (format === 'json') {
    write(
      JSON.stringify(
        {
          ...runInputs(opts, p),
          init: Array.from(p.init),
          lrs,
          eomkit: eomkitVersion(),
          passed,
          orders: results.map((r) => ({ order: r.order, label: r.label, local: r.local, localIntegratorError: r.localIntegratorError, localSlope: r.localSlope, expectedLocalSlope: r.expectedLocalSlope, localRatio: r.localRatio ?? null, atNoiseFloor: r.atNoiseFloor, passed: r.passed })),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const lines = [
      `SGD, ${m} batches, ${p.sampling === 'shuffle' ? `random reshuffling (exact mean over all ${m}! orders)` : 'cyclic order'}; one epoch from θ0 against each flow over time mη`,
      p.describe,
      `learning rates: ${lrs.join(', ')}`,
      '',
      ['flow', 'local slope', 'expected', 'ratio to m·η^(j+3)‖ξ_(j+1)‖', 'result'].join(' | '),
    ];
    for (const r of results) {
      const ratio = r.localRatio ? r.localRatio.map((x) => x.toFixed(3)).join(', ') : '—';
      lines.push([r.label, r.localSlope.toFixed(2), String(r.expectedLocalSlope), ratio, r.passed ? 'pass' : 'FAIL'].join(' | '));
      if (r.atNoiseFloor.length) lines.push(`  (η = ${r.atNoiseFloor.join(', ')} left out of the fit: error at the integrator's noise floor)`);
    }
    lines.push('', `local errors: ${results.map((r) => `${r.label}: ${r.local.map(fmt).join(', ')}`).join('; ')}`);
    lines.push(passed ? 'every slope within ±0.3 of its prediction' : 'some slope is off its prediction');
    write(lines.join('\n') + '\n');
  }
  if (!passed) setExit(1);
}

/** Most seeded runs of a Monte-Carlo mean. */
export const MAX_RUNS = 100_000;

/**
 * --lr, --epochs, --runs and --seed of a Monte-Carlo mean (simulate and report).
 *
 * @example
 *   monteCarloSettings({ lr: '0.05' }) // { lr: 0.05, epochs: 10, runs: 200, seed: 0 }
 */
export function monteCarloSettings(opts: { lr: string; epochs?: string; runs?: string; seed?: string }): { lr: number; epochs: number; runs: number; seed: number } {
  const lr = parseNumber('--lr', opts.lr, positive);
  const epochs = parseInteger('--epochs', opts.epochs ?? '10', 1);
  const runs = parseInteger('--runs', opts.runs ?? '200', 2);
  if (runs > MAX_RUNS) throw new UserError(`--runs must be at most ${MAX_RUNS}`);
  if (epochs * runs > 10_000_000) throw new UserError('--epochs × --runs must be at most 10 000 000');
  const seed = parseInteger('--seed', opts.seed ?? '0', 0);
  return { lr, epochs, runs, seed };
}

export async function simulateSgd(opts: SgdCommonOptions & { lr: string; epochs?: string; runs?: string; seed?: string }, K: number, write: (s: string) => void): Promise<void> {
  const { sgdMonteCarlo, sgdEpochFlows, SEVERAL_EPOCHS } = await load();
  const format = parseChoice('--format', opts.format, ['table', 'json'] as const);
  if (K > 3) throw new UserError(`--order must be at most 3 for SGD simulation, got ${K}`);
  const { lr, epochs, runs, seed } = monteCarloSettings(opts);
  const relativeTolerance = parseNumber('--tolerance', opts.tolerance, (x) => (x >= 1e-15 && x <= 1e-6 ? undefined : 'must be between 1e-15 and 1e-6'));
  const p = await sgdProblemFrom(opts, Math.max(K, 0));
  const m = p.batchCount;
  if (lr * p.curvature >= 1) process.stderr.write(`eom: warning: η·|λ|max = ${(lr * p.curvature).toPrecision(3)} ≥ 1 at θ0 for some batch: the EoM may not describe SGD here\n`);
  const progress = new Progress({ enabled: format === 'table' });
  progress.update(`running ${runs} seeded SGD runs…`);
  const mc = sgdMonteCarlo(p.gradients, p.init, lr, { sampling: p.sampling, runs: p.sampling === 'cyclic' ? 2 : runs, epochs, seed });
  const times = Array.from({ length: epochs + 1 }, (_, e) => e * m * lr);
  const flows = sgdEpochFlows(p, lr, epochs, K, { relativeTolerance }, (label) => progress.update(`integrating ${label}…`));
  progress.done();
  const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(...Array.from(a, (x, i) => x - b[i]!));
  if (format === 'json') {
    write(
      JSON.stringify(
        {
          ...runInputs(opts, p),
          lr,
          runs: mc.runs,
          seed,
          eomkit: eomkitVersion(),
          epochs: mc.trajectory.map((s, e) => ({
            epoch: e,
            time: times[e],
            mean: Array.from(s.mean),
            standardError: Array.from(s.standardError),
            spread: Array.from(s.spread),
            flows: Object.fromEntries(flows.map((f) => [f.label, { position: f.states[e], distance: dist(f.states[e]!, s.mean) }])),
          })),
        },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const lines = [
    `SGD, ${m} batches, ${p.sampling === 'shuffle' ? `random reshuffling: mean over ${mc.runs} seeded runs (seed ${seed}), ± its standard error` : 'cyclic order (deterministic)'}; η = ${lr}, an epoch spans t = mη = ${m * lr}`,
    ['epoch', 't', ...p.vars.map((v) => `mean ${v}`), ...(p.sampling === 'shuffle' ? ['max s.e.', 'max spread'] : []), ...flows.map((f) => `|${f.label} − mean|`)].join(' | '),
  ];
  mc.trajectory.forEach((s, e) => {
    lines.push(
      [
        String(e),
        times[e]!.toPrecision(4),
        ...Array.from(s.mean, (x) => x.toPrecision(8)),
        ...(p.sampling === 'shuffle' ? [fmt(Math.max(...s.standardError)), fmt(Math.max(...s.spread))] : []),
        ...flows.map((f) => fmt(dist(f.states[e]!, s.mean))),
      ].join(' | '),
    );
  });
  if (p.sampling === 'shuffle') {
    lines.push('', ...wrap(`${SEVERAL_EPOCHS} The distances above are also limited by the standard error of the Monte-Carlo mean.`, 112));
  }
  write(lines.join('\n') + '\n');
}

/** Words of `s` in lines of at most `width` characters. */
function wrap(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}
