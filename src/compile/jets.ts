/**
 * Forward-mode jets for compiled contractions D^m g[v_1, …, v_m] (v_s numeric vectors known only
 * at run time). With the distinct vectors w_1..w_r taken k_1..k_r times (Σ k_j = m),
 *
 *   D^m g[v_1, …, v_m] = k_1!⋯k_r! · [t_1^{k_1} ⋯ t_r^{k_r}] g(θ + t_1 w_1 + … + t_r w_r),
 *
 * the coefficient of a truncated multivariate Taylor expansion (a "jet": one number per
 * multi-index α ≤ k). The jet of g is computed by Taylor arithmetic over g's normal form: products
 * of jets, and each atom composed as f(u_0 + δ) = Σ_β ∂^β f(u_0)/β! δ^β, where the derivative values
 * ∂^β f(u_0) depend on θ only and are computed once per call (shared by every tree). Nothing is
 * expanded, so the generated source grows with the jets' components and g's terms, not with the
 * monomials of the derivative tensors (which for a 3-parameter scale-invariant loss run to
 * thousands of terms per entry).
 *
 * Generated from normal forms only (codegen.ts): parameters and vectors are generated names.
 *
 * @example
 *   const jets = new JetEmitter(builder, loss);
 *   jets.contraction([['f0', 'f1'], ['g0', 'g1']], [1, 1]) // names of D²g[F, G], one per component
 */
import { Rational, rational } from '../series/fraction.js';
import { AtomTable } from '../algebra/atoms.js';
import { Differentiator } from '../algebra/differentiate.js';
import type { Loss } from '../loss/loss.js';
import { Poly, type Monomial } from '../algebra/poly.js';
import { numberLiteral, type CodeBuilder } from './codegen.js';

/** A jet: code (a local name or literal) per multi-index, or null for a structural zero. */
type Jet = (string | null)[];

/** Multi-indices α ≤ k (componentwise), flattened; with the product table α + β = γ. */
class Box {
  readonly size: number;
  readonly alphas: number[][];
  /** pairs[γ] = every (α, β) with α + β = γ. */
  readonly pairs: [number, number][][];
  readonly top: number;

  constructor(readonly k: readonly number[]) {
    this.alphas = [[]];
    for (const kj of k) this.alphas = this.alphas.flatMap((a) => Array.from({ length: kj + 1 }, (_, e) => [...a, e]));
    this.size = this.alphas.length;
    const index = new Map(this.alphas.map((a, i) => [a.join(','), i]));
    this.pairs = this.alphas.map((g) =>
      this.alphas.flatMap((a, i) => {
        const b = g.map((gj, j) => gj - a[j]!);
        return b.every((x) => x >= 0) ? [[i, index.get(b.join(','))!] as [number, number]] : [];
      }),
    );
    this.top = index.get(k.join(','))!;
  }

  degree(i: number): number {
    return this.alphas[i]!.reduce((s, e) => s + e, 0);
  }

  /** Index of the unit multi-index e_j. */
  unit(j: number): number {
    return this.alphas.findIndex((a) => a.every((e, i) => e === (i === j ? 1 : 0)));
  }
}

/** Private table for ∂^β f(x_1, …, x_a) of registry functions, in fresh variables x_i. */
const derivTable = new AtomTable();
const derivDiff = new Differentiator(derivTable);
const derivCache = new Map<string, Poly>();
const xs = (a: number) => Array.from({ length: a }, (_, i) => derivTable.variable(`x${i}`));

/** ∂^β f at the fresh variables x (cached by function and β). */
function symbolicDerivative(name: string, beta: readonly number[]): Poly {
  const key = `${name}|${beta.join(',')}`;
  const hit = derivCache.get(key);
  if (hit) return hit;
  let p: Poly;
  let last = beta.length - 1;
  while (last >= 0 && beta[last] === 0) last--;
  if (last < 0) p = derivTable.call(name, xs(beta.length));
  else {
    const lower = beta.map((e, i) => (i === last ? e - 1 : e));
    p = derivDiff.partial(symbolicDerivative(name, lower), [...xs(beta.length)[last]!.atomIds()][0]!);
  }
  derivCache.set(key, p);
  return p;
}

