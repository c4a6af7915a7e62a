/**
 * Independent oracles for the loss layer (src/loss), for tests only.
 *
 * - `polynomialFromSource`: a second, exact reading of a *polynomial* loss string into the oracle
 *   polynomial type of test/helpers/polynomial.ts. It uses mathjs only as a parser, in its own
 *   Fraction configuration (exact decimals: "0.1" is 1/10), and its own node walker; nothing here
 *   calls src/loss/parse.ts.
 * - `toOraclePoly`: reads a src normal form (Poly) whose atoms are all parameters into the oracle
 *   polynomial type, term by term (atom id → parameter index through loss.varIds), so results can
 *   be compared EXACTLY with the Lie-series oracle (test/helpers/lieSeriesOracle.ts).
 * - `nerdamerHalfHg`: ½Hg and g of a polynomial loss computed by nerdamer's own differentiation and
 *   expansion, in a child process with a hard time budget (nerdamer is synchronous and cannot be
 *   interrupted in-process).
 * - Finite differences with Richardson extrapolation (`directionalDerivative`,
 *   `secondDirectionalDerivative`) of a numeric vector function.
 * - A seeded PRNG for reproducible random points.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { all, create, type MathNode } from 'mathjs';
import type { Loss, Poly as SrcPoly } from '../../src/index.js';
import { Poly as OPoly, q, type Q } from './polynomial.js';

// ---------------------------------------------------------------- random numbers

/** mulberry32: a small deterministic PRNG in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random rational n/d with |n/d| ≤ bound-ish, d ∈ 1..7. */
export function randomRational(rand: () => number, bound = 2): Q {
  const d = 1 + Math.floor(rand() * 7);
  const n = Math.round((rand() * 2 - 1) * bound * d);
  return q(n, d);
}

export function qToNumber(a: Q): number {
  return Number(a.n) / Number(a.d);
}

// ---------------------------------------------------------------- exact polynomial reading

const fractionMath = create(all, { number: 'Fraction' });

interface FractionValue {
  readonly s: bigint;
  readonly n: bigint;
  readonly d: bigint;
}

function fractionToQ(f: FractionValue): Q {
  return q(f.s * f.n, f.d);
}

/** An exact rational from "0.75", "1/3", "-2". */
export function exactQ(text: string): Q {
  return fractionToQ(fractionMath.fraction(text) as unknown as FractionValue);
}

/**
 * The polynomial loss `source` (numbers, parameters `vars`, constants given exactly in `values`,
 * + − * /, integer powers ≥ 0, parentheses; division only by constants) as an oracle polynomial.
 */
export function polynomialFromSource(source: string, vars: readonly string[], values: Readonly<Record<string, string>> = {}): OPoly {
  const n = vars.length;
  const walk = (node: MathNode): OPoly => {
    switch (node.type) {
      case 'ParenthesisNode':
        return walk((node as unknown as { content: MathNode }).content);
      case 'ConstantNode':
        return OPoly.constant(n, fractionToQ((node as unknown as { value: FractionValue }).value));
      case 'SymbolNode': {
        const name = (node as unknown as { name: string }).name;
        const i = vars.indexOf(name);
        if (i >= 0) return OPoly.variable(n, i);
        const v = values[name];
        if (v === undefined) throw new Error(`polynomialFromSource: unknown symbol ${name}`);
        return OPoly.constant(n, exactQ(v));
      }
      case 'OperatorNode': {
        const op = node as unknown as { fn: string; args: MathNode[] };
        const a = op.args.map(walk);
        switch (op.fn) {
          case 'add':
            return a[0]!.add(a[1]!);
          case 'subtract':
            return a[0]!.sub(a[1]!);
          case 'multiply':
            return a[0]!.mul(a[1]!);
          case 'unaryMinus':
            return a[0]!.neg();
          case 'unaryPlus':
            return a[0]!;
          case 'divide': {
            const c = constantOf(a[1]!);
            if (!c || c.n === 0n) throw new Error('polynomialFromSource: division by a non-constant');
            return a[0]!.scale(q(c.d, c.n));
          }
          case 'pow': {
            const c = constantOf(a[1]!);
            if (!c || c.d !== 1n || c.n < 0n) throw new Error('polynomialFromSource: exponent must be a non-negative integer');
            return a[0]!.pow(Number(c.n));
          }
        }
        throw new Error(`polynomialFromSource: operator ${op.fn}`);
      }
    }
    throw new Error(`polynomialFromSource: node ${node.type}`);
  };
  return walk(fractionMath.parse(source));
}

function constantOf(p: OPoly): Q | undefined {
  if (p.isZero()) return q(0);
  const ts = p.terms();
  if (ts.length === 1 && ts[0]!.exps.every((e) => e === 0)) return ts[0]!.coefficient;
  return undefined;
}

