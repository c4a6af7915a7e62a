/**
 * Polynomials in one variable over a coefficient ring with a gcd: R[x] is again such a ring, so
 * hyperparameters kept as symbols (momentum β, or several: Z[β][γ]) are coefficient rings of the
 * solver like the integers. Elements are dense coefficient arrays, lowest degree first, with no
 * trailing zeros (the zero polynomial is []).
 *
 * The gcd is the primitive polynomial remainder sequence (Knuth, TAOCP vol. 2, §4.6.1,
 * Algorithm E): gcd(a, b) = gcd(cont a, cont b) · pp(last non-zero primitive remainder), with
 * cont p the gcd of p's coefficients and pp p = p / cont p. Normalised so that the leading
 * coefficient is normalised in the base ring (positive for the integers).
 *
 * @example
 *   const Zb = new PolynomialRing(integers, 'beta');
 *   const oneMinusBeta = Zb.fromCoefficients([1n, -1n]);           // 1 − β
 *   Zb.gcd(Zb.mul(oneMinusBeta, oneMinusBeta), oneMinusBeta)        // [-1n, 1n]  (β − 1)
 */
import { grouped, type CoefficientRing } from './ring.js';

export type Polynomial<B> = readonly B[];

export class PolynomialRing<B> implements CoefficientRing<Polynomial<B>> {
  readonly name: string;
  readonly zero: Polynomial<B> = [];
  readonly one: Polynomial<B>;

  constructor(
    readonly base: CoefficientRing<B>,
    readonly variable: string,
  ) {
    this.name = `${base.name}[${variable}]`;
    this.one = [base.one];
  }

  /** The polynomial Σ c_i x^i (trailing zeros dropped). */
  fromCoefficients(coefficients: readonly B[]): Polynomial<B> {
    return this.trim([...coefficients]);
  }

  /** The constant polynomial c. */
  constant(c: B): Polynomial<B> {
    return this.base.isZero(c) ? [] : [c];
  }

  /** The variable x itself. */
  get x(): Polynomial<B> {
    return [this.base.zero, this.base.one];
  }

  fromInteger(n: bigint | number): Polynomial<B> {
    return this.constant(this.base.fromInteger(n));
  }

  degree(a: Polynomial<B>): number {
    return a.length - 1;
  }

  leading(a: Polynomial<B>): B {
    return a.length ? a[a.length - 1]! : this.base.zero;
  }

  add(a: Polynomial<B>, b: Polynomial<B>): Polynomial<B> {
    const r = this.base;
    if (a.length === 0) return b;
    if (b.length === 0) return a;
    const out: B[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      out.push(i >= a.length ? b[i]! : i >= b.length ? a[i]! : r.add(a[i]!, b[i]!));
    }
    return this.trim(out);
  }

  sub(a: Polynomial<B>, b: Polynomial<B>): Polynomial<B> {
    return this.add(a, this.neg(b));
  }

  neg(a: Polynomial<B>): Polynomial<B> {
    return a.map((c) => this.base.neg(c));
  }

  mul(a: Polynomial<B>, b: Polynomial<B>): Polynomial<B> {
    const r = this.base;
    if (a.length === 0 || b.length === 0) return [];
    if (a.length === 1 && b.length === 1) return this.constant(r.mul(a[0]!, b[0]!));
    const out: B[] = new Array<B>(a.length + b.length - 1).fill(r.zero);
    for (let i = 0; i < a.length; i++) {
      if (r.isZero(a[i]!)) continue;
      for (let j = 0; j < b.length; j++) out[i + j] = r.add(out[i + j]!, r.mul(a[i]!, b[j]!));
    }
    return this.trim(out);
  }

  /** c · a for a base-ring element c. */
  scale(a: Polynomial<B>, c: B): Polynomial<B> {
    return this.trim(a.map((x) => this.base.mul(x, c)));
  }

  isZero(a: Polynomial<B>): boolean {
    return a.length === 0;
  }

  equals(a: Polynomial<B>, b: Polynomial<B>): boolean {
    return a.length === b.length && a.every((c, i) => this.base.equals(c, b[i]!));
  }

  /** gcd of the coefficients (0 for the zero polynomial). */
  content(a: Polynomial<B>): B {
    let g = this.base.zero;
    for (const c of a) {
      g = this.base.gcd(g, c);
      if (this.base.isUnit(g)) break;
    }
    return g;
  }

  /** a / cont(a), with a normalised leading coefficient. */
  primitivePart(a: Polynomial<B>): Polynomial<B> {
    if (a.length === 0) return a;
    const c = this.base.divExact(this.content(a), this.base.unitPart(this.leading(a)));
    return a.map((x) => this.base.divExact(x, c));
  }

