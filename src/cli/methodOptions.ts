/**
 * Options shared by every command that takes an optimiser: --method, --param, --tableau, --update.
 * Exactly one source of the rule: a named method (default gd) with its parameters, a Butcher
 * tableau file, or a recurrence written out.
 *
 * @example
 *   eom derive --method heavy-ball --param beta=0.9     (β exact: 9/10)
 *   eom derive --method heavy-ball                      (β kept as a symbol)
 */
import type { Command } from 'commander';
import { methods, methodRule, parameterValue } from '../derive/methods.js';
import { exactRule, symbolicParameters, type UpdateRule } from '../derive/updateRule.js';
import { parseTableauJson } from '../derive/tableauFile.js';
import type { Rational } from '../series/fraction.js';
import { UserError } from './errors.js';
import { readBoundedFile } from './inputFile.js';
import { adaptiveMethods, adaptiveRule, type AdaptiveRule } from '../adaptive/methods.js';

export interface MethodCliOptions {
  method?: string;
  param?: string[];
  tableau?: string;
  update?: string;
}

/** Largest tableau file read (a tableau is a few hundred bytes). */
const MAX_TABLEAU_BYTES = 64 * 1024;

/**
 * --method, --param, --tableau and --update on `cmd`. `exported`: the help of `eom export`, whose
 * module is a B-series with numeric coefficients (no element-wise methods, exact values only).
 */
export function addMethodOptions(cmd: Command, exported = false): Command {
  const methodHelp = exported
    ? `optimiser: ${[...methods.keys()].join(', ')}, sgd (the batch losses come at run time); not ${[...adaptiveMethods.keys()].join(', ')} (element-wise: not a B-series)`
    : `optimiser: ${[...methods.keys()].join(', ')}, sgd (mini-batches: see --batches), ${[...adaptiveMethods.keys()].join(', ')} (with --loss)`;
  const paramHelp = exported ? 'hyperparameters, exact values only (beta=0.9, beta=9/10): the module\'s coefficients are numbers' : 'hyperparameters, exact (beta=0.9, beta=9/10) or kept as a symbol (beta); default: symbolic';
  return cmd
    .option('-m, --method <name>', methodHelp, 'gd')
    .option('--param <name[=value]...>', paramHelp, collect, [])
    .option('--tableau <file.json>', 'an explicit Runge–Kutta method from its tableau {"a": [[…]], "b": […]} with exact entries')
    .option('--update <recurrence>', 'a recurrence, e.g. "theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1])"');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

/** --param items as name → exact value (undefined: keep the symbol). */
export function parameterValues(items: readonly string[] = []): Map<string, Rational | undefined> {
  const out = new Map<string, Rational | undefined>();
  for (const item of items) {
    const m = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:=\s*(.+?)\s*)?$/.exec(item);
    if (!m) throw new UserError(`--param takes name=value or a name, got "${item}"`);
    const [, name, text] = m;
    if (out.has(name!)) throw new UserError(`--param: "${name}" is given twice`);
    out.set(name!, text === undefined ? undefined : exactValue(name!, text));
  }
  return out;
}

function exactValue(name: string, text: string): Rational {
  try {
    return parameterValue(text);
  } catch {
    throw new UserError(`--param ${name}: "${text}" is not an exact number (write 0.9 or 9/10)`);
  }
}

/** The update rule the options name. */
export async function ruleFrom(opts: MethodCliOptions): Promise<UpdateRule<unknown>> {
  const sources = [opts.tableau !== undefined, opts.update !== undefined, opts.method !== undefined && opts.method !== 'gd'].filter(Boolean).length;
  if (sources > 1) throw new UserError('give one of --method, --tableau and --update');
  const values = parameterValues(opts.param);
  try {
    if (opts.tableau !== undefined) {
      if (values.size) throw new UserError('--param does not apply to --tableau (its entries are exact numbers)');
      return parseTableauJson(readBoundedFile(opts.tableau, '--tableau', MAX_TABLEAU_BYTES), opts.tableau);
    }
    if (opts.update !== undefined) {
      // Loaded on demand: the recurrence parser pulls in mathjs.
      const { parseRecurrence } = await import('../derive/recurrenceParser.js');
      return parseRecurrence(opts.update, values);
    }
    const name = opts.method ?? 'gd';
    if (name === 'sgd') throw new UserError('--method sgd works with eom derive, simulate, validate and report, with --batches "L1; L2; …" or --loss with --data, and with eom export pytorch');
    if (adaptiveMethods.has(name)) throw new UserError(`${name} acts element-wise (not a B-series): its EoM needs a loss: eom derive --loss, eom simulate, eom validate and eom report take it`);
    if (!methods.has(name)) throw new UserError(`--method must be one of ${[...methods.keys(), ...adaptiveMethods.keys()].join(', ')}; got "${name}"`);
    return methodRule(name, values);
  } catch (e) {
    if (e instanceof RangeError || e instanceof SyntaxError) throw new UserError(e.message);
    throw e;
  }
}

/**
 * The adaptive rule (rmsprop, adam) the options name, or undefined for every other method.
 *
 * @example
 *   adaptiveRuleFrom({ method: 'adam', param: ['beta1=0.9', 'beta2', 'eps=0'] }) // β2 symbolic
 */
export function adaptiveRuleFrom(opts: MethodCliOptions): AdaptiveRule | undefined {
  if (opts.method === undefined || !adaptiveMethods.has(opts.method)) return undefined;
  if (opts.tableau !== undefined || opts.update !== undefined) throw new UserError('give one of --method, --tableau and --update');
  try {
    return adaptiveRule(opts.method, parameterValues(opts.param));
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(e.message);
    throw e;
  }
}

/** The rule with every hyperparameter exact, for simulation and compiled code. */
export function numericRule(rule: UpdateRule<unknown>, command: string): UpdateRule {
  const exact = exactRule(rule);
  if (exact) return exact;
  const symbols = symbolicParameters(rule);
  throw new UserError(`${command} needs exact values for ${symbols.join(', ')} (e.g. --param ${symbols[0]}=0.9)`);
}
