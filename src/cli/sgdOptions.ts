/**
 * Options of SGD over mini-batches: --batches (the batch losses), --batch-count (m, for the
 * abstract series), --sampling (cyclic or shuffle).
 *
 * @example
 *   eom derive --method sgd --batch-count m --sampling shuffle --order 2
 *   eom derive --batches "(x-1)^2; (x+1)^2 + y^2" --sampling cyclic
 */
import type { Command } from 'commander';
import type { Sampling } from '../derive/sgd.js';
import { UserError } from './errors.js';
import { readBoundedFile } from './inputFile.js';
import { parseChoice } from './options.js';

export interface SgdCliOptions {
  batches?: string;
  data?: string;
  batchSize?: string;
  batchCount?: string;
  sampling?: string;
}

export const SAMPLINGS = ['shuffle', 'cyclic'] as const;

/** --batches and --sampling; with `abstract`, also --batch-count (for the series without losses). */
export function addSgdOptions(cmd: Command, options: { abstract?: boolean } = {}): Command {
  cmd.option('--batches <"L1; L2; …">', 'SGD over mini-batches: the batch losses L_k, separated by ";" (L = their mean); implies --method sgd');
  if (options.abstract) cmd.option('--batch-count <m>', 'with --method sgd and no --batches: the number of batches m, or "m" to keep it symbolic');
  cmd
    .option('--data <file.csv>', 'SGD on a per-example --loss over a data table (header of column names, one row per example); implies --method sgd')
    .option('--batch-size <b>', 'with --data: rows per batch, consecutive (must divide the row count)');
  return cmd.option('--sampling <kind>', `with SGD: ${SAMPLINGS.join(' (a fresh random order every epoch) or ')} (the batches in the given order)`, 'shuffle');
}

export function samplingFrom(opts: SgdCliOptions): Sampling {
  return parseChoice('--sampling', opts.sampling ?? 'shuffle', SAMPLINGS);
}

/** The batch losses of --batches, each non-empty. */
export function batchSources(opts: SgdCliOptions): string[] {
  const parts = (opts.batches ?? '').split(';').map((s) => s.trim());
  if (parts.some((s) => s === '')) throw new UserError(`--batches takes losses separated by ";", each non-empty, got "${opts.batches}"`);
  return parts;
}

/** Largest data file read. */
export const MAX_DATA_BYTES = 64 * 1024 * 1024;

/** The text of a --data file: a regular file of at most MAX_DATA_BYTES. */
export function readDataFile(path: string): string {
  return readBoundedFile(path, '--data', MAX_DATA_BYTES);
}

/** m of --batch-count: a positive integer, or undefined for the symbol m. */
export function batchCountFrom(opts: SgdCliOptions): number | undefined {
  const text = (opts.batchCount ?? 'm').trim();
  if (text === 'm') return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UserError(`--batch-count must be a positive integer or "m" (symbolic), got "${text}"`);
  return Number(text);
}

/** Whether the options ask for SGD (--method sgd, or --batches). */
/** Options that mean something only to an SGD run (attribute names). */
const SGD_ONLY: readonly string[] = ['sampling', 'batchCount', 'epochs', 'runs', 'seed'];

/**
 * A run that is not SGD refuses, in one line, the SGD-only options given on its command line
 * (rather than ignoring them: `eom derive --sampling cyclic` would print gradient descent's terms).
 * An SGD run refuses --start (its epochs start where θ0 is; there is no state to place).
 *
 * @example
 *   checkAppliesTo(cmd, false) // throws UserError: --sampling is for SGD (--method sgd, --batches or --data)
 */
export function checkAppliesTo(cmd: Command, sgd: boolean): void {
  const given = (key: string) => cmd.getOptionValueSource(key) === 'cli';
  const flag = (key: string) => cmd.options.find((o) => o.attributeName() === key)?.long ?? key;
  if (sgd) {
    if (given('start')) throw new UserError('--start is for methods with a state (momentum, RMSProp, Adam); SGD starts each run at θ0');
    return;
  }
  const key = SGD_ONLY.find(given);
  if (key !== undefined) throw new UserError(`${flag(key)} is for SGD (--method sgd, --batches or --data)`);
}

export function wantsSgd(opts: SgdCliOptions & { method?: string }): boolean {
  const input = opts.batches !== undefined ? '--batches' : opts.data !== undefined ? '--data' : undefined;
  if (input && opts.method !== undefined && opts.method !== 'gd' && opts.method !== 'sgd') {
    throw new UserError(`${input} is SGD's input; it does not go with --method ${opts.method}`);
  }
  if (opts.batches !== undefined && opts.data !== undefined) throw new UserError('--batches and --data are alternatives: give one of them');
  if (opts.batchSize !== undefined && opts.data === undefined) throw new UserError('--batch-size needs --data');
  return opts.method === 'sgd' || input !== undefined;
}
