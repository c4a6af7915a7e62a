/**
 * `eom export pytorch`: the counter terms ξ_0 … ξ_K of an update rule as a matrix-free PyTorch
 * module (src/export/pytorchModule.ts), written to --out (never over an existing file without
 * --force) or to stdout.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { CounterTermSolver } from '../derive/solver.js';
import { updateRules } from '../derive/updateRule.js';
import { pytorchModule } from '../export/pytorchModule.js';
import { checkedName, checkedNumber } from '../export/pythonText.js';
import { Rational } from '../series/fraction.js';
import { UserError } from './errors.js';
import { parseChoice, parseOrder } from './options.js';
import { checkedTarget, writeAtomically } from './outputFile.js';

/**
 * Highest order exported: ξ_K needs K + 1 nested reverse-mode passes on the user's model, and
 * ξ_8 already sums 286 trees; beyond that the module would not be usable on a network.
 */
export const MAX_EXPORT_ORDER = 8;

/** Hyperparameters each method accepts with --param (none yet: gd and extragradient have none). */
const METHOD_PARAMS: ReadonlyMap<string, readonly string[]> = new Map([...updateRules.keys()].map((m) => [m, []]));

type ExportOptions = { order: string; method: string; param?: string[]; out?: string; force?: boolean };

export function exportCommand(write: (s: string) => void, version: string): Command {
  const pytorch = new Command('pytorch')
    .description('write ξ_0 … ξ_K as a matrix-free PyTorch module: counter_terms, eom_field, modified_loss')
    .requiredOption('-k, --order <K>', `highest order K of ξ_K (0 … ${MAX_EXPORT_ORDER})`)
    .option('-m, --method <rule>', `update rule: ${[...updateRules.keys()].join(', ')}`, 'gd')
    .option('-p, --param <name=value>', 'a numeric hyperparameter of the method, e.g. beta=0.9 (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('-o, --out <file>', 'write the module to this file (default: stdout)')
    .option('--force', 'overwrite --out if it exists')
    .addHelpText(
      'after',
      `
Examples:
  eom export pytorch --order 2 --out eom_terms.py
  eom export pytorch --order 3 --method extragradient > eg_terms.py

The module needs only the standard library and torch (1.13 or 2.x). In Python:
  from eom_terms import counter_terms, eom_field, modified_loss
  xi = counter_terms(loss_fn, params)          # [[ξ_0 per tensor], …, [ξ_K per tensor]]
  F = eom_field(loss_fn, params, lr)           # dθ/dt = −c·g − η Σ η^k ξ_k
loss_fn(params) returns a scalar tensor; elementary differentials are computed by nested reverse
mode (no Hessian is formed), each distinct subtree once.`,
    )
    .action((opts: ExportOptions) => {
      const K = parseOrder(opts.order);
      if (K > MAX_EXPORT_ORDER) {
        throw new UserError(`--order must be at most ${MAX_EXPORT_ORDER} for export (ξ_K needs K + 1 nested derivatives of the model), got ${K}`);
      }
      const method = parseChoice('--method', opts.method, [...updateRules.keys()]);
      const params = parseParams(method, opts.param ?? []);
      const target = opts.out === undefined ? undefined : checkedTarget(opts.out);
      if (target !== undefined && existsSync(target) && !opts.force) {
        throw new UserError(`--out ${opts.out} exists; add --force to overwrite it`);
      }
      const rule = updateRules.get(method)!;
      const source = pytorchModule({
        method,
        description: rule.description,
        params,
        leading: Rational.one,
        order: K,
        xi: new CounterTermSolver(rule).solveThrough(K),
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

/** --param name=value items → name → value, refused unless the method takes that name. */
function parseParams(method: string, items: readonly string[]): Map<string, string> {
  const accepted = METHOD_PARAMS.get(method) ?? [];
  const out = new Map<string, string>();
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    try {
      if (eq < 0) throw new RangeError('no "="');
      checkedName('--param', name);
      checkedNumber(`--param ${name}`, value);
    } catch {
      throw new UserError(`--param takes name=number, e.g. beta=0.9 or beta=9/10; got "${item}"`);
    }
    if (!accepted.includes(name)) {
      throw new UserError(`--param ${name}: method ${method} takes ${accepted.length ? `only ${accepted.join(', ')}` : 'no parameters'}`);
    }
    if (out.has(name)) throw new UserError(`--param ${name} is given twice`);
    out.set(name, value);
  }
  return out;
}
