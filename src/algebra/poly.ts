/**
 * The exact normal form of the loss layer: a sparse Laurent polynomial with rational coefficients
 * over *atoms* (parameters, symbolic constants, and interned smooth-function calls such as
 * exp(−x·y) whose arguments are themselves in normal form; see atoms.ts).
 *
 * Equal expressions built by different routes get the same normal form whenever the difference
 * is polynomial in the atoms, which is what makes "ξ_0 − ¼∇‖g‖² = 0" an exact test. For a
 * polynomial loss the normal form is the expanded polynomial.
 *
 * This file knows atoms only by integer id; printing and differentiation live elsewhere.
 *
 * @example
 *   const x = Poly.atom(0), y = Poly.atom(1);
 *   x.add(y).mul(x.sub(y)).equals(x.mul(x).sub(y.mul(y))) // true
 */
import { Rational, rational } from '../series/fraction.js';

/**
 * A product Π a_i^{e_i} of atoms, ids ascending, exponents non-zero integers. Monomials are
 * interned: each distinct one exists once, has a small integer `id`, and caches its products.
 */
export class Monomial {
  private static readonly byKey = new Map<string, Monomial>();
  private static count = 0;
  readonly id: number;
  private readonly products = new Map<number, Monomial>();

  private constructor(
    readonly atoms: readonly number[],
    readonly exps: readonly number[],
    readonly key: string,
  ) {
    this.id = Monomial.count++;
  }

  private static intern(atoms: readonly number[], exps: readonly number[]): Monomial {
    const key = atoms.map((a, i) => (exps[i] === 1 ? `${a}` : `${a}^${exps[i]}`)).join('*');
    let m = Monomial.byKey.get(key);
    if (!m) {
      m = new Monomial(atoms, exps, key);
      Monomial.byKey.set(key, m);
    }
    return m;
  }

  static readonly one = Monomial.intern([], []);

  static of(atom: number, exp = 1): Monomial {
    return exp === 0 ? Monomial.one : Monomial.intern([atom], [exp]);
  }

  static fromPairs(pairs: readonly (readonly [number, number])[]): Monomial {
    const merged = new Map<number, number>();
    for (const [a, e] of pairs) merged.set(a, (merged.get(a) ?? 0) + e);
    const sorted = [...merged].filter(([, e]) => e !== 0).sort((a, b) => a[0] - b[0]);
    return Monomial.intern(
      sorted.map(([a]) => a),
      sorted.map(([, e]) => e),
    );
  }

  get isOne(): boolean {
    return this.atoms.length === 0;
  }

  /** Total degree (sum of exponents). */
  get degree(): number {
    return this.exps.reduce((s, e) => s + e, 0);
  }

  exponentOf(atom: number): number {
    const i = this.atoms.indexOf(atom);
    return i < 0 ? 0 : this.exps[i]!;
  }

  mul(other: Monomial): Monomial {
    if (this.isOne) return other;
    if (other.isOne) return this;
    const hit = this.products.get(other.id);
    if (hit) return hit;
    const atoms: number[] = [];
    const exps: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.atoms.length || j < other.atoms.length) {
      const a = this.atoms[i] ?? Infinity;
      const b = other.atoms[j] ?? Infinity;
      if (a === b) {
        const e = this.exps[i++]! + other.exps[j++]!;
        if (e !== 0) {
          atoms.push(a);
          exps.push(e);
        }
      } else if (a < b) {
        atoms.push(a);
        exps.push(this.exps[i++]!);
      } else {
        atoms.push(b);
        exps.push(other.exps[j++]!);
      }
    }
    const m = Monomial.intern(atoms, exps);
    this.products.set(other.id, m);
    other.products.set(this.id, m);
    return m;
  }

  /** This monomial with the exponent of `atom` lowered by one. */
  lower(atom: number): Monomial {
    return this.mul(Monomial.of(atom, -1));
  }

  pow(n: number): Monomial {
    return Monomial.intern(this.atoms, this.exps.map((e) => e * n));
  }
}

/** Largest number of term pairs one product may multiply out (guards against runaway expansion). */
export const MAX_PRODUCT_PAIRS = 50_000_000;

/** An expansion too large to carry out (a property of the input, reported as bad input). */
export class ExpansionError extends RangeError {
  override readonly name = 'ExpansionError';
}

export interface Term {
  readonly mono: Monomial;
  readonly coef: Rational;
}

export class Poly {
  private constructor(private readonly map: ReadonlyMap<number, Term>) {}

  static readonly zero = new Poly(new Map());
  static readonly one = Poly.constant(Rational.one);

