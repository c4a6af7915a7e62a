/**
 * Exact multivariate polynomials over Q, for independent test oracles.
 *
 * Deliberately self-contained: its own BigInt rationals, nothing imported from src/. A polynomial in
 * `nvars` variables x_0 … x_{nvars−1} is a sparse map from exponent vector to a non-zero rational.
 * Exponent vectors are packed into one integer key, digit i (base 256) being the exponent of x_i,
 * so monomial multiplication is key addition (valid while every exponent stays below 256).
 *
 * @example
 *   const x = Poly.variable(2, 0), y = Poly.variable(2, 1);
 *   const L = x.pow(4).scale(q(1, 4)).add(x.mul(y.pow(2)));   // x^4/4 + x y^2
 *   L.diff(0).toString()                                       // "x0^3 + x1^2"
 */

// ---------------------------------------------------------------- rationals

/** A rational n/d in lowest terms with d > 0. */
export interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** n/d in lowest terms. */
export function q(n: bigint | number, d: bigint | number = 1n): Q {
  let nn = BigInt(n);
  let dd = BigInt(d);
  if (dd === 0n) throw new RangeError('q: zero denominator');
  if (dd < 0n) {
    nn = -nn;
    dd = -dd;
  }
  if (nn === 0n) return Q0;
  const g = gcd(nn, dd);
  return g === 1n ? { n: nn, d: dd } : { n: nn / g, d: dd / g };
}

export const Q0: Q = { n: 0n, d: 1n };
export const Q1: Q = { n: 1n, d: 1n };

export function qadd(a: Q, b: Q): Q {
  if (a.d === 1n && b.d === 1n) return a.n + b.n === 0n ? Q0 : { n: a.n + b.n, d: 1n };
  return q(a.n * b.d + b.n * a.d, a.d * b.d);
}
export function qneg(a: Q): Q {
  return a.n === 0n ? Q0 : { n: -a.n, d: a.d };
}
export function qsub(a: Q, b: Q): Q {
  return qadd(a, qneg(b));
}
export function qmul(a: Q, b: Q): Q {
  if (a.d === 1n && b.d === 1n) return a.n === 0n || b.n === 0n ? Q0 : { n: a.n * b.n, d: 1n };
  return q(a.n * b.n, a.d * b.d);
}
export function qdiv(a: Q, b: Q): Q {
  if (b.n === 0n) throw new RangeError('qdiv: division by zero');
  return q(a.n * b.d, a.d * b.n);
}
export function qIsZero(a: Q): boolean {
  return a.n === 0n;
}
export function qEquals(a: Q, b: Q): boolean {
  return a.n === b.n && a.d === b.d;
}
export function qToString(a: Q): string {
  return a.d === 1n ? `${a.n}` : `${a.n}/${a.d}`;
}

// ---------------------------------------------------------------- polynomials

const BASE = 256;

function exponentOf(key: number, i: number): number {
  return Math.floor(key / BASE ** i) % BASE;
}

function packExponents(exps: readonly number[]): number {
  let key = 0;
  exps.forEach((e, i) => {
    if (!Number.isInteger(e) || e < 0 || e >= BASE) throw new RangeError(`exponent ${e} out of range`);
    key += e * BASE ** i;
  });
  return key;
}

export class Poly {
  private constructor(
    readonly nvars: number,
    /** packed exponent key → non-zero coefficient */
    private readonly coeffs: ReadonlyMap<number, Q>,
  ) {}

  static zero(nvars: number): Poly {
    if (nvars < 1 || nvars > 6) throw new RangeError('Poly: 1 to 6 variables');
    return new Poly(nvars, new Map());
  }

  static constant(nvars: number, c: Q): Poly {
    return Poly.monomial(nvars, c, new Array<number>(nvars).fill(0));
  }

  /** c · Π x_i^{exps[i]} */
  static monomial(nvars: number, c: Q, exps: readonly number[]): Poly {
    if (exps.length !== nvars) throw new RangeError('monomial: wrong number of exponents');
    Poly.zero(nvars); // validates nvars
    return new Poly(nvars, qIsZero(c) ? new Map() : new Map([[packExponents(exps), c]]));
  }

  static variable(nvars: number, i: number): Poly {
    const exps = new Array<number>(nvars).fill(0);
    exps[i] = 1;
    return Poly.monomial(nvars, Q1, exps);
  }

  /** Number of non-zero terms. */
  get size(): number {
    return this.coeffs.size;
  }

  isZero(): boolean {
    return this.coeffs.size === 0;
  }

