/**
 * Printing normal forms: as mathjs-parsable text with every atom written out (the JSON contract),
 * and as compact text or LaTeX in which each function call, reciprocal and root is named once
 * (s1 = exp(-x*y), s2 = 1/(1 + s1), …) and the components are written in those names.
 *
 * Terms are ordered by total degree in the parameters (highest first), then by parameter order.
 *
 * @example
 *   const printer = new PolyPrinter(loss);
 *   printer.mathjs(loss.gradient()[0]) // "4*x^3 + 4*x*y^2 - 4*x"
 */
import { Rational, rational } from '../series/fraction.js';
import type { Atom, AtomTable } from '../algebra/atoms.js';
import { checkedLatex } from '../notation/katexCheck.js';
import { Poly, type Monomial, type Term } from '../algebra/poly.js';
import { symbolLatex } from '../notation/symbolLatex.js';

export interface PrintContext {
  readonly vars: readonly string[];
  readonly constants: readonly string[];
  readonly varIds: readonly number[];
  readonly table: AtomTable;
}

export type Style = 'mathjs' | 'text' | 'latex';

export interface NamedForms {
  /** Definitions of the shared subexpressions, in dependency order: [name, definition]. */
  readonly definitions: [string, string][];
  /** Each input in terms of those names. */
  readonly bodies: string[];
}

export class PolyPrinter {
  private readonly rank = new Map<number, number>();

  /**
   * `refs`: references of a straight-line program (sharedForms.ts), atom id → definition. Named
   * forms name each one used; inline forms write its definition out.
   */
  constructor(
    readonly ctx: PrintContext,
    private readonly refs: ReadonlyMap<number, Poly> = new Map(),
  ) {
    ctx.varIds.forEach((id, i) => this.rank.set(id, i));
  }

  /** Inline mathjs syntax: exact rationals, every atom written out. */
  mathjs(p: Poly): string {
    return this.poly(p, 'mathjs', new Map());
  }

  /** Inline LaTeX (checked by KaTeX factor by factor: see `checkOnce`). */
  latexInline(p: Poly): string {
    return this.poly(p, 'latex', new Map());
  }

  private readonly checked = new Set<string>();

  /**
   * KaTeX's check of one factor of a term (an atom or a name, with its power), at most once per
   * distinct string. A term is a coefficient and checked factors juxtaposed (over one \frac), and
   * a sum joins terms with + and −: what renders factor by factor renders as a whole (the tests
   * render whole outputs to hold this), and no sum is ever checked whole, which would cost time
   * quadratic in its length.
   */
  private checkOnce(tex: string): string {
    if (!this.checked.has(tex)) {
      checkedLatex(tex);
      this.checked.add(tex);
    }
    return tex;
  }