/** A src normal form whose atoms are all parameters, as an oracle polynomial (throws otherwise). */
export function toOraclePoly(p: SrcPoly, loss: Loss): OPoly {
  const n = loss.varIds.length;
  let out = OPoly.zero(n);
  for (const t of p.terms()) {
    const exps = new Array<number>(n).fill(0);
    t.mono.atoms.forEach((id, i) => {
      const idx = loss.varIds.indexOf(id);
      if (idx < 0) throw new Error(`toOraclePoly: atom ${id} (${loss.table.get(id).kind}) is not a parameter`);
      const e = t.mono.exps[i]!;
      if (e < 0) throw new Error(`toOraclePoly: negative exponent ${e}`);
      exps[idx] = e;
    });
    out = out.add(OPoly.monomial(n, q(t.coef.num, t.coef.den), exps));
  }
  return out;
}

// ---------------------------------------------------------------- nerdamer, under a time budget

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs in a child node process (ESM, cwd = repo root so 'nerdamer' resolves). */
const NERDAMER_SCRIPT = `
import nerdamer from 'nerdamer';
import 'nerdamer/Calculus.js';
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  const { loss, vars } = JSON.parse(input);
  const g = vars.map((v) => nerdamer.diff(loss, v).toString());
  const halfHg = vars.map((_, i) => {
    const sum = vars.map((vj, j) => '(' + nerdamer.diff(g[i], vj).toString() + ')*(' + g[j] + ')').join('+');
    return nerdamer('expand((1/2)*(' + sum + '))').text('fractions');
  });
  const gradient = g.map((gi) => nerdamer('expand(' + gi + ')').text('fractions'));
  process.stdout.write(JSON.stringify({ gradient, halfHg }));
});
`;

/** g and ½Hg of a polynomial loss by nerdamer (diff + expand), as fraction-exact strings. */
export function nerdamerHalfHg(loss: string, vars: readonly string[], budgetMs = 20_000): { gradient: string[]; halfHg: string[] } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', NERDAMER_SCRIPT], {
    cwd: REPO_ROOT,
    input: JSON.stringify({ loss, vars }),
    timeout: budgetMs,
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`nerdamer did not finish within ${budgetMs} ms: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`nerdamer failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { gradient: string[]; halfHg: string[] };
}

// ---------------------------------------------------------------- finite differences

export type VecFn = (theta: readonly number[]) => number[];

export function vnorm(a: readonly number[]): number {
  return Math.sqrt(a.reduce((s, x) => s + x * x, 0));
}

/** max_i |a_i − b_i| / max(max_i |b_i|, floor). */
export function relErr(a: readonly number[], b: readonly number[], floor = 1e-300): number {
  let num = 0;
  let den = floor;
  a.forEach((x, i) => {
    num = Math.max(num, Math.abs(x - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  });
  return num / den;
}

/**
 * Richardson extrapolation of an estimate A(h) = A + c1 h² + c2 h⁴ + … (central differences) over
 * h0, h0/2, …, h0/2^(levels−1): the Neville tableau T[i][j] = T[i][j−1] + (T[i][j−1] − T[i−1][j−1])/(4^j − 1).
 */
export function richardson(estimate: (h: number) => number[], h0: number, levels: number): number[] {
  const T: number[][][] = [];
  for (let i = 0; i < levels; i++) {
    const row: number[][] = [estimate(h0 / 2 ** i)];
    for (let j = 1; j <= i; j++) {
      const f = 4 ** j - 1;
      row.push(row[j - 1]!.map((x, k) => x + (x - T[i - 1]![j - 1]![k]!) / f));
    }
    T.push(row);
  }
  return T[levels - 1]![levels - 1]!;
}

const shift = (theta: readonly number[], h: number, v: readonly number[]) => theta.map((x, i) => x + h * v[i]!);

/** G'(θ)·v by central differences along the unit vector v/‖v‖ with Richardson extrapolation. */
export function directionalDerivative(G: VecFn, theta: readonly number[], v: readonly number[], h0 = 0.1, levels = 5): number[] {
  const s = vnorm(v);
  if (s === 0) return v.map(() => 0);
  const u = v.map((x) => x / s);
  const d = richardson(
    (h) => {
      const p = G(shift(theta, h, u));
      const m = G(shift(theta, -h, u));
      return p.map((x, i) => (x - m[i]!) / (2 * h));
    },
    h0,
    levels,
  );
  return d.map((x) => x * s);
}

/** G''(θ)[v, v] by the second central difference along v/‖v‖ with Richardson extrapolation. */
export function secondDirectionalDerivative(G: VecFn, theta: readonly number[], v: readonly number[], h0 = 0.1, levels = 5): number[] {
  const s = vnorm(v);
  if (s === 0) return v.map(() => 0);
  const u = v.map((x) => x / s);
  const g0 = G(theta);
  const d = richardson(
    (h) => {
      const p = G(shift(theta, h, u));
      const m = G(shift(theta, -h, u));
      return p.map((x, i) => (x - 2 * g0[i]! + m[i]!) / (h * h));
    },
    h0,
    levels,
  );
  return d.map((x) => x * s * s);
}
