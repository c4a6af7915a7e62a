/**
 * `eom derive` for SGD: the abstract series over labelled trees (--method sgd, m symbolic or
 * given) or closed forms for batch losses (--batches).
 */
import { sgdPatternSeries, MAX_SGD_PATTERN_ORDER } from '../derive/batchPatterns.js';
import { batchNotation } from '../notation/batchNotation.js';
import { writeAll } from '../notation/render.js';
import { chunkedWriter } from '../notation/sink.js';
import { counterTermsWriterFor, DERIVE_FORMATS } from './deriveOutput.js';
import type { MethodInfo } from '../notation/methodInfo.js';
import { UserError } from './errors.js';
import { writeLossCounterTerms } from './lossOutput.js';
import { parseChoice } from './options.js';
import { Progress } from './progress.js';
import { batchCountFrom, batchSources, readDataFile, samplingFrom, type SgdCliOptions } from './sgdOptions.js';
import { parseInteger } from './numbers.js';
import type { LossCliOptions } from './lossOptions.js';
import { lossOptionsFrom } from './lossOptions.js';

type Options = { format: string; standalone?: boolean; inline?: boolean; param?: string[]; tableau?: string; update?: string } & SgdCliOptions & LossCliOptions;

/** `command`: what regenerates the output (stated by the formats that say how they were made). */
export async function deriveSgd(opts: Options, K: number, write: (s: string) => void, command?: string): Promise<void> {
  if (opts.param?.length || opts.tableau !== undefined || opts.update !== undefined) throw new UserError('SGD takes no --param, --tableau or --update');
  if (opts.data !== undefined) return deriveForData(opts, K, write);
  if (opts.loss !== undefined) throw new UserError('SGD needs its batch losses: --batches "L1; L2; …" (L is their mean), or --loss with --data file.csv --batch-size b');
  const sampling = samplingFrom(opts);
  if (opts.batches !== undefined) return deriveForBatches(opts, K, write);
  if (opts.vars !== undefined || opts.weightDecay !== undefined || (opts.set && opts.set.length)) throw new UserError('--vars, --weight-decay and --set need --batches');
  const format = parseChoice('--format', opts.format, DERIVE_FORMATS);
  if (K > MAX_SGD_PATTERN_ORDER) throw new UserError(`--order must be at most ${MAX_SGD_PATTERN_ORDER} for the abstract SGD series (labelled trees grow like (K+2)^(K+2)), got ${K}`);
  const m = batchCountFrom(opts);
  const progress = new Progress();
  const series = sgdPatternSeries(K, sampling, m, (p) => {
    if (p.k < K) progress.update(`solving ξ_${p.k + 1} over labelled trees…`);
  });
  progress.done();
  const notation = batchNotation(series.labelSum);
  const params = new Map([['m', m === undefined ? 'm' : String(m)]]);
  const info: MethodInfo<unknown> = {
    name: 'sgd',
    description: sampling === 'shuffle' ? 'SGD with random reshuffling: each epoch visits the m batches in a fresh random order, θ ← θ − η∇L_k(θ)' : 'SGD, cyclic: each epoch visits the m batches in the order 1, …, m, θ ← θ − η∇L_k(θ)',
    params,
    leading: series.leading,
  };
  const out = chunkedWriter(write);
  const jsonAfter = { sampling, batches: m ?? 'm' };
  writeAll(counterTermsWriterFor(format, out.write, { info, K, field: series.field, standalone: opts.standalone === true, notation, jsonAfter, ...(command === undefined ? {} : { command }) }), series.xi);
  out.flush();
}

const LOSS_FORMATS = ['text', 'latex', 'markdown', 'json'] as const;

/** Highest order of closed forms for batch losses (m^(k+2) labelled trees at order k). */
export const MAX_BATCH_ORDER = 4;

async function deriveForBatches(opts: Options, K: number, write: (s: string) => void): Promise<void> {
  const format = parseChoice('--format', opts.format, LOSS_FORMATS);
  if (K > MAX_BATCH_ORDER) throw new UserError(`--order must be at most ${MAX_BATCH_ORDER} with --batches, got ${K}`);
  if (opts.batchCount !== undefined) throw new UserError('--batch-count is the number of --batches; give one of them');
  const sources = batchSources(opts);
  const { batchLossCounterTerms, EXPANSION_BUDGET } = await import('../loss/counterTerms.js');
  const progress = new Progress();
  const result = batchLossCounterTerms(sources, {
    ...lossOptionsFrom(opts),
    order: K,
    sampling: samplingFrom(opts),
    onProgress: (k) => progress.update(`built ξ_${k} of ${K}…`),
    ...(opts.inline ? {} : { expansionBudget: EXPANSION_BUDGET }),
  });
  progress.done();
  return writeLossCounterTerms(format, result, opts, write);
}

/** Closed forms from a small data table: each batch the exact mean of the per-example loss over its rows. */
async function deriveForData(opts: Options, K: number, write: (s: string) => void): Promise<void> {
  const format = parseChoice('--format', opts.format, LOSS_FORMATS);
  if (K > MAX_BATCH_ORDER) throw new UserError(`--order must be at most ${MAX_BATCH_ORDER} with --data, got ${K}`);
  if (opts.loss === undefined) throw new UserError('--data needs the per-example loss: --loss "(w*x - y)^2" (its data symbols are columns of the file)');
  if (opts.batchSize === undefined) throw new UserError('--data needs --batch-size b (rows per batch)');
  if (opts.batchCount !== undefined) throw new UserError('--batch-count is rows / --batch-size with --data; leave it out');
  const b = parseInteger('--batch-size', opts.batchSize, 1);
  const { parseDataCsv } = await import('../loss/dataTable.js');
  const { dataBatchLosses } = await import('../loss/dataBatches.js');
  const { sgdLossCounterTerms, EXPANSION_BUDGET } = await import('../loss/counterTerms.js');
  const data = parseDataCsv(readDataFile(opts.data!), `--data ${opts.data}`);
  const { mean, losses } = dataBatchLosses(opts.loss, data, b, lossOptionsFrom(opts), opts.data);
  const progress = new Progress();
  const result = sgdLossCounterTerms(mean, losses, {
    order: K,
    sampling: samplingFrom(opts),
    onProgress: (k) => progress.update(`built ξ_${k} of ${K}…`),
    data: { file: opts.data!, rows: data.rows, batchSize: b },
    ...(opts.inline ? {} : { expansionBudget: EXPANSION_BUDGET }),
  });
  progress.done();
  return writeLossCounterTerms(format, result, opts, write);
}