  /**
   * Text, LaTeX or mathjs syntax with shared subexpressions named (in mathjs syntax the names and
   * definitions stay mathjs-parsable: substituting them back gives the inline form). 
   * Names are numbered by first appearance in
   * `basis` (default: `polys`), arguments before the call that holds them, terms in printed order:
   * outputs of one loss that pass the same basis (its gradient, then ξ_0, ξ_1, …: see
   * `namingBasis`) call each subexpression by the same name whatever they print. Subexpressions
   * of `polys` that are not in the basis are written out.
   */
  named(polys: readonly Poly[], style: Style, basis: readonly Poly[] = polys): NamedForms {
    const order: number[] = [];
    const seen = new Set<number>();
    const visitAtom = (id: number) => {
      if (seen.has(id)) return;
      seen.add(id);
      const a = this.ctx.table.get(id);
      if (a.kind === 'call') a.args.forEach(visit);
      if (a.kind === 'inv' || a.kind === 'root') visit(a.base);
      const ref = this.refs.get(id);
      if (ref) visit(ref);
      order.push(id);
    };
    const visit = (p: Poly) => {
      for (const t of this.sorted(p)) for (const id of this.factors(t.mono)) visitAtom(id);
    };
    basis.forEach(visit);
    const used = new Set<number>();
    const collect = (p: Poly) => {
      for (const id of p.atomIds()) {
        if (used.has(id)) continue;
        used.add(id);
        const a = this.ctx.table.get(id);
        if (a.kind === 'call') a.args.forEach(collect);
        if (a.kind === 'inv' || a.kind === 'root') collect(a.base);
        const ref = this.refs.get(id);
        if (ref) collect(ref);
      }
    };
    polys.forEach(collect);
    // Shared subexpressions are s1, s2, … (or t1, … if the loss itself uses such names).
    const taken = new Set([...this.ctx.vars, ...this.ctx.constants]);
    const prefix = ['s', 't', 'u', 'q', 'r'].find((p) => ![...taken].some((n) => new RegExp(`^${p}_?\\d+$`).test(n))) ?? 'shared';
    const names = new Map<number, string>();
    const definitions: [string, string][] = [];
    let number = 0;
    for (const id of order) {
      const a = this.ctx.table.get(id);
      if (a.kind === 'var' || a.kind === 'const' || (a.kind === 'dir' && !this.refs.has(id))) continue;
      if (a.kind === 'call' && a.args.every((x) => x.constantValue() !== undefined)) continue; // exp(1) stays inline
      number++;
      if (!used.has(id)) continue; // named in the basis, not needed here: the number stays reserved
      const name = style === 'latex' ? `${prefix}_{${number}}` : `${prefix}${number}`;
      const definition = this.atomDefinition(a, style, names);
      // A reference's definition is a sum of checked terms; a call, root or inverse is one atom.
      if (style === 'latex' && !this.refs.has(id)) this.checkOnce(`${name} = ${definition}`);
      definitions.push([name, definition]);
      names.set(id, name);
    }
    order.forEach((id, i) => this.position.set(id, i));
    let bodies: string[];
    try {
      // Named factors print in the order of their names (s1*s3), and so do terms that tie.
      bodies = polys.map((p) => this.poly(p, style, names));
    } finally {
      this.position.clear();
    }
    return { definitions, bodies };
  }

  /** Atom ids of a monomial in the order a term prints them. */
  private factors(mono: Monomial): number[] {
    return mono.atoms.map((id) => ({ id, r: this.factorRank(id), c: this.tieKey(id) })).sort((a, b) => a.r - b.r || compare(a.c, b.c)).map((x) => x.id);
  }

  /** While `named` prints: each basis atom's place in the naming order. */
  private readonly position = new Map<number, number>();

  /** Orders atoms of equal rank: by name number while naming, else by `canonical`. */
  private tieKey(id: number): string {
    const p = this.position.get(id);
    return p !== undefined ? `#${String(p).padStart(9, '0')}` : `~${this.canonical(id)}`;
  }

  /** Orders terms of equal parameter exponents: fewer other factors first, then by `tieKey`. */
  private termKey(mono: Monomial): string {
    return mono.atoms
      .filter((id) => !this.rank.has(id))
      .map((id) => `${this.tieKey(id)}^${mono.exponentOf(id)}`)
      .sort()
      .join('\u0001');
  }

  private readonly canon = new Map<number, string>();

  /**
   * A key of an atom that does not depend on when it was created (atom ids do): its kind, name and
   * arguments written out. Ties between terms and factors are broken by it, so one loss prints
   * the same in every process.
   */
  private canonical(id: number): string {
    const hit = this.canon.get(id);
    if (hit !== undefined) return hit;
    const a = this.ctx.table.get(id);
    const poly = (p: Poly) => [...p.terms()].map((t) => `${Rational.toString(t.coef)}*${this.monoKey(t.mono)}`).sort().join('+');
    let key: string;
    switch (a.kind) {
      case 'var':
        key = `v:${a.name}`;
        break;
      case 'const':
        key = `c:${a.name}`;
        break;
      case 'dir':
        key = `d:${a.slot}:${a.index}`;
        break;
      case 'call':
        key = `f:${a.fn.name}(${a.args.map(poly).join(';')})`;
        break;
      case 'inv':
        key = `i:(${poly(a.base)})`;
        break;
      case 'root':
        key = `r${a.q}:(${poly(a.base)})`;
        break;
    }
    this.canon.set(id, key);
    return key;
  }

  private readonly monoKeys = new Map<number, string>();

