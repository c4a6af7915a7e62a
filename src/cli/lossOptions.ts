/**
 * Options shared by every command that takes a loss: --loss (or --loss-file), --vars,
 * --weight-decay, --set.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Command } from 'commander';
import { MAX_LOSS_LENGTH } from '../loss/parse.js';
import type { LossOptions } from '../loss/loss.js';
import { UserError } from './errors.js';

export interface LossCliOptions {
  loss?: string;
  lossFile?: string;
  vars?: string;
  weightDecay?: string;
  set?: string[];
}

export function addLossOptions(cmd: Command): Command {
  return cmd
    .option('-l, --loss <expr>', 'a loss in mathjs syntax, e.g. "(x^2 + y^2 - 1)^2 + 0.5*x*y^3"')
    .option('--loss-file <path>', `read the loss from a file (- for stdin); it may span lines, # starts a comment; at most ${MAX_LOSS_LENGTH} bytes`)
    .hook('preAction', (command) => {
      // Read once, before the action: every command then sees the text as --loss.
      const opts = command.opts<LossCliOptions>();
      if (opts.lossFile === undefined) return;
      if (opts.loss !== undefined) throw new UserError('--loss and --loss-file are alternatives: give one of them');
      command.setOptionValue('loss', readLossFile(opts.lossFile));
    })
    .option('--vars <names>', 'parameters, comma-separated (default: every free name, in order of appearance)')
    .option('--weight-decay <lambda>', 'add lambda/2 ‖θ‖² (a number, or a name kept symbolic)')
    .option('--set <name=value...>', 'exact values for symbolic constants, e.g. --set a=0.5 b=1/3', collect, []);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

/** --vars and --set as LossOptions, with one-line errors. */
export function lossOptionsFrom(opts: LossCliOptions): LossOptions & { values?: Map<string, string> } {
  const out: { vars?: string[]; weightDecay?: string; values?: Map<string, string> } = {};
  if (opts.vars !== undefined) {
    const vars = opts.vars.split(',').map((s) => s.trim());
    if (vars.some((v) => v === '')) throw new UserError(`--vars must be comma-separated names, got "${opts.vars}"`);
    out.vars = vars;
  }
  if (opts.weightDecay !== undefined) out.weightDecay = opts.weightDecay;
  if (opts.set && opts.set.length) {
    const values = new Map<string, string>();
    for (const item of opts.set) {
      const m = /^\s*([^=\s]+)\s*=\s*(.+?)\s*$/.exec(item);
      if (!m) throw new UserError(`--set takes name=value, got "${item}"`);
      if (values.has(m[1]!)) throw new UserError(`--set: "${m[1]}" is given twice`);
      values.set(m[1]!, m[2]!);
    }
    out.values = values;
  }
  return out;
}

/**
 * The text of a --loss-file: a regular file (or stdin for "-") of at most MAX_LOSS_LENGTH bytes,
 * in UTF-8 (a leading byte-order mark dropped). A FIFO, device or folder is refused rather than read
 * without end.
 */
export function readLossFile(path: string): string {
  let fd: number;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
  } catch (e) {
    throw new UserError(`--loss-file: cannot open "${path}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    if (path !== '-' && !fstatSync(fd).isFile()) throw new UserError(`--loss-file: "${path}" is not a regular file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(65536);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue; // a non-blocking stdin with nothing yet
        if (code === 'EOF') break;
        throw new UserError(`--loss-file: cannot read "${path}" (${code ?? (e as Error).message})`);
      }
      if (n === 0) break;
      total += n;
      if (total > MAX_LOSS_LENGTH) throw new UserError(`--loss-file: "${path}" is larger than ${MAX_LOSS_LENGTH} bytes`);
      chunks.push(chunk.subarray(0, n));
    }
    // A byte-order mark (Windows editors write one) is not part of the loss.
    return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    if (path !== '-') closeSync(fd);
  }
}