  /** (exponent vector, coefficient) pairs, in no particular order. */
  terms(): { exps: number[]; coefficient: Q }[] {
    return [...this.coeffs].map(([k, c]) => ({
      exps: Array.from({ length: this.nvars }, (_, i) => exponentOf(k, i)),
      coefficient: c,
    }));
  }

  /** Coefficient of Π x_i^{exps[i]}. */
  coefficient(exps: readonly number[]): Q {
    return this.coeffs.get(packExponents(exps)) ?? Q0;
  }

  /** Total degree (−1 for the zero polynomial). */
  degree(): number {
    let d = -1;
    for (const t of this.terms()) d = Math.max(d, t.exps.reduce((a, b) => a + b, 0));
    return d;
  }

  private check(other: Poly): void {
    if (other.nvars !== this.nvars) throw new RangeError('Poly: mismatched number of variables');
  }

  add(other: Poly): Poly {
    this.check(other);
    const m = new Map(this.coeffs);
    for (const [k, c] of other.coeffs) {
      const s = m.has(k) ? qadd(m.get(k)!, c) : c;
      if (qIsZero(s)) m.delete(k);
      else m.set(k, s);
    }
    return new Poly(this.nvars, m);
  }

  neg(): Poly {
    return new Poly(this.nvars, new Map([...this.coeffs].map(([k, c]) => [k, qneg(c)] as const)));
  }

  sub(other: Poly): Poly {
    return this.add(other.neg());
  }

  scale(c: Q): Poly {
    if (qIsZero(c)) return Poly.zero(this.nvars);
    return new Poly(this.nvars, new Map([...this.coeffs].map(([k, x]) => [k, qmul(c, x)] as const)));
  }

  mul(other: Poly): Poly {
    this.check(other);
    const m = new Map<number, Q>();
    for (const [ka, ca] of this.coeffs) {
      for (const [kb, cb] of other.coeffs) {
        const k = ka + kb;
        const p = qmul(ca, cb);
        const prev = m.get(k);
        m.set(k, prev === undefined ? p : qadd(prev, p));
      }
    }
    for (const [k, c] of m) if (qIsZero(c)) m.delete(k);
    const out = new Poly(this.nvars, m);
    if (m.size > 0 && out.degree() >= BASE) throw new RangeError('Poly: degree too large for packed keys');
    return out;
  }

  pow(e: number): Poly {
    let r = Poly.constant(this.nvars, Q1);
    for (let i = 0; i < e; i++) r = r.mul(this);
    return r;
  }

  /** ∂/∂x_i */
  diff(i: number): Poly {
    if (i < 0 || i >= this.nvars) throw new RangeError(`diff: no variable ${i}`);
    const unit = BASE ** i;
    const m = new Map<number, Q>();
    for (const [k, c] of this.coeffs) {
      const e = exponentOf(k, i);
      if (e > 0) m.set(k - unit, qmul(c, q(e)));
    }
    return new Poly(this.nvars, m);
  }

  /** Value at a rational point. */
  evaluate(point: readonly Q[]): Q {
    if (point.length !== this.nvars) throw new RangeError('evaluate: wrong number of coordinates');
    let s = Q0;
    for (const t of this.terms()) {
      let v = t.coefficient;
      t.exps.forEach((e, i) => {
        for (let j = 0; j < e; j++) v = qmul(v, point[i]!);
      });
      s = qadd(s, v);
    }
    return s;
  }

  /** The part of total degree ≤ maxDegree. */
  truncateDegree(maxDegree: number): Poly {
    const m = new Map<number, Q>();
    for (const [k, c] of this.coeffs) {
      let d = 0;
      for (let i = 0; i < this.nvars; i++) d += exponentOf(k, i);
      if (d <= maxDegree) m.set(k, c);
    }
    return new Poly(this.nvars, m);
  }

  equals(other: Poly): boolean {
    return this.nvars === other.nvars && this.sub(other).isZero();
  }

  /** Deterministic text, terms sorted by packed key (descending), e.g. "1/2 x0^2 x1 - 3". */
  toString(): string {
    if (this.isZero()) return '0';
    const parts = [...this.coeffs]
      .sort((a, b) => b[0] - a[0])
      .map(([k, c]) => {
        const mono = Array.from({ length: this.nvars }, (_, i) => exponentOf(k, i))
          .map((e, i) => (e === 0 ? '' : e === 1 ? `x${i}` : `x${i}^${e}`))
          .filter((s) => s !== '')
          .join(' ');
        const abs = qToString({ n: c.n < 0n ? -c.n : c.n, d: c.d });
        const body = mono === '' ? abs : abs === '1' ? mono : `${abs} ${mono}`;
        return { neg: c.n < 0n, body };
      });
    return parts
      .map((p, i) => (i === 0 ? (p.neg ? `-${p.body}` : p.body) : p.neg ? ` - ${p.body}` : ` + ${p.body}`))
      .join('');
  }
}

