/**
 * JavaScript source from normal forms. The source is generated from the parsed, normalised tree
 * only: parameters and constants become generated names (v0, a3, …), numbers are printed from
 * exact rationals, and functions come from the registry's `js` emitters. A user's text never
 * reaches the generated code.
 *
 * Common subexpressions are computed once: every atom (exp(−x·y), 1/(1 + …)) and every power of
 * an atom is a `const`, declared the first time it is needed, and so is every monomial that occurs
 * more than once among the expressions registered with `countUses`.
 *
 * Placeholder directions (the `dir` atoms of loss/concrete.ts) are resolved per expression by a
 * callback, so one contraction D^m g[u_1..u_m] can be emitted for many different vectors.
 *
 * @example
 *   const b = new CodeBuilder({ table, varIds, constants: {} });
 *   const e = b.expr(p);           // "3 * v0_2 + a5"
 *   b.lines                        // the const declarations e needs
 */
import { rationalToNumber } from '../series/fraction.js';
import type { AtomTable } from '../algebra/atoms.js';
import type { Monomial, Poly } from '../algebra/poly.js';
import { ownValue } from '../loss/names.js';

export interface CodegenContext {
  readonly table: AtomTable;
  /** Atom ids of the parameters: v_i = th[i]. */
  readonly varIds: readonly number[];
  /** Values of symbolic constants, by name (must cover every constant that occurs). */
  readonly constants: Readonly<Record<string, number>>;
}

/** Names for placeholder direction entries u^{(slot)}_index in one expression. */
export type DirectionNames = (slot: number, index: number) => string;

export class CodegenError extends Error {}

export class CodeBuilder {
  readonly lines: string[] = [];
  private readonly preludes = new Set<string>();
  private readonly atomName = new Map<number, string>();
  private readonly powerName = new Map<string, string>();
  private readonly monoName = new Map<number, string>();
  private readonly uses = new Map<number, number>();
  private fresh = 0;
  /** Every local the function body declares (chunks take the ones they read as arguments). */
  private readonly locals = new Set<string>();
  /** Functions outside the per-call body: the chunks of long sums (see `expr`). */
  private readonly hoisted: string[] = [];

  constructor(readonly ctx: CodegenContext) {
    ctx.varIds.forEach((id, i) => {
      this.atomName.set(id, `v${i}`);
      this.push(`v${i}`, `th[${i}]`);
    });
  }

  /** Helper functions the generated code calls (softplus, logsumexp, …), then the hoisted chunks. */
  get prelude(): string {
    return [...this.preludes, ...this.hoisted].join('\n');
  }

  private push(name: string, code: string): void {
    this.locals.add(name);
    this.lines.push(`const ${name} = ${code};`);
  }

  /** Register expressions whose repeated monomials should be computed once. */
  countUses(polys: Iterable<Poly>): void {
    for (const p of polys) {
      for (const t of p.terms()) {
        if (t.mono.atoms.length > 1 && !this.hasDirection(t.mono)) this.uses.set(t.mono.id, (this.uses.get(t.mono.id) ?? 0) + 1);
      }
    }
  }

  /** A new local name. */
  local(prefix: string): string {
    return `${prefix}${this.fresh++}`;
  }

  /** Declare `const name = code;` and return the name. */
  declare(prefix: string, code: string): string {
    const name = this.local(prefix);
    this.push(name, code);
    return name;
  }

  /** JavaScript for p, declaring whatever atoms, powers and shared monomials it needs first. */
  expr(p: Poly, dirs?: DirectionNames): string {
    const terms: string[] = [];
    for (const t of p.terms()) {
      const c = rationalToNumber(t.coef);
      if (t.mono.isOne) {
        terms.push(numberLiteral(c));
        continue;
      }
      const m = this.monomial(t.mono, dirs);
      terms.push(c === 1 ? m : c === -1 ? `-${m}` : `${numberLiteral(c)} * ${m}`);
    }
    if (terms.length === 0) return '0';
    const code = sum(terms);
    if (code.length <= CHUNK_CHARS) return code;
    // A long sum goes into small functions: V8 optimises no function whose bytecode exceeds
    // --max-optimized-bytecode-size, and one huge expression leaves the whole function interpreted
    // (measured on a 3-parameter EoM_1 field: 0.93 ms per call in one piece, 29 µs in chunks).
    // The chunks live outside the per-call function and take the locals they read as arguments,
    // so each is compiled (and optimised) once, and no closure is created per call.
    const chunks: string[] = [];
    let chunk: string[] = [];
    let size = 0;
    for (const t of terms) {
      if (size + t.length > CHUNK_CHARS && chunk.length) {
        chunks.push(this.hoist(sum(chunk)));
        chunk = [];
        size = 0;
      }
      chunk.push(t);
      size += t.length + 3;
    }
    chunks.push(this.hoist(sum(chunk)));
    return chunks.join(' + ');
  }

