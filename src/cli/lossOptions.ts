/**
 * Options shared by every command that takes a loss: --loss, --vars, --weight-decay, --set.
 */
import type { Command } from 'commander';
import type { LossOptions } from '../loss/loss.js';
import { UserError } from './errors.js';

export interface LossCliOptions {
  loss?: string;
  vars?: string;
  weightDecay?: string;
  set?: string[];
}

export function addLossOptions(cmd: Command): Command {
  return cmd
    .option('-l, --loss <expr>', 'a loss in mathjs syntax, e.g. "(x^2 + y^2 - 1)^2 + 0.5*x*y^3"')
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