  /**
   * lc(b)^s · a mod b (b ≠ 0), s the number of reduction steps taken (at most deg a − deg b + 1: a
   * step whose leading terms cancel further takes fewer). Within a power of lc(b) of the textbook
   * pseudo-remainder, which is all gcd needs: it takes primitive parts.
   */
  pseudoRemainder(a: Polynomial<B>, b: Polynomial<B>): Polynomial<B> {
    const r = this.base;
    const lb = this.leading(b);
    let rem: Polynomial<B> = a;
    while (rem.length >= b.length && rem.length > 0) {
      const shift = rem.length - b.length;
      const lr = this.leading(rem);
      const next: B[] = rem.map((c) => r.mul(c, lb));
      for (let j = 0; j < b.length; j++) next[j + shift] = r.sub(next[j + shift]!, r.mul(lr, b[j]!));
      rem = this.trim(next);
    }
    return rem;
  }

  gcd(a: Polynomial<B>, b: Polynomial<B>): Polynomial<B> {
    if (a.length === 0) return this.normalise(b);
    if (b.length === 0) return this.normalise(a);
    const c = this.base.gcd(this.content(a), this.content(b));
    let u = this.primitivePart(a);
    let v = this.primitivePart(b);
    if (u.length < v.length) [u, v] = [v, u];
    while (v.length > 1) {
      const rem = this.pseudoRemainder(u, v);
      u = v;
      v = rem.length === 0 ? rem : this.primitivePart(rem);
      if (v.length === 0) break;
    }
    // v = 0: u is the primitive gcd; v a non-zero constant: the primitive gcd is 1.
    const g = v.length === 0 ? u : this.one;
    return this.normalise(this.scale(g, c));
  }

  divExact(a: Polynomial<B>, b: Polynomial<B>): Polynomial<B> {
    const r = this.base;
    if (b.length === 0) throw new RangeError('polynomial division by zero');
    if (b.length === 1) return a.map((c) => r.divExact(c, b[0]!));
    const rem: B[] = [...a];
    const quotient: B[] = new Array<B>(Math.max(0, a.length - b.length + 1)).fill(r.zero);
    const lb = this.leading(b);
    for (let shift = a.length - b.length; shift >= 0; shift--) {
      const top = rem[shift + b.length - 1]!;
      if (r.isZero(top)) continue;
      const q = r.divExact(top, lb);
      quotient[shift] = q;
      for (let j = 0; j < b.length; j++) rem[j + shift] = r.sub(rem[j + shift]!, r.mul(q, b[j]!));
    }
    if (rem.some((c) => !r.isZero(c))) throw new RangeError(`${this.toString(b)} does not divide ${this.toString(a)}`);
    return this.trim(quotient);
  }

  isUnit(a: Polynomial<B>): boolean {
    return a.length === 1 && this.base.isUnit(a[0]!);
  }

  unitPart(a: Polynomial<B>): Polynomial<B> {
    return a.length === 0 ? this.one : [this.base.unitPart(this.leading(a))];
  }

  /** d/dx a. */
  derivative(a: Polynomial<B>): Polynomial<B> {
    return this.trim(a.slice(1).map((c, i) => this.base.mul(c, this.base.fromInteger(i + 1))));
  }

  /**
   * Plain text, highest power last, with the base ring's printer for coefficients:
   * "1 - beta", "-2*beta + 3*beta^2", "(1 + beta)*gamma"; "0" for the zero polynomial.
   */
  toString(a: Polynomial<B>): string {
    const terms: string[] = [];
    a.forEach((c, i) => {
      if (this.base.isZero(c)) return;
      const coefficient = this.base.toString(c);
      const power = i === 1 ? this.variable : `${this.variable}^${i}`;
      if (i === 0) terms.push(coefficient);
      else if (coefficient === '1') terms.push(power);
      else if (coefficient === '-1') terms.push(`-${power}`);
      else terms.push(`${grouped(coefficient)}*${power}`);
    });
    return terms.length === 0 ? '0' : terms.join(' + ').replaceAll(' + -', ' - ');
  }

  private normalise(a: Polynomial<B>): Polynomial<B> {
    if (a.length === 0) return a;
    const u = this.unitPart(a)[0]!;
    return a.map((c) => this.base.divExact(c, u));
  }

  private trim(a: B[]): Polynomial<B> {
    let n = a.length;
    while (n > 0 && this.base.isZero(a[n - 1]!)) n--;
    return n === a.length ? a : a.slice(0, n);
  }
}