  private monoKey(mono: Monomial): string {
    let key = this.monoKeys.get(mono.id);
    if (key === undefined) {
      key = mono.atoms.map((id, i) => `${this.canonical(id)}^${mono.exps[i]}`).sort().join('·');
      this.monoKeys.set(mono.id, key);
    }
    return key;
  }

  private poly(p: Poly, style: Style, names: Map<number, string>): string {
    const terms = this.sorted(p);
    if (terms.length === 0) return '0';
    return terms
      .map((t, i) => {
        const negative = t.coef.num < 0n;
        const body = this.term(t.mono, negative ? Rational.neg(t.coef) : t.coef, style, names);
        if (i === 0) return negative ? `-${body}` : body;
        return `${negative ? '-' : '+'} ${body}`;
      })
      .join(' ');
  }

  /** |coef|·monomial. */
  private term(mono: Monomial, coef: Rational, style: Style, names: Map<number, string>): string {
    const num: string[] = [];
    const den: string[] = [];
    this.factors(mono).forEach((id) => {
      const e = mono.exponentOf(id);
      const a = this.ctx.table.get(id);
      // 1/b atoms go to the denominator as b (and b to the numerator for negative powers).
      if (a.kind === 'inv' && !names.has(id)) {
        (e > 0 ? den : num).push(this.power(this.group(this.poly(a.base, style, names), style), Math.abs(e), style));
        return;
      }
      // exp(c)^n of a constant c is exp(n·c): exp(2), not exp(1)^2.
      const c = a.kind === 'call' && a.fn.name === 'exp' && !names.has(id) ? a.args[0]!.constantValue() : undefined;
      if (a.kind === 'call' && c !== undefined && Math.abs(e) > 1) {
        const exponent = this.poly(Poly.constant(Rational.mul(c, rational(Math.abs(e)))), style, names);
        (e > 0 ? num : den).push(this.atomCall(a, [exponent], style));
        return;
      }
      (e > 0 ? num : den).push(this.power(this.atom(a, style, names), Math.abs(e), style));
    });
    const isOne = coef.num === 1n && coef.den === 1n;
    if (style === 'latex') {
      num.forEach((f) => this.checkOnce(f));
      den.forEach((f) => this.checkOnce(f));
      const top = [...(coef.num === 1n ? [] : [coef.num.toString()]), ...num].join(' ') || '1';
      const bottom = [...(coef.den === 1n ? [] : [coef.den.toString()]), ...den].join(' ');
      return bottom === '' ? top : `\\frac{${top}}{${bottom}}`;
    }
    const c = isOne ? [] : [coef.den === 1n ? `${coef.num}` : `${coef.num}/${coef.den}`];
    const top = [...c, ...num].join('*') || '1';
    if (den.length === 0) return top;
    return `${top}/${den.length === 1 ? den[0] : `(${den.join('*')})`}`;
  }

  /** Factor order inside a term: constants, then parameters in order, then everything else (ties: `canonical`). */
  private factorRank(id: number): number {
    const r = this.rank.get(id);
    if (r !== undefined) return r;
    return this.ctx.table.get(id).kind === 'const' ? -1 : Number.MAX_SAFE_INTEGER;
  }

  private power(base: string, e: number, style: Style): string {
    if (e === 1) return base;
    const simple =
      /^[A-Za-z_][A-Za-z0-9_]*$|^[a-z]+_\{\d+\}$|^\\[a-z]+$/.test(base) ||
      (/^\(.*\)$/.test(base) && balanced(base.slice(1, -1))) ||
      (style !== 'latex' && isCallShaped(base)) ||
      (style === 'latex' && /^\\left\(.*\\right\)$/.test(base));
    const b = simple ? base : this.group(base, style);
    return style === 'latex' ? `${b}^{${e}}` : `${b}^${e}`;
  }

  private group(s: string, style: Style): string {
    return style === 'latex' ? `\\left(${s}\\right)` : `(${s})`;
  }