  static constant(c: Rational | number | bigint): Poly {
    const r = typeof c === 'object' ? c : rational(BigInt(c));
    if (Rational.isZero(r)) return Poly.zero;
    return new Poly(new Map([[Monomial.one.id, { mono: Monomial.one, coef: r }]]));
  }

  static atom(id: number, exp = 1): Poly {
    return Poly.monomial(Monomial.of(id, exp), Rational.one);
  }

  static monomial(mono: Monomial, coef: Rational): Poly {
    if (Rational.isZero(coef)) return Poly.zero;
    return new Poly(new Map([[mono.id, { mono, coef }]]));
  }

  static sum(polys: Iterable<Poly>): Poly {
    const acc = new Map<number, Term>();
    for (const p of polys) for (const t of p.map.values()) accumulate(acc, t.mono, t.coef);
    return new Poly(acc);
  }

  /** Terms in insertion order (use `sortedTerms` in printers). */
  terms(): IterableIterator<Term> {
    return this.map.values();
  }

  get size(): number {
    return this.map.size;
  }

  isZero(): boolean {
    return this.map.size === 0;
  }

  /** The value if this is a constant, else undefined. */
  constantValue(): Rational | undefined {
    if (this.map.size === 0) return Rational.zero;
    if (this.map.size === 1) {
      const t = this.map.get(Monomial.one.id);
      if (t) return t.coef;
    }
    return undefined;
  }

  /** The single term if this is c·monomial. */
  singleTerm(): Term | undefined {
    return this.map.size === 1 ? this.map.values().next().value : undefined;
  }

  /** Ids of all atoms that occur. */
  atomIds(): Set<number> {
    const s = new Set<number>();
    for (const t of this.map.values()) for (const a of t.mono.atoms) s.add(a);
    return s;
  }

  add(other: Poly): Poly {
    if (other.isZero()) return this;
    if (this.isZero()) return other;
    const acc = new Map(this.map);
    for (const t of other.map.values()) accumulate(acc, t.mono, t.coef);
    return new Poly(acc);
  }

  sub(other: Poly): Poly {
    return this.add(other.neg());
  }

  neg(): Poly {
    return this.scale(rational(-1));
  }

  scale(c: Rational): Poly {
    if (Rational.isZero(c)) return Poly.zero;
    const m = new Map<number, Term>();
    for (const [k, t] of this.map) m.set(k, { mono: t.mono, coef: Rational.mul(c, t.coef) });
    return new Poly(m);
  }

  mulMonomial(mono: Monomial, coef: Rational): Poly {
    if (Rational.isZero(coef)) return Poly.zero;
    const acc = new Map<number, Term>();
    for (const t of this.map.values()) accumulate(acc, t.mono.mul(mono), Rational.mul(coef, t.coef));
    return new Poly(acc);
  }

  mul(other: Poly): Poly {
    if (this.isZero() || other.isZero()) return Poly.zero;
    const [small, big] = this.size <= other.size ? [this, other] : [other, this];
    if (small.size * big.size > MAX_PRODUCT_PAIRS) {
      throw new ExpansionError(`a product of ${small.size} by ${big.size} terms is too large to expand exactly; try a lower --order or a smaller loss`);
    }
    const acc = new Map<number, Term>();
    for (const s of small.map.values()) {
      for (const b of big.map.values()) accumulate(acc, s.mono.mul(b.mono), Rational.mul(s.coef, b.coef));
    }
    return new Poly(acc);
  }

  /** Non-negative integer power by repeated squaring. */
  powInt(n: number): Poly {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`powInt needs a non-negative integer, got ${n}`);
    let result = Poly.one;
    let base: Poly = this;
    while (n > 0) {
      if (n & 1) result = result.mul(base);
      n >>= 1;
      if (n > 0) base = base.mul(base);
    }
    return result;
  }

  equals(other: Poly): boolean {
    return this.sub(other).isZero();
  }

  /** A canonical string (terms sorted by monomial key): equal polynomials, equal keys. */
  get key(): string {
    return [...this.map.values()]
      .sort((a, b) => (a.mono.key < b.mono.key ? -1 : a.mono.key > b.mono.key ? 1 : 0))
      .map((t) => `${Rational.toString(t.coef)}:${t.mono.key}`)
      .join('+');
  }
}

function accumulate(acc: Map<number, Term>, mono: Monomial, coef: Rational): void {
  const prev = acc.get(mono.id);
  if (!prev) {
    if (!Rational.isZero(coef)) acc.set(mono.id, { mono, coef });
    return;
  }
  const c = Rational.add(prev.coef, coef);
  if (Rational.isZero(c)) acc.delete(mono.id);
  else acc.set(mono.id, { mono, coef: c });
}