/** p (a polynomial in derivTable's x_i) with x_i := args[i], rebuilt in `to`. */
function substitute(p: Poly, args: readonly Poly[], to: AtomTable): Poly {
  const atomCache = new Map<number, Poly>();
  const atom = (id: number): Poly => {
    const hit = atomCache.get(id);
    if (hit) return hit;
    const a = derivTable.get(id);
    let out: Poly;
    switch (a.kind) {
      case 'var':
        out = args[Number(a.name.slice(1))]!;
        break;
      case 'call':
        out = to.call(a.fn.name, a.args.map((x) => substitute(x, args, to)));
        break;
      case 'inv':
        out = to.inverse(substitute(a.base, args, to));
        break;
      case 'root':
        out = to.power(substitute(a.base, args, to), rational(1, a.q));
        break;
      default:
        throw new Error(`internal: unexpected ${a.kind} atom in a function's derivative`);
    }
    atomCache.set(id, out);
    return out;
  };
  return Poly.sum(
    [...p.terms()].map((t) => t.mono.atoms.reduce((acc, id, i) => acc.mul(to.power(atom(id), rational(t.mono.exps[i]!))), Poly.constant(t.coef))),
  );
}

/** All multi-indices β of length a with 1 ≤ |β| ≤ D. */
function multiIndices(a: number, D: number): number[][] {
  let out: number[][] = [[]];
  for (let i = 0; i < a; i++) out = out.flatMap((b) => Array.from({ length: D + 1 - b.reduce((s, e) => s + e, 0) }, (_, e) => [...b, e]));
  return out.filter((b) => b.some((e) => e > 0));
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** Emits jets of g into one CodeBuilder; θ-only values (derivatives of atoms) are shared by every jet. */
export class JetEmitter {
  /** Code of ∂^β f(u_0)/β! for an atom, by `${atom}|β`. */
  private readonly taylor = new Map<string, string>();
  /** θ-only products of values (the jets' constant components), shared by every jet. */
  private readonly values = new Map<string, string>();

  constructor(
    readonly b: CodeBuilder,
    readonly loss: Loss,
  ) {}

  /**
   * Names of D^m g_i[w_1^{k_1}, …, w_r^{k_r}] for each component i: `vectors[j]` holds the names of
   * w_j's components, taken `counts[j]` times.
   */
  contraction(vectors: readonly (readonly string[])[], counts: readonly number[]): string[] {
    const box = new Box(counts);
    const ctx = new JetContext(this, box, vectors);
    const scale = counts.reduce((s, c) => s * factorial(c), 1);
    return this.loss.gradient().map((gi) => {
      const top = ctx.poly(gi, new Set([box.top]))[box.top];
      if (top === null || top === undefined) return '0';
      return this.b.declare('f', scale === 1 ? top : `${numberLiteral(scale)} * ${top}`);
    });
  }

  /** Code of ∂^β f(u_0)/β! for a call atom (θ only; computed once). */
  callCoefficient(id: number, beta: readonly number[]): string {
    const key = `${id}|${beta.join(',')}`;
    const hit = this.taylor.get(key);
    if (hit) return hit;
    const a = this.loss.table.get(id);
    if (a.kind !== 'call') throw new Error('internal: not a call atom');
    const d = substitute(symbolicDerivative(a.fn.name, beta), a.args, this.loss.table);
    const c = d.scale(Rational.div(Rational.one, Rational.fromInteger(BigInt(beta.reduce((s, e) => s * factorial(e), 1)))));
    const code = this.b.expr(c);
    const name = /^[A-Za-z_]\w*$|^\(?-?[\d.e+-]+\)?$/.test(code) ? code : this.b.declare('c', code);
    this.taylor.set(key, name);
    return name;
  }

  /** The θ-only product a·c of two values, declared once. */
  valueProduct(a: string, c: string): string {
    if (a === '1') return c;
    if (c === '1') return a;
    const key = `${a}*${c}`;
    let name = this.values.get(key);
    if (!name) this.values.set(key, (name = this.b.declare('p', `${a} * ${c}`)));
    return name;
  }

  /** Code of the value of atom^e (θ only). */
  power(id: number, e: number): string {
    if (e === 0) return '1';
    return this.b.expr(Poly.atom(id, e));
  }
}

/** The jets of one contraction: directions w_j with degree bounds k_j. */
class JetContext {
  private readonly atomJets = new Map<number, Jet>();
  private readonly deltaPowers = new Map<string, Jet>();
  private readonly monoJets = new Map<number, Jet>();

  constructor(
    readonly e: JetEmitter,
    readonly box: Box,
    readonly vectors: readonly (readonly string[])[],
  ) {}

  private get b(): CodeBuilder {
    return this.e.b;
  }

  /** Σ c·(monomial jet) for the components in `want` (all but the value when omitted). */
  poly(p: Poly, want?: ReadonlySet<number>): Jet {
    const out: Jet = new Array(this.box.size).fill(null);
    const terms = [...p.terms()].filter((t) => !t.mono.isOne);
    for (let g = 1; g < this.box.size; g++) {
      if (want && !want.has(g)) continue;
      const parts: string[] = [];
      for (const t of terms) {
        const m = this.monomial(t.mono)[g];
        if (m === null || m === undefined) continue;
        const c = Rational.toString(t.coef);
        parts.push(c === '1' ? m : c === '-1' ? `-${m}` : `${numberLiteral(Number(t.coef.num) / Number(t.coef.den))} * ${m}`);
      }
      if (parts.length) out[g] = this.b.declare('j', parts.join(' + ').replace(/\+ -/g, '- '));
    }
    return out;
  }

  /** Jet of a monomial (every component). */
  private monomial(m: Monomial): Jet {
    const hit = this.monoJets.get(m.id);
    if (hit) return hit;
    let acc: Jet | undefined;
    m.atoms.forEach((id, i) => {
      const f = this.atomPower(id, m.exps[i]!);
      acc = acc ? this.mul(acc, f) : f;
    });
    this.monoJets.set(m.id, acc!);
    return acc!;
  }

  /** a^e = Σ_k C(e, k) a_0^{e−k} δ^k with δ the atom's jet minus its value. */
  private atomPower(id: number, e: number): Jet {
    const key = `pow${id}^${e}`;
    const hit = this.deltaPowers.get(key);
    if (hit) return hit;
    const out: Jet = new Array(this.box.size).fill(null);
    out[0] = this.e.power(id, e);
    const D = this.box.degree(this.box.top);
    const coef: string[] = [];
    for (let k = 1; k <= D; k++) {
      let c = 1;
      for (let i = 0; i < k; i++) c *= e - i;
      c /= factorial(k);
      coef.push(c === 0 ? '' : `${numberLiteral(c)} * ${this.e.power(id, e - k)}`);
    }
    for (let g = 1; g < this.box.size; g++) {
      const parts: string[] = [];
      for (let k = 1; k <= this.box.degree(g); k++) {
        const d = this.delta(id, k)[g];
        if (d !== null && d !== undefined && coef[k - 1]) parts.push(`${coef[k - 1]} * ${d}`);
      }
      if (parts.length) out[g] = e === 1 && parts.length === 1 ? this.delta(id, 1)[g]! : this.b.declare('j', parts.join(' + '));
    }
    this.deltaPowers.set(key, out);
    return out;
  }

  /** δ^k for an atom's jet δ (its non-constant part). */
  private delta(id: number, k: number): Jet {
    const key = `${id}^${k}`;
    const hit = this.deltaPowers.get(key);
    if (hit) return hit;
    const out = k === 1 ? this.atomDelta(id) : this.mul(this.delta(id, k - 1), this.delta(id, 1));
    this.deltaPowers.set(key, out);
    return out;
  }

  /** The non-constant part of an atom's jet. */
  private atomDelta(id: number): Jet {
    const hit = this.atomJets.get(id);
    if (hit) return hit;
    const a = this.e.loss.table.get(id);
    const out: Jet = new Array(this.box.size).fill(null);
    const vi = this.e.loss.varIds.indexOf(id);
    if (vi >= 0) {
      this.vectors.forEach((w, j) => (out[this.box.unit(j)] = w[vi]!));
    } else if (a.kind === 'call' || a.kind === 'inv' || a.kind === 'root') {
      const args = a.kind === 'call' ? a.args : [a.base];
      const argJets = args.map((x) => this.poly(x));
      const D = this.box.degree(this.box.top);
      // f(u_0 + δ) − f(u_0) = Σ_{1 ≤ |β| ≤ D} ∂^β f(u_0)/β! Π_i δ_i^{β_i}.
      const betas = multiIndices(args.length, D);
      const parts: string[][] = Array.from({ length: this.box.size }, () => []);
      for (const beta of betas) {
        let prod: Jet | undefined;
        beta.forEach((e, i) => {
          if (e === 0) return;
          const p = this.argPower(argJets[i]!, `${id}:${i}`, e);
          prod = prod ? this.mul(prod, p) : p;
        });
        if (!prod || prod.every((x) => x === null)) continue;
        const c = this.coefficient(a.kind, id, beta);
        prod.forEach((x, g) => x !== null && g > 0 && parts[g]!.push(`${c} * ${x}`));
      }
      parts.forEach((p, g) => p.length && (out[g] = this.b.declare('j', p.join(' + '))));
    }
    // var of no direction, const, dir: constant in θ + t·w.
    this.atomJets.set(id, out);
    return out;
  }

  /** ∂^β f(u_0)/β! for a call, 1/b or b^{1/q} atom. */
  private coefficient(kind: 'call' | 'inv' | 'root', id: number, beta: readonly number[]): string {
    if (kind === 'call') return this.e.callCoefficient(id, beta);
    const k = beta[0]!;
    const a = this.e.loss.table.get(id);
    if (a.kind === 'inv') return `${numberLiteral(k % 2 ? -1 : 1)} * ${this.e.power(id, k + 1)}`; // (1/b)^{(k)}/k! = (−1)^k b^{−k−1}
    if (a.kind !== 'root') throw new Error('internal');
    // (b^{1/q})^{(k)}/k! = C(1/q, k) b^{1/q} b^{−k}
    let c = 1;
    for (let i = 0; i < k; i++) c *= 1 / a.q - i;
    c /= factorial(k);
    return `${numberLiteral(c)} * ${this.e.power(id, 1)} * ${this.e.b.expr(this.e.loss.table.inverse(a.base).powInt(k))}`;
  }

  private argPower(delta: Jet, key: string, e: number): Jet {
    const k = `arg${key}^${e}`;
    const hit = this.deltaPowers.get(k);
    if (hit) return hit;
    const out = e === 1 ? delta : this.mul(this.argPower(delta, key, e - 1), delta);
    this.deltaPowers.set(k, out);
    return out;
  }

  /** Truncated product (every component; the constant one is θ-only and shared). */
  private mul(x: Jet, y: Jet): Jet {
    return this.box.pairs.map((pairs, g) => {
      if (g === 0) return x[0] == null || y[0] == null ? null : this.e.valueProduct(x[0], y[0]);
      const parts: string[] = [];
      for (const [i, j] of pairs) {
        const a = x[i];
        const c = y[j];
        if (a === null || a === undefined || c === null || c === undefined) continue;
        parts.push(a === '1' ? c : c === '1' ? a : `${a} * ${c}`);
      }
      return parts.length ? this.b.declare('j', parts.join(' + ')) : null;
    });
  }
}