/** Σ c · Π x_i^{e_i} from [coefficient, exponents] rows. */
export function polyFromRows(nvars: number, rows: readonly (readonly [Q, readonly number[]])[]): Poly {
  return rows.reduce((acc, [c, e]) => acc.add(Poly.monomial(nvars, c, e)), Poly.zero(nvars));
}

/**
 * L = x^6/6 + x y^5/5 − x^3 y^3/2 + y^3/3 + x y − x^2 y^2/4: degree 6, so ∇^6 L ≠ 0, and on it the
 * elementary differentials F(τ) of all trees with ≤ 6 nodes are linearly independent (the rank test
 * in lie-series-oracle.test.ts); equal evaluated fields then mean equal tree coefficients.
 */
export function independentSextic(): Poly {
  return polyFromRows(2, [
    [q(1, 6), [6, 0]],
    [q(1, 5), [1, 5]],
    [q(-1, 2), [3, 3]],
    [q(1, 3), [0, 3]],
    [q(1), [1, 1]],
    [q(-1, 4), [2, 2]],
  ]);
}

// ---------------------------------------------------------------- polynomial vectors

/** A vector field R^n → R^n with polynomial components. */
export type PolyVec = readonly Poly[];

export function vecZero(nvars: number, len: number = nvars): Poly[] {
  return Array.from({ length: len }, () => Poly.zero(nvars));
}
export function vecAdd(a: PolyVec, b: PolyVec): Poly[] {
  if (a.length !== b.length) throw new RangeError('vecAdd: length mismatch');
  return a.map((p, i) => p.add(b[i]!));
}
export function vecSub(a: PolyVec, b: PolyVec): Poly[] {
  if (a.length !== b.length) throw new RangeError('vecSub: length mismatch');
  return a.map((p, i) => p.sub(b[i]!));
}
export function vecScale(a: PolyVec, c: Q): Poly[] {
  return a.map((p) => p.scale(c));
}
export function vecEquals(a: PolyVec, b: PolyVec): boolean {
  return a.length === b.length && a.every((p, i) => p.equals(b[i]!));
}
export function vecToString(a: PolyVec): string {
  return `[${a.map((p) => p.toString()).join(' ; ')}]`;
}

/** ∇L */
export function gradient(L: Poly): Poly[] {
  return Array.from({ length: L.nvars }, (_, i) => L.diff(i));
}

/** D_v φ = Σ_i v_i ∂_i φ (the derivative of the polynomial φ along the vector field v). */
export function directional(phi: Poly, v: PolyVec): Poly {
  let s = Poly.zero(phi.nvars);
  v.forEach((vi, i) => {
    if (!vi.isZero()) s = s.add(vi.mul(phi.diff(i)));
  });
  return s;
}

/** Componentwise D_v φ = φ'·v for a vector field φ. */
export function vecDirectional(phi: PolyVec, v: PolyVec): Poly[] {
  return phi.map((p) => directional(p, v));
}

/** Matrix–vector product M v with M[i][j] a polynomial. */
export function matVec(M: readonly PolyVec[], v: PolyVec): Poly[] {
  return M.map((row) => row.reduce((s, mij, j) => s.add(mij.mul(v[j]!)), Poly.zero(v[0]!.nvars)));
}

/**
 * Rank over Q of a list of polynomial vectors (each flattened to its coefficients), by exact
 * Gaussian elimination. Rank = list length means the vectors are linearly independent.
 */
export function rankOverQ(vectors: readonly PolyVec[]): number {
  // Each vector as a sparse row: `${component}:${exponents}` → coefficient.
  const rows: Map<string, Q>[] = vectors.map((v) => {
    const m = new Map<string, Q>();
    v.forEach((p, c) => p.terms().forEach((t) => m.set(`${c}:${t.exps.join(',')}`, t.coefficient)));
    return m;
  });
  let rank = 0;
  const pivots: { key: string; row: Map<string, Q> }[] = [];
  for (const row0 of rows) {
    const row = new Map(row0);
    for (const { key, row: prow } of pivots) {
      const f = row.get(key);
      if (f === undefined) continue;
      for (const [k, c] of prow) {
        const s = qsub(row.get(k) ?? Q0, qmul(f, c));
        if (qIsZero(s)) row.delete(k);
        else row.set(k, s);
      }
    }
    const first = row.keys().next();
    if (first.done) continue;
    const key = first.value;
    const inv = qdiv(Q1, row.get(key)!);
    for (const [k, c] of row) row.set(k, qmul(c, inv));
    pivots.push({ key, row });
    rank++;
  }
  return rank;
}
