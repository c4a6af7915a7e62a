/**
 * `eom export pytorch`: the counter terms ξ_0 … ξ_K of an update rule as a matrix-free PyTorch
 * module (src/export/pytorchModule.ts), written to --out (never over an existing file without
 * --force) or to stdout.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { CounterTermSolver } from '../derive/solver.js';
import { pytorchModule } from '../export/pytorchModule.js';
import { checkedName, checkedNumber } from '../export/pythonText.js';
import { UserError } from './errors.js';
import { parseOrder } from './options.js';
import { addMethodOptions, numericRule, ruleFrom, type MethodCliOptions } from './methodOptions.js';
import { checkedTarget, writeAtomically } from './outputFile.js';

/**
 * Highest order exported: ξ_K needs K + 1 nested reverse-mode passes on the user's model, and
 * ξ_8 already sums 286 trees; beyond that the module would not be usable on a network.
 */
export const MAX_EXPORT_ORDER = 8;

type ExportOptions = { order: string; out?: string; force?: boolean } & MethodCliOptions;

export function exportCommand(write: (s: string) => void, version: string): Command {
  const pytorch = new Command('pytorch')
    .description('write ξ_0 … ξ_K as a matrix-free PyTorch module: counter_terms, eom_field, modified_loss')
    .requiredOption('-k, --order <K>', `highest order K of ξ_K (0 … ${MAX_EXPORT_ORDER})`)
    .option('-o, --out <file>', 'write the module to this file (default: stdout)')
    .option('--force', 'overwrite --out if it exists');
  pytorch.addHelpText(
      'after',
      `
Examples:
  eom export pytorch --order 2 --out eom_terms.py
  eom export pytorch --order 3 --method extragradient > eg_terms.py
  eom export pytorch --order 2 --method heavy-ball --param beta=0.9 --out hb_terms.py

The module needs only the standard library and torch (1.13 or 2.x). In Python:
  from eom_terms import counter_terms, eom_field, modified_loss
  xi = counter_terms(loss_fn, params)          # [[ξ_0 per tensor], …, [ξ_K per tensor]]
  F = eom_field(loss_fn, params, lr)           # dθ/dt = −c·g − η Σ η^k ξ_k
loss_fn(params) returns a scalar tensor; elementary differentials are computed by nested reverse
mode (no Hessian is formed), each distinct subtree once. Hyperparameters need exact values
(--param beta=0.9): the module's coefficients are numbers.`,
    );
  addMethodOptions(pytorch);
  pytorch.action(async (opts: ExportOptions) => {
      const K = parseOrder(opts.order);
      if (K > MAX_EXPORT_ORDER) {
        throw new UserError(`--order must be at most ${MAX_EXPORT_ORDER} for export (ξ_K needs K + 1 nested derivatives of the model), got ${K}`);
      }
      const rule = numericRule(await ruleFrom(opts), 'eom export pytorch');
      for (const [name, value] of rule.params) {
        checkedName('--param', name);
        checkedNumber(`--param ${name}`, value);
      }
      const target = opts.out === undefined ? undefined : checkedTarget(opts.out);
      if (target !== undefined && existsSync(target) && !opts.force) {
        throw new UserError(`--out ${opts.out} exists; add --force to overwrite it`);
      }
      const solver = new CounterTermSolver(rule);
      const source = pytorchModule({
        method: rule.name,
        description: rule.description,
        params: rule.params,
        leading: solver.leading,
        order: K,
        xi: solver.solveThrough(K),
        version,
      });
      if (target === undefined) write(source);
      else writeAtomically(target, source);
    });
  return new Command('export')
    .description('export the counter terms as code for other tools (pytorch)')
    .addCommand(pytorch)
    .hook('preSubcommand', (self, sub) => {
      sub.copyInheritedSettings(self); // the exit and error-output settings main gives `export`
    });
}