  private atom(a: Atom, style: Style, names: Map<number, string>): string {
    const named = names.get(a.id);
    if (named) return named;
    switch (a.kind) {
      case 'var':
      case 'const':
        return style === 'latex' ? symbolLatex(a.name) : a.name;
      case 'dir': {
        const ref = this.refs.get(a.id);
        return ref ? this.group(this.poly(ref, style, names), style) : `u${a.slot}_${a.index}`;
      }
      case 'call': {
        const d = this.atomDefinition(a, style, names);
        return style === 'latex' || isCallShaped(d) ? d : this.group(d, style);
      }
      case 'root':
        // x^(1/3), (x + 1)^(1/3), nthRoot(…), \sqrt[3]{…}: each already one factor (power() groups it as a base).
        return this.atomDefinition(a, style, names);
      default:
        return this.group(this.atomDefinition(a, style, names), style);
    }
  }

  /** The atom written out (its arguments in the current names). */
  private atomDefinition(a: Atom, style: Style, names: Map<number, string>): string {
    const ref = this.refs.get(a.id);
    if (ref) return this.poly(ref, style, names);
    switch (a.kind) {
      case 'call':
        return this.atomCall(a, a.args.map((x) => this.poly(x, style, names)), style);
      case 'inv':
        return style === 'latex' ? `\\frac{1}{${this.poly(a.base, style, names)}}` : `1/(${this.poly(a.base, style, names)})`;
      case 'root':
        if (style === 'latex') return a.q === 2 ? `\\sqrt{${this.poly(a.base, style, names)}}` : `\\sqrt[${a.q}]{${this.poly(a.base, style, names)}}`;
        // mathjs: sqrt for q = 2, nthRoot (the real root) for other q, so JSON forms evaluate as compiled.
        if (style === 'mathjs') return a.q === 2 ? `sqrt(${this.poly(a.base, style, names)})` : `nthRoot(${this.poly(a.base, style, names)}, ${a.q})`;
        return `${rootBase(this.poly(a.base, style, names))}^(1/${a.q})`;
      default:
        return this.atom(a, style, names);
    }
  }

  /** A call atom with its arguments already written. */
  private atomCall(a: Atom & { kind: 'call' }, args: string[], style: Style): string {
    if (style === 'latex') return a.fn.latex(args);
    if (style === 'text') return `${a.fn.name}(${args.join(', ')})`;
    return a.fn.mathjs(args);
  }

  /** Terms by total parameter degree (descending), then lexicographically in parameter order. */
  private sorted(p: Poly): Term[] {
    const vec = (m: Monomial) => {
      const v = new Array<number>(this.ctx.varIds.length).fill(0);
      m.atoms.forEach((a, i) => {
        const r = this.rank.get(a);
        if (r !== undefined) v[r] = m.exps[i]!;
      });
      return v;
    };
    return [...p.terms()]
      .map((t) => ({ t, v: vec(t.mono) }))
      .sort((a, b) => {
        const da = a.v.reduce((s, e) => s + e, 0);
        const db = b.v.reduce((s, e) => s + e, 0);
        if (da !== db) return db - da;
        for (let i = 0; i < a.v.length; i++) if (a.v[i] !== b.v[i]) return b.v[i]! - a.v[i]!;
        return compare(this.termKey(a.t.mono), this.termKey(b.t.mono));
      })
      .map((x) => x.t);
  }
}

/** The base of a text root: x^(1/3), but (x + 1)^(1/3). */
function rootBase(base: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(base) || isCallShaped(base) ? base : `(${base})`;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What every output of one loss names its subexpressions by: the gradient's components, then
 * ξ_0, ξ_1, … (so lower orders keep their names when more are printed).
 *
 * @example
 *   printer.named(xi.flat(), 'latex', namingBasis(loss, xi))
 */
export function namingBasis(loss: { gradient(): Poly[] }, xi: readonly (readonly Poly[])[]): Poly[] {
  return [...loss.gradient(), ...xi.flat()];
}

/** name(…) with the parentheses matching: safe as a factor or a power's base. */
function isCallShaped(s: string): boolean {
  const m = /^[A-Za-z_][A-Za-z0-9_]*\((.*)\)$/.exec(s);
  return m !== null && balanced(m[1]!);
}

function balanced(s: string): boolean {
  let d = 0;
  for (const ch of s) {
    if (ch === '(') d++;
    else if (ch === ')' && --d < 0) return false;
  }
  return d === 0;
}

