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
import { Rational } from '../series/fraction.js';
import type { Atom, AtomTable } from './atoms.js';
import { checkedLatex } from '../notation/katexCheck.js';
import type { Monomial, Poly, Term } from './poly.js';

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

  constructor(readonly ctx: PrintContext) {
    ctx.varIds.forEach((id, i) => this.rank.set(id, i));
  }

  /** Inline mathjs syntax: exact rationals, every atom written out. */
  mathjs(p: Poly): string {
    return this.poly(p, 'mathjs', new Map());
  }

  /** Inline LaTeX (checked by KaTeX). */
  latexInline(p: Poly): string {
    return checkedLatex(this.poly(p, 'latex', new Map()));
  }

  /**
   * Text, LaTeX or mathjs syntax with shared subexpressions named (in mathjs syntax the names and
   * definitions stay mathjs-parsable: substituting them back gives the inline form).
   */
  named(polys: readonly Poly[], style: Style): NamedForms {
    const used = new Set<number>();
    const visit = (p: Poly) => {
      for (const id of p.atomIds()) {
        if (used.has(id)) continue;
        const a = this.ctx.table.get(id);
        if (a.kind === 'call') a.args.forEach(visit);
        if (a.kind === 'inv' || a.kind === 'root') visit(a.base);
        used.add(id);
      }
    };
    polys.forEach(visit);
    const names = new Map<number, string>();
    const definitions: [string, string][] = [];
    // Shared subexpressions are s1, s2, … (or t1, … if the loss itself uses such names).
    const taken = new Set([...this.ctx.vars, ...this.ctx.constants]);
    const prefix = ['s', 't', 'u', 'q', 'r'].find((p) => ![...taken].some((n) => new RegExp(`^${p}_?\\d+$`).test(n))) ?? 'shared';
    for (const id of [...used].sort((a, b) => a - b)) {
      const a = this.ctx.table.get(id);
      if (a.kind === 'var' || a.kind === 'const' || a.kind === 'dir') continue;
      if (a.kind === 'call' && a.args.every((x) => x.constantValue() !== undefined)) continue; // exp(1) stays inline
      const name = style === 'latex' ? `${prefix}_{${names.size + 1}}` : `${prefix}${names.size + 1}`;
      definitions.push([name, this.atomDefinition(a, style, names)]);
      names.set(id, name);
    }
    const bodies = polys.map((p) => this.poly(p, style, names));
    if (style === 'latex') {
      definitions.forEach(([n, d]) => checkedLatex(`${n} = ${d}`));
      bodies.forEach((b) => checkedLatex(b));
    }
    return { definitions, bodies };
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
    const order = mono.atoms.map((id, i) => ({ id, i, r: this.factorRank(id) })).sort((a, b) => a.r - b.r);
    order.forEach(({ id, i }) => {
      const e = mono.exps[i]!;
      const a = this.ctx.table.get(id);
      // 1/b atoms go to the denominator as b (and b to the numerator for negative powers).
      if (a.kind === 'inv' && !names.has(id)) {
        (e > 0 ? den : num).push(this.power(this.group(this.poly(a.base, style, names), style), Math.abs(e), style));
        return;
      }
      (e > 0 ? num : den).push(this.power(this.atom(a, style, names), Math.abs(e), style));
    });
    const isOne = coef.num === 1n && coef.den === 1n;
    if (style === 'latex') {
      const top = [...(coef.num === 1n ? [] : [coef.num.toString()]), ...num].join(' ') || '1';
      const bottom = [...(coef.den === 1n ? [] : [coef.den.toString()]), ...den].join(' ');
      return bottom === '' ? top : `\\frac{${top}}{${bottom}}`;
    }
    const c = isOne ? [] : [coef.den === 1n ? `${coef.num}` : `${coef.num}/${coef.den}`];
    const top = [...c, ...num].join('*') || '1';
    if (den.length === 0) return top;
    return `${top}/${den.length === 1 ? den[0] : `(${den.join('*')})`}`;
  }

  /** Factor order inside a term: constants, then parameters, then everything else by id. */
  private factorRank(id: number): number {
    const r = this.rank.get(id);
    if (r !== undefined) return r;
    const a = this.ctx.table.get(id);
    return a.kind === 'const' ? -1e9 + id : 1e9 + id;
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
        return style === 'latex' ? latexName(a.name) : a.name;
      case 'dir':
        return `u${a.slot}_${a.index}`;
      case 'call': {
        const d = this.atomDefinition(a, style, names);
        return style === 'latex' || isCallShaped(d) ? d : this.group(d, style);
      }
      default:
        return this.group(this.atomDefinition(a, style, names), style);
    }
  }

  /** The atom written out (its arguments in the current names). */
  private atomDefinition(a: Atom, style: Style, names: Map<number, string>): string {
    switch (a.kind) {
      case 'call': {
        const args = a.args.map((x) => this.poly(x, style, names));
        if (style === 'latex') return a.fn.latex(args);
        if (style === 'text') return `${a.fn.name}(${args.join(', ')})`;
        return a.fn.mathjs(args);
      }
      case 'inv':
        return style === 'latex' ? `\\frac{1}{${this.poly(a.base, style, names)}}` : `1/(${this.poly(a.base, style, names)})`;
      case 'root':
        if (style === 'latex') return a.q === 2 ? `\\sqrt{${this.poly(a.base, style, names)}}` : `\\sqrt[${a.q}]{${this.poly(a.base, style, names)}}`;
        // mathjs: sqrt for q = 2, nthRoot (the real root) for other q, so JSON forms evaluate as compiled.
        if (style === 'mathjs') return a.q === 2 ? `sqrt(${this.poly(a.base, style, names)})` : `nthRoot(${this.poly(a.base, style, names)}, ${a.q})`;
        return `(${this.poly(a.base, style, names)})^(1/${a.q})`;
      default:
        return this.atom(a, style, names);
    }
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
        return a.t.mono.key < b.t.mono.key ? -1 : a.t.mono.key > b.t.mono.key ? 1 : 0;
      })
      .map((x) => x.t);
  }
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

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'eta', 'theta', 'lambda', 'mu', 'nu', 'rho', 'sigma', 'tau', 'phi', 'omega', 'pi']);

/** x → x, x1 → x_{1}, lambda → \lambda, long names → \mathrm{name}. */
function latexName(name: string): string {
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m) return `${latexName(m[1]!)}_{${m[2]}}`;
  if (GREEK.has(name)) return `\\${name}`;
  if (name.length === 1) return name;
  return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
}
