/**
 * A loss as the rest of eomkit sees it: parameters, symbolic constants, the exact normal form
 * (with weight decay λ/2‖θ‖² added when asked), and its gradient.
 *
 * @example
 *   const loss = Loss.parse('(x^2 + y^2 - 1)^2', { weightDecay: '1/10' });
 *   loss.vars // ['x', 'y'];  loss.gradient()[0] // 4x³ + 4xy² − 4x + x/10
 */
import { Rational } from '../series/fraction.js';
import { atoms, type AtomTable } from '../algebra/atoms.js';
import { decimalToRational } from '../series/decimal.js';
import { Differentiator } from '../algebra/differentiate.js';
import { LossError } from './errors.js';
import { BUILTIN_SYMBOLS, columnOf, parseLoss } from './parse.js';
import { NON_SMOOTH, lookupFunction } from '../algebra/functions/index.js';
import { nameMap, type NameValues } from './names.js';
import { Poly } from '../algebra/poly.js';

export interface LossOptions {
  /** Parameter names (default: every free name in order of first appearance). */
  readonly vars?: readonly string[];
  /** λ in λ/2‖θ‖²: a number ("0.01", "1/100") or a name that stays symbolic ("lambda"). */
  readonly weightDecay?: string | number;
  /** Exact values for symbolic constants ({ a: '0.5' } or a Map); they are substituted before deriving. */
  readonly values?: NameValues<string | number>;
  readonly table?: AtomTable;
  /**
   * One part of a larger loss (an SGD batch, one example): --vars and --set names need not all
   * occur in it, and it may be constant in the parameters.
   */
  readonly partial?: boolean;
}

export class Loss {
  readonly diff: Differentiator;
  /** Atom ids of the parameters, in order. */
  readonly varIds: readonly number[];
  private grad?: Poly[];

  private constructor(
    readonly source: string,
    readonly vars: readonly string[],
    readonly constants: readonly string[],
    readonly expr: Poly,
    readonly weightDecay: string | undefined,
    readonly table: AtomTable,
    /** The expression without its weight-decay term (same as expr without weight decay). */
    private readonly undecayed: Poly = expr,
    /** λ of λ/2‖θ‖²: a number, or the symbol of a named weight decay; zero without one. */
    readonly lambda: Poly = Poly.zero,
    /** The exact values given to constants (--set), in the order given: part of what determines the result. */
    readonly values: ReadonlyMap<string, Rational> = new Map(),
  ) {
    this.diff = new Differentiator(table);
    this.varIds = vars.map((v) => [...table.variable(v).atomIds()][0]!);
  }

  static parse(source: string, options: LossOptions = {}): Loss {
    const table = options.table ?? atoms;
    const values = new Map<string, Rational>();
    for (const [name, v] of nameMap(options.values)) values.set(name, exactNumber(String(v), `--set ${name}`));
    const givenValues: ReadonlyMap<string, Rational> = new Map(values);
    // A symbolic weight decay may get its value from --set even when the loss itself does not use the name.
    const wdName = options.weightDecay !== undefined && isName(String(options.weightDecay).trim()) ? String(options.weightDecay).trim() : undefined;
    if (wdName !== undefined && NOT_A_NUMBER.has(wdName)) throw new LossError(`--weight-decay must be a finite number or a name, got "${wdName}"`);
    if (wdName !== undefined && (BUILTIN_SYMBOLS.has(wdName) || lookupFunction(wdName) || NON_SMOOTH.has(wdName))) {
      throw new LossError(`--weight-decay: "${wdName}" is a reserved name; use a number or another name`);
    }
    const wdValue = wdName !== undefined ? values.get(wdName) : undefined;
    if (wdName !== undefined && wdValue !== undefined && columnOf(source, wdName) === undefined) values.delete(wdName);
    const parsed = parseLoss(source, { ...(options.vars ? { vars: options.vars } : {}), values, table, constantNames: wdName ? [wdName] : [], partial: options.partial === true });
    let expr = parsed.expr;
    const constants = [...parsed.constants];
    let wd: string | undefined;
    let lambda = Poly.zero;
    if (options.weightDecay !== undefined) {
      wd = String(options.weightDecay).trim();
      const symbolic = weightDecayValue(wd, parsed.vars, table); // also refuses a parameter's name
      lambda = wdValue !== undefined ? Poly.constant(wdValue) : symbolic;
      if (wdValue === undefined && wdName !== undefined && !constants.includes(wd)) constants.push(wd);
      const norm2 = Poly.sum(parsed.vars.map((v) => table.variable(v).powInt(2)));
      expr = expr.add(norm2.mul(lambda).scale(Rational.div(Rational.one, Rational.fromInteger(2))));
    }
    const loss = new Loss(source, parsed.vars, constants, expr, wd, table, parsed.expr, lambda, givenValues);
    if (!options.partial && loss.gradient().every((g) => g.isZero())) {
      throw new LossError(`the loss is constant in ${parsed.vars.join(', ')}: its gradient is zero, so there is nothing to derive`);
    }
    return loss;
  }

