/**
 * JavaScript source from normal forms. The source is generated from the parsed, normalised tree
 * only: parameters and constants become generated names (v0, c1, …), numbers are printed from
 * exact rationals, and functions come from the registry's `js` emitters. A user's text never
 * reaches the generated code.
 *
 * Common subexpressions are computed once: every atom (exp(−x·y), 1/(1 + …)) and every power of
 * an atom is a `const`, and so is every monomial that occurs more than once across the outputs.
 *
 * @example
 *   generateBody({ table, varIds, constants: {} }, [p0, p1]) // "const v0 = th[0]; … out[0] = …;"
 */
import { rationalToNumber } from '../series/fraction.js';
import type { AtomTable } from '../loss/atoms.js';
import type { Monomial, Poly } from '../loss/poly.js';

export interface CodegenContext {
  readonly table: AtomTable;
  /** Atom ids of the parameters: v_i = th[i]. */
  readonly varIds: readonly number[];
  /** Values of symbolic constants, by name (must cover every constant that occurs). */
  readonly constants: Readonly<Record<string, number>>;
}

export interface GeneratedCode {
  /** Helper functions the body calls (softplus, logsumexp, …). */
  readonly prelude: string;
  /** Statements computing `outputs[j]` into the local `r{j}`, reading `th`. */
  readonly body: string;
  /** Names of the locals holding the outputs. */
  readonly results: readonly string[];
}

export class CodegenError extends Error {}

export function generateCode(ctx: CodegenContext, outputs: readonly Poly[]): GeneratedCode {
  const lines: string[] = [];
  const preludes = new Set<string>();
  const atomName = new Map<number, string>();
  const powerName = new Map<string, string>();
  const monoName = new Map<string, string>();

  ctx.varIds.forEach((id, i) => {
    atomName.set(id, `v${i}`);
    lines.push(`const v${i} = th[${i}];`);
  });

  // Which atoms are needed (including those inside arguments), in dependency (= id) order.
  const needed = new Set<number>();
  const visit = (p: Poly) => {
    for (const id of p.atomIds()) {
      if (needed.has(id)) continue;
      needed.add(id);
      const a = ctx.table.get(id);
      if (a.kind === 'call') a.args.forEach(visit);
      if (a.kind === 'inv' || a.kind === 'root') visit(a.base);
    }
  };
  outputs.forEach(visit);

  // Monomials used more than once get their own const.
  const uses = new Map<string, number>();
  const countUses = (p: Poly) => {
    for (const t of p.terms()) if (t.mono.atoms.length > 1 || (t.mono.exps[0] ?? 1) !== 1) uses.set(t.mono.key, (uses.get(t.mono.key) ?? 0) + 1);
  };
  outputs.forEach(countUses);

  const pow = (id: number, e: number): string => {
    const key = `${id}^${e}`;
    const hit = powerName.get(key);
    if (hit) return hit;
    const base = atomName.get(id)!;
    let code: string;
    if (e === 1) return base;
    if (e < 0) code = `1 / ${pow(id, -e)}`;
    else if (e === 2) code = `${base} * ${base}`;
    else code = `${pow(id, e - 1)} * ${base}`;
    const name = `${base}_${e < 0 ? `m${-e}` : e}`;
    lines.push(`const ${name} = ${code};`);
    powerName.set(key, name);
    return name;
  };

  const monomial = (m: Monomial): string => {
    const hit = monoName.get(m.key);
    if (hit) return hit;
    const code = m.atoms.map((a, i) => pow(a, m.exps[i]!)).join(' * ');
    if ((uses.get(m.key) ?? 0) < 2 || m.atoms.length < 2) return code;
    const name = `m${monoName.size}`;
    lines.push(`const ${name} = ${code};`);
    monoName.set(m.key, name);
    return name;
  };

  const poly = (p: Poly): string => {
    const terms: string[] = [];
    for (const t of p.terms()) {
      const c = rationalToNumber(t.coef);
      const lit = numberLiteral(c);
      if (t.mono.isOne) terms.push(lit);
      else {
        const m = monomial(t.mono);
        terms.push(c === 1 ? m : c === -1 ? `-${m}` : `${lit} * ${m}`);
      }
    }
    return terms.length === 0 ? '0' : terms.join(' + ').replace(/\+ -/g, '- ');
  };

  for (const id of [...needed].sort((a, b) => a - b)) {
    if (atomName.has(id)) continue;
    const a = ctx.table.get(id);
    const name = `a${id}`;
    let code: string;
    switch (a.kind) {
      case 'var':
        throw new CodegenError(`"${a.name}" is not a parameter of this function`);
      case 'const': {
        const v = ctx.constants[a.name] ?? a.value;
        if (v === undefined) throw new CodegenError(`no value for the constant "${a.name}" (give it with --set ${a.name}=…)`);
        code = numberLiteral(v);
        break;
      }
      case 'dir':
        throw new Error('internal: placeholder direction left in an expression');
      case 'call':
        if (a.fn.jsPrelude) preludes.add(a.fn.jsPrelude);
        code = a.fn.js(a.args.map((x) => `(${poly(x)})`));
        break;
      case 'inv':
        code = `1 / (${poly(a.base)})`;
        break;
      case 'root':
        code = a.q === 2 ? `Math.sqrt(${poly(a.base)})` : a.q === 3 ? `Math.cbrt(${poly(a.base)})` : `Math.pow(${poly(a.base)}, 1 / ${a.q})`;
        break;
    }
    atomName.set(id, name);
    lines.push(`const ${name} = ${code};`);
  }

  const results = outputs.map((p, j) => {
    lines.push(`const r${j} = ${poly(p)};`);
    return `r${j}`;
  });
  return { prelude: [...preludes].join('\n'), body: lines.join('\n'), results };
}

/** A finite number as a JavaScript literal (only digits, '.', 'e', '-', '+'). */
export function numberLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new CodegenError(`cannot compile the non-finite number ${x}`);
  const s = String(x);
  if (!/^-?[\d.]+(e[+-]?\d+)?$/.test(s)) throw new Error(`internal: unexpected number literal ${s}`);
  return x < 0 ? `(${s})` : s;
}
