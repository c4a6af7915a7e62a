/**
 * Atoms: the indeterminates of the normal form (poly.ts). Each is interned once, so equal
 * subexpressions are shared and compared by id:
 *
 * - `var`: a parameter θ_i; `const`: a symbolic constant (a, λ, pi);
 * - `dir`: a placeholder direction vector entry u^{(slot)}_j (constant in θ), used to contract
 *   derivative tensors with vectors without materialising them (concrete.ts);
 * - `call`: f(u1, …, um) for a registered smooth function, arguments in normal form;
 * - `inv`: 1/b for a polynomial b with several terms, normalised to positive leading term and
 *   content 1 (so 1/(2x + 2y) = ½ · inv(x + y));
 * - `root`: b^{1/q}, q ≥ 2.
 *
 * @example
 *   const x = atoms.variable('x');
 *   atoms.call('exp', [x.neg()]) // the Poly holding the single atom exp(−x)
 */
import { Rational, rational } from '../series/fraction.js';
import { bigintGcd } from '../series/ring.js';
import { lookupFunction, type Builder, type FunctionSpec } from './functions/index.js';
import { Monomial, Poly } from './poly.js';

export type Atom =
  | { readonly kind: 'var'; readonly id: number; readonly name: string }
  | { readonly kind: 'const'; readonly id: number; readonly name: string; readonly value?: number }
  | { readonly kind: 'dir'; readonly id: number; readonly slot: number; readonly index: number }
  | { readonly kind: 'call'; readonly id: number; readonly fn: FunctionSpec; readonly args: readonly Poly[] }
  | { readonly kind: 'inv'; readonly id: number; readonly base: Poly }
  | { readonly kind: 'root'; readonly id: number; readonly base: Poly; readonly q: number };

type AtomData = Atom extends infer A ? (A extends Atom ? Omit<A, 'id'> : never) : never;

/**
 * Largest |p| in u^p and u^(p/q) (guards against x^100000); the same bound as the degree of an
 * expanded power, so x^256 and (x^16)^16 are both accepted and x^257 and (x^16)^17 both refused.
 */
export const MAX_INTEGER_POWER = 256;
/** Largest root index q in u^(p/q). */
export const MAX_ROOT = 64;
/** Largest total degree an expanded power may have. */
export const MAX_EXPANDED_DEGREE = MAX_INTEGER_POWER;
/** Largest size, in bits of numerator and denominator, of an exact constant power such as 3^200. */
export const MAX_CONSTANT_POWER_BITS = 100_000;
/** Largest number of terms an expanded power may have (bounded by the multinomial count). */
export const MAX_EXPANDED_TERMS = 200_000;

export class AtomTable implements Builder {
  private readonly list: Atom[] = [];
  private readonly byKey = new Map<string, number>();

  get(id: number): Atom {
    const a = this.list[id];
    if (!a) throw new RangeError(`no atom ${id}`);
    return a;
  }

  get size(): number {
    return this.list.length;
  }

  private intern(key: string, data: AtomData): number {
    const hit = this.byKey.get(key);
    if (hit !== undefined) return hit;
    const id = this.list.length;
    this.list.push({ ...data, id } as Atom);
    this.byKey.set(key, id);
    return id;
  }

  variable(name: string): Poly {
    return Poly.atom(this.intern(`v:${name}`, { kind: 'var', name }));
  }

  constantSymbol(name: string, value?: number): Poly {
    return Poly.atom(this.intern(`c:${name}`, value === undefined ? { kind: 'const', name } : { kind: 'const', name, value }));
  }

  direction(slot: number, index: number): Poly {
    return Poly.atom(this.intern(`d:${slot}:${index}`, { kind: 'dir', slot, index }));
  }

  constant(c: number | bigint | Rational): Poly {
    return Poly.constant(typeof c === 'object' ? c : rational(BigInt(c)));
  }

  callOf(p: Poly): { name: string; args: readonly Poly[] } | undefined {
    const t = p.singleTerm();
    if (!t || t.coef.num !== 1n || t.coef.den !== 1n || t.mono.atoms.length !== 1 || t.mono.exps[0] !== 1) return undefined;
    const a = this.get(t.mono.atoms[0]!);
    return a.kind === 'call' ? { name: a.fn.name, args: a.args } : undefined;
  }

  /** f(args) for a registered function, simplified where the function's entry says how. */
  call(name: string, args: readonly Poly[]): Poly {
    const fn = lookupFunction(name);
    if (!fn) throw new RangeError(`unknown function ${name}`);
    const simple = fn.simplify?.(args, this);
    if (simple) return simple;
    return Poly.atom(this.intern(`f:${name}(${args.map((a) => a.key).join(';')})`, { kind: 'call', fn, args }));
  }

