/**
 * `eom export pytorch`: the counter terms ξ_0 … ξ_K of an update rule as a matrix-free PyTorch
 * module (src/export/pytorchModule.ts), or of SGD over mini-batches with m given at run time
 * (--method sgd: src/export/sgdModule.ts), written to --out (never over an existing file without
 * --force) or to stdout.
 */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { sgdPatternSeries } from '../derive/batchPatterns.js';
import { CounterTermSolver } from '../derive/solver.js';
import { pytorchModule } from '../export/pytorchModule.js';
import { MAX_SGD_EXPORT_ORDER, SGD_EXPORT_MAX_BATCHES, sgdPytorchModule } from '../export/sgdModule.js';
import { checkedName, checkedNumber } from '../export/pythonText.js';
import { regenerateCommand } from './commandLine.js';
import { UserError } from './errors.js';
import { parseOrder } from './options.js';
import { addMethodOptions, numericRule, ruleFrom, type MethodCliOptions } from './methodOptions.js';
import { checkedTarget, writeAtomically } from './outputFile.js';
import { SAMPLINGS, samplingFrom } from './sgdOptions.js';

/**
 * Highest order exported: ξ_K needs K + 1 nested reverse-mode passes on the user's model, and
 * ξ_8 already sums 286 trees; beyond that the module would not be usable on a network.
 */
export const MAX_EXPORT_ORDER = 8;

type ExportOptions = {
  order: string;
  out?: string;
  force?: boolean;
  sampling?: string;
  batches?: string;
  data?: string;
  batchCount?: string;
} & MethodCliOptions;

/** Options of other SGD commands that a module taking its batches at run time refuses, with why. */
const RUN_TIME_INPUTS: readonly (readonly [keyof ExportOptions, string])[] = [
  ['batches', '--batches'],
  ['data', '--data'],
  ['batchCount', '--batch-count'],
];

export function exportCommand(write: (s: string) => void, version: string): Command {
  const pytorch = new Command('pytorch')
    .description('write ξ_0 … ξ_K as a matrix-free PyTorch module: counter_terms, eom_field, modified_loss')
    .requiredOption('-k, --order <K>', `highest order K of ξ_K (0 … ${MAX_EXPORT_ORDER})`)
    .option('-o, --out <file>', 'write the module to this file (default: stdout)')
    .option('--force', 'overwrite --out if it exists (also a read-only one; its mode is kept)')
    .option('--sampling <kind>', `with --method sgd: ${SAMPLINGS.join(' (a fresh random order every epoch; default) or ')} (the batches in the given order)`)
    .addOption(new Option('--batches <losses>').hideHelp())
    .addOption(new Option('--data <file>').hideHelp())
    .addOption(new Option('--batch-count <m>').hideHelp());
  pytorch.addHelpText(
      'after',
      `
Examples:
  eom export pytorch --order 2 --out eom_terms.py
  eom export pytorch --order 3 --method extragradient > eg_terms.py
  eom export pytorch --order 2 --method heavy-ball --param beta=0.9 --out hb_terms.py
  eom export pytorch --order 1 --method sgd --sampling shuffle --out sgd_terms.py

The module needs only the standard library and torch (1.13 or 2.x). In Python:
  from eom_terms import counter_terms, eom_field, modified_loss
  xi = counter_terms(loss_fn, params)          # [[ξ_0 per tensor], …, [ξ_K per tensor]]
  F = eom_field(loss_fn, params, lr)           # dθ/dt = −c·g − η Σ η^k ξ_k
loss_fn(params) returns a scalar tensor; elementary differentials are computed by nested reverse
mode (no Hessian is formed), each distinct subtree once. Hyperparameters need exact values
(--param beta=0.9): the module's coefficients are numbers.

With --method sgd (order at most ${MAX_SGD_EXPORT_ORDER}) the module takes the batch losses at run time:
  xi = counter_terms(batch_losses, params)     # batch_losses: one closure per batch, m = len(...)
  F = eom_field(batch_losses, params, lr)      # dθ/dt = −g − η Σ η^k ξ_k, g = (1/m) Σ_k g_k
Its coefficients are exact functions of m; each pattern is summed over its batch labels
(cyclic: increasing, shuffle: distinct), so it refuses more than ${SGD_EXPORT_MAX_BATCHES.join(', ')} batches
for order 0, 1, 2.`,
    );
  addMethodOptions(pytorch, true);
  pytorch.action(async (opts: ExportOptions, self: Command) => {
      const command = regenerateCommand(self, ['eom', 'export', 'pytorch']);
      const K = parseOrder(opts.order);
      for (const [key, flag] of RUN_TIME_INPUTS) {
        if (opts[key] !== undefined) throw new UserError(`${flag} does not go with export: the module takes the batch losses at run time (counter_terms(batch_losses, params)); use --method sgd --sampling cyclic|shuffle`);
      }
      if (opts.method === 'sgd') return exportSgd(opts, K, write, version, command);
      if (opts.sampling !== undefined) throw new UserError('--sampling goes with --method sgd');
      if (K > MAX_EXPORT_ORDER) {
        throw new UserError(`--order must be at most ${MAX_EXPORT_ORDER} for export (ξ_K needs K + 1 nested derivatives of the model), got ${K}`);
      }
      const rule = numericRule(await ruleFrom(opts), 'eom export pytorch');
      for (const [name, value] of rule.params) {
        checkedName('--param', name);
        checkedNumber(`--param ${name}`, value);
      }
      const target = outputTarget(opts);
      const solver = new CounterTermSolver(rule);
      const source = pytorchModule({
        method: rule.name,
        description: rule.description,
        params: rule.params,
        leading: solver.leading,
        order: K,
        xi: solver.solveThrough(K),
        version,
        command,
      });
      emit(source, target, write);
    });
  return new Command('export')
    .description('export the counter terms as code for other tools (pytorch)')
    .addCommand(pytorch)
    .hook('preSubcommand', (self, sub) => {
      sub.copyInheritedSettings(self); // the exit and error-output settings main gives `export`
    });
}

/** The checked --out path (undefined: stdout); an existing file needs --force. */
function outputTarget(opts: ExportOptions): string | undefined {
  const target = opts.out === undefined ? undefined : checkedTarget(opts.out, '--out', { force: opts.force === true });
  if (target !== undefined && existsSync(target) && !opts.force) {
    throw new UserError(`--out ${opts.out} exists; add --force to overwrite it`);
  }
  return target;
}

function emit(source: string, target: string | undefined, write: (s: string) => void): void {
  if (target === undefined) write(source);
  else writeAtomically(target, source);
}

/** --method sgd: the abstract series with m symbolic (m is len(batch_losses) at run time). */
function exportSgd(opts: ExportOptions, K: number, write: (s: string) => void, version: string, command: string): void {
  if (opts.param?.length || opts.tableau !== undefined || opts.update !== undefined) throw new UserError('--method sgd takes no --param, --tableau or --update');
  if (K > MAX_SGD_EXPORT_ORDER) {
    throw new UserError(`--order must be at most ${MAX_SGD_EXPORT_ORDER} for --method sgd export (ξ_K sums patterns of K + 2 batch labels, m^(K+2) terms), got ${K}`);
  }
  const sampling = samplingFrom(opts);
  const target = outputTarget(opts);
  emit(sgdPytorchModule({ sampling, order: K, series: sgdPatternSeries(K, sampling), version, command }), target, write);
}