  /** `code` as a function outside the per-call body, called with the locals it reads. */
  private hoist(code: string): string {
    const args = [...new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? [])].filter((id) => this.locals.has(id));
    const name = `chunk${this.hoisted.length}`;
    // Parenthesised: V8 compiles it when the source is instantiated, not on the first call.
    this.hoisted.push(`const ${name} = (function (${args.join(', ')}) { return ${code}; });`);
    return `${name}(${args.join(', ')})`;
  }

  private hasDirection(m: Monomial): boolean {
    return m.atoms.some((a) => this.ctx.table.get(a).kind === 'dir');
  }

  private monomial(m: Monomial, dirs?: DirectionNames): string {
    const hit = this.monoName.get(m.id);
    if (hit) return hit;
    const code = m.atoms.map((a, i) => this.power(a, m.exps[i]!, dirs)).join(' * ');
    if ((this.uses.get(m.id) ?? 0) < 2 || m.atoms.length < 2 || this.hasDirection(m)) return code;
    const name = this.declare('m', code);
    this.monoName.set(m.id, name);
    return name;
  }

  private power(id: number, e: number, dirs?: DirectionNames): string {
    const a = this.ctx.table.get(id);
    if (a.kind === 'dir') {
      if (!dirs) throw new Error('internal: placeholder direction without names');
      const base = dirs(a.slot, a.index);
      return e === 1 ? base : `${base} ** ${e}`;
    }
    const key = `${id}^${e}`;
    const hit = this.powerName.get(key);
    if (hit) return hit;
    const base = this.atom(id);
    if (e === 1) return base;
    const code = e < 0 ? `1 / ${this.power(id, -e)}` : e === 2 ? `${base} * ${base}` : `${this.power(id, e - 1)} * ${base}`;
    const name = `${base}_${e < 0 ? `m${-e}` : e}`;
    this.push(name, code);
    this.powerName.set(key, name);
    return name;
  }

  private atom(id: number): string {
    const hit = this.atomName.get(id);
    if (hit) return hit;
    const a = this.ctx.table.get(id);
    let code: string;
    switch (a.kind) {
      case 'var':
        throw new CodegenError(`"${a.name}" is not a parameter of this function`);
      case 'const': {
        const v = ownValue(this.ctx.constants, a.name) ?? a.value;
        if (v === undefined) throw new CodegenError(`no value for the constant "${a.name}" (give it with --set ${a.name}=…)`);
        code = numberLiteral(v);
        break;
      }
      case 'dir':
        throw new Error('internal: placeholder direction outside a contraction');
      case 'call':
        if (a.fn.jsPrelude) this.preludes.add(a.fn.jsPrelude);
        code = a.fn.js(a.args.map((x) => `(${this.expr(x)})`));
        break;
      case 'inv':
        code = `1 / (${this.expr(a.base)})`;
        break;
      case 'root': {
        const b = this.expr(a.base);
        // Even roots of negative numbers are NaN; odd roots are real (sign-preserving), as in evaluate.ts.
        code = a.q === 2 ? `Math.sqrt(${b})` : a.q === 3 ? `Math.cbrt(${b})` : a.q % 2 === 1 ? `((t) => Math.sign(t) * Math.pow(Math.abs(t), 1 / ${a.q}))(${b})` : `Math.pow(${b}, 1 / ${a.q})`;
        break;
      }
    }
    const name = `a${id}`;
    this.push(name, code);
    this.atomName.set(id, name);
    return name;
  }
}

/** Largest sum, in characters of source, emitted inline; longer sums are split (see `expr`). */
export const CHUNK_CHARS = 24_000;

function sum(terms: readonly string[]): string {
  return terms.join(' + ').replace(/\+ -/g, '- ');
}

/** A finite number as a JavaScript literal (only digits, '.', 'e', '-', '+'). */
export function numberLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new CodegenError(`cannot compile the non-finite number ${x}`);
  const s = String(x);
  if (!/^-?[\d.]+(e[+-]?\d+)?$/.test(s)) throw new Error(`internal: unexpected number literal ${s}`);
  return x < 0 ? `(${s})` : s;
}

/**
 * Wrap generated statements into a function `(th, …params) => out` and instantiate it. The
 * function is parenthesised, which makes V8 compile it here rather than on the first call (a
 * 37 kB field: about 1 ms of the first call moves into the build).
 */
export function instantiate<F>(builder: CodeBuilder, params: string, body: string): F {
  const source = `"use strict";\n${builder.prelude}\nreturn (function compiled(th, ${params}) {\n${builder.lines.join('\n')}\n${body}\n});`;
  return new Function(source)() as F;
}