  /** base^r for a rational r (integer powers expand; others become inv/root atoms). */
  power(base: Poly, r: Rational): Poly {
    const p = r.num;
    const q = r.den;
    if (p > BigInt(MAX_INTEGER_POWER) || -p > BigInt(MAX_INTEGER_POWER)) {
      throw new RangeError(`the exponent ${shortNumber(r)} is too large: powers are limited to |exponent| ≤ ${MAX_INTEGER_POWER}`);
    }
    if (q > BigInt(MAX_ROOT)) throw new RangeError(`root index ${shortNumber(rational(q))} is larger than ${MAX_ROOT}`);
    const c0 = base.constantValue();
    if (c0 !== undefined && q === 1n && (bitLength(c0.num) + bitLength(c0.den)) * Math.abs(Number(p)) > MAX_CONSTANT_POWER_BITS) {
      throw new RangeError(`(${shortNumber(c0)})^${p} has more than ${MAX_CONSTANT_POWER_BITS} bits: too large to keep exactly`);
    }
    if (q === 1n) {
      if (p >= 0n) {
        checkExpansion(base, Number(p));
        return base.powInt(Number(p));
      }
      const inv = this.inverse(base);
      checkExpansion(inv, Number(-p));
      return inv.powInt(Number(-p));
    }
    if (base.isZero()) {
      if (p > 0n) return Poly.zero;
      throw new RangeError('division by zero (0 to a negative power)');
    }
    const c = base.constantValue();
    if (c !== undefined) {
      if (c.num < 0n && q % 2n === 0n) throw new RangeError(`(${Rational.toString(c)})^(${Rational.toString(r)}) is not a real number`);
      // Exact when numerator and denominator are perfect q-th powers: sqrt(4) = 2.
      const n = integerRoot(c.num < 0n ? -c.num : c.num, q);
      const d = integerRoot(c.den, q);
      if (n !== undefined && d !== undefined) return this.power(Poly.constant(rational(c.num < 0n ? -n : n, d)), rational(p));
    }
    const root = Poly.atom(this.intern(`r:${q}:${base.key}`, { kind: 'root', base, q: Number(q) }));
    return p >= 0n ? root.powInt(Number(p)) : this.inverseOfSingle(root).powInt(Number(-p));
  }

  /** 1/b. */
  inverse(base: Poly): Poly {
    if (base.isZero()) throw new RangeError('division by zero');
    if (base.size === 1) return this.inverseOfSingle(base);
    const { content, primitive } = normalise(base);
    return Poly.atom(this.intern(`i:${primitive.key}`, { kind: 'inv', base: primitive })).scale(Rational.div(Rational.one, content));
  }

  private inverseOfSingle(p: Poly): Poly {
    const t = p.singleTerm()!;
    return Poly.monomial(t.mono.pow(-1), Rational.div(Rational.one, t.coef));
  }
}

/** Refuse integer powers whose expansion would be too large (degree or multinomial term count). */
function checkExpansion(base: Poly, p: number): void {
  if (p <= 1) return;
  let degree = 0;
  for (const t of base.terms()) degree = Math.max(degree, t.mono.exps.reduce((s, e) => s + Math.abs(e), 0));
  if (degree * p > MAX_EXPANDED_DEGREE) throw new RangeError(`a power expands to degree ${degree * p}, beyond ${MAX_EXPANDED_DEGREE}`);
  // At most C(p + m − 1, m − 1) monomials for m terms.
  const m = base.size;
  let bound = 1;
  for (let i = 1; i < m && bound <= MAX_EXPANDED_TERMS; i++) bound = (bound * (p + i)) / i;
  if (bound > MAX_EXPANDED_TERMS) throw new RangeError(`a power expands to more than ${MAX_EXPANDED_TERMS} terms`);
}

const bitLength = (x: bigint) => (x < 0n ? -x : x).toString(2).length;

/**
 * A rational for a message: as is when short, else its leading digits and a power of ten
 * (1e300 is "1.00e+300", not 301 digits).
 *
 * @example
 *   shortNumber(rational(10n ** 300n)) // "1.00e+300"
 */
export function shortNumber(r: Rational): string {
  const text = Rational.toString(r);
  if (text.length <= 24) return text;
  const part = (x: bigint) => {
    const d = (x < 0n ? -x : x).toString();
    const s = d.length <= 12 ? d : `${d[0]}.${d.slice(1, 3)}e+${d.length - 1}`;
    return x < 0n ? `-${s}` : s;
  };
  return r.den === 1n ? part(r.num) : `${part(r.num)}/${part(r.den)}`;
}

/** The exact q-th root of a non-negative integer, if it is one. */
function integerRoot(x: bigint, q: bigint): bigint | undefined {
  if (x < 2n) return x;
  // Newton's method on BigInt from 2^⌈bits/q⌉ ≥ the root, decreasing to ⌊x^(1/q)⌋.
  let r = 1n << BigInt(Math.ceil(x.toString(2).length / Number(q)));
  let next = ((q - 1n) * r + x / r ** (q - 1n)) / q;
  while (next < r) {
    r = next;
    next = ((q - 1n) * r + x / r ** (q - 1n)) / q;
  }
  return r ** q === x ? r : undefined;
}

/** b = content · primitive, the primitive part with integer coprime coefficients and the first term positive. */
function normalise(b: Poly): { content: Rational; primitive: Poly } {
  const terms = [...b.terms()].sort((x, y) => (x.mono.key < y.mono.key ? -1 : x.mono.key > y.mono.key ? 1 : 0));
  let g = 0n;
  let l = 1n;
  for (const t of terms) {
    g = bigintGcd(g, t.coef.num);
    l = (l / bigintGcd(l, t.coef.den)) * t.coef.den;
  }
  const sign = terms[0]!.coef.num < 0n ? -1n : 1n;
  const content = rational(sign * g, l);
  return { content, primitive: b.scale(Rational.div(Rational.one, content)) };
}

/** The process-wide atom table (atoms are immutable and interned, so sharing is safe). */
export const atoms = new AtomTable();

export { Monomial };