  /**
   * The mean (1/n) Σ parts of losses over one atom table with the same parameters (SGD: a batch
   * as the mean of its examples, L as the mean of the batches), described by `source`. Weight
   * decay is that of the first part, constants those of all parts, and `values` the --set values to
   * state (default: the first part's).
   *
   * @example
   *   Loss.mean([Loss.parse('x^2'), Loss.parse('(x-1)^2', { table: atoms })], 'two rows').expr // x² − x + 1/2
   */
  static mean(parts: readonly Loss[], source: string, values?: ReadonlyMap<string, Rational>): Loss {
    const first = parts[0];
    if (!first) throw new LossError('a mean of no losses');
    for (const p of parts) {
      if (p.table !== first.table || p.vars.join(',') !== first.vars.join(',')) throw new LossError('internal: a mean of losses over different parameters or atom tables');
    }
    const scale = (xs: Poly[]) => Poly.sum(xs).scale(Rational.div(Rational.one, Rational.fromInteger(parts.length)));
    const constants = [...new Set(parts.flatMap((p) => p.constants))];
    return new Loss(source, first.vars, constants, scale(parts.map((p) => p.expr)), first.weightDecay, first.table, scale(parts.map((p) => p.undecayed)), first.lambda, values ?? first.values);
  }

  /**
   * The same loss without its weight-decay term: symmetries and scalar invariants are those of L
   * itself. A symbolic λ stays out of its constants.
   *
   * @example
   *   Loss.parse('x^2', { weightDecay: 'lambda' }).withoutWeightDecay().expr // x²
   */
  withoutWeightDecay(): Loss {
    if (this.weightDecay === undefined) return this;
    return new Loss(this.source, this.vars, this.constants.filter((c) => c !== this.weightDecay), this.undecayed, undefined, this.table, this.undecayed, Poly.zero, this.values);
  }

  /** g = ∇L, one normal form per parameter (computed once). */
  gradient(): Poly[] {
    return (this.grad ??= this.diff.gradient(this.expr, this.varIds));
  }
}

/** Words mathjs reads as numbers or literals, never names. */
const NOT_A_NUMBER: ReadonlySet<string> = new Set(['NaN', 'Infinity', 'true', 'false', 'null', 'undefined']);

/** Whether --weight-decay (or a --set key) is a name (lambda) rather than a number. */
export const isName = (text: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);

function weightDecayValue(text: string, vars: readonly string[], table: AtomTable): Poly {
  if (isName(text)) {
    if (vars.includes(text)) throw new LossError(`--weight-decay: "${text}" is a parameter; use a number or another name`);
    return table.constantSymbol(text);
  }
  return Poly.constant(exactNumber(text, '--weight-decay', ' or a name (lambda)'));
}

/** "0.5", "-1e-3" or "1/3" as an exact rational. */
export function exactNumber(text: string, option: string, alternative = ''): Rational {
  const frac = /^\s*([+-]?[\d.eE+-]+)\s*\/\s*(\d+)\s*$/.exec(text);
  try {
    if (!frac) return decimalToRational(text);
    const den = BigInt(frac[2]!);
    if (den === 0n) throw new RangeError('zero denominator');
    return Rational.div(decimalToRational(frac[1]!), Rational.fromInteger(den));
  } catch {
    throw new LossError(`${option} must be a number (0.5, 1e-3, 1/3)${alternative}, got "${text}"`);
  }
}
