/**
 * The rewriting half of the zero test (zero.ts): every atom is replaced by an equal expression in
 * which the known relations between atoms become polynomial identities, so that what is left to
 * do is clearing denominators. The relations used (each valid wherever the left side is defined):
 *
 * - exp(Σ c_i m_i) = Π exp(m_i)^{c_i}: one atom exp(m) per monomial m (exp(c) = exp(1)^c);
 *   exp(m)^{p/q} = root(exp(m), q)^p, since exp(m) > 0;
 * - exp(c·log(E)) = E^c (E > 0 where log(E) is defined); log1p(u) = log(1 + u),
 *   softplus(u) = log(1 + e^u), logsumexp(u) = log(Σ e^{u_i}), so exp of each becomes a polynomial;
 * - log(|k|·exp(m_1)^{e_1}…·E') = log|k| + Σ e_i m_i + log(E') for a positive E (so log(exp(v)) = v);
 * - σ(u) = e^u/(1 + e^u); sinh u = (e^u − e^{−u})/2; cosh u = (e^u + e^{−u})/2;
 *   tanh u = (e^{2u} − 1)/(e^{2u} + 1); tan u = sin u / cos u;
 * - sin(−u) = −sin u, cos(−u) = cos u, atan(−u) = −atan u (arguments get a positive first term);
 * - root reduction: r = b^{1/q} satisfies r^q = b (even q: b ≥ 0 where r is defined; odd q: the
 *   real, sign-preserving root), so r^{qk + e'} = b^k r^{e'} with 0 ≤ e' < q;
 * - 1/(g·b') = g^{−1}·1/b' for the monomial g = gcd of b's terms (Laurent exponents).
 *
 * Rewritten atoms are memoised per atom id (atoms are immutable, so one rewriter per table).
 *
 * @example
 *   const rw = new ZeroRewriter(atoms);
 *   rw.rewrite(atoms.call('sigmoid', [x])) // exp(x)·inv(1 + exp(x))
 */
import { Rational, rational } from '../series/fraction.js';
import { bigintGcd } from '../series/ring.js';
import { MAX_INTEGER_POWER, MAX_ROOT, type AtomTable } from './atoms.js';
import { Monomial, Poly } from './poly.js';

const half = rational(1, 2);

export class ZeroRewriter {
  private readonly atomMemo = new Map<number, Poly>();
  private readonly depthMemo = new Map<number, number>();
  private readonly reducedMemo = new Map<number, Poly>();

  constructor(readonly table: AtomTable) {}

  /** Nesting depth of an atom: 0 for parameters and constants, 1 + the deepest atom inside otherwise. */
  depth(id: number): number {
    const hit = this.depthMemo.get(id);
    if (hit !== undefined) return hit;
    const a = this.table.get(id);
    const inner = a.kind === 'call' ? a.args : a.kind === 'inv' || a.kind === 'root' ? [a.base] : [];
    let d = 0;
    for (const p of inner) for (const b of p.atomIds()) d = Math.max(d, 1 + this.depth(b));
    this.depthMemo.set(id, d);
    return d;
  }

  /** p with every atom rewritten and every root power reduced. */
  rewrite(p: Poly): Poly {
    const parts: Poly[] = [];
    for (const t of p.terms()) {
      let m = Poly.constant(t.coef);
      t.mono.atoms.forEach((a, i) => {
        const e = t.mono.exps[i]!;
        const r = this.rewriteAtom(a);
        m = m.mul(e >= 0 ? r.powInt(e) : this.inverse(r).powInt(-e));
      });
      parts.push(m);
    }
    return this.reduceRoots(Poly.sum(parts));
  }

  /** Root reduction: every root r = b^{1/q} ends with an exponent in [0, q). */
  reduceRoots(p: Poly): Poly {
    let changed = false;
    const parts: Poly[] = [];
    for (const t of p.terms()) {
      const r = this.reduceMonomial(t.mono);
      if (r.singleTerm()?.mono !== t.mono) changed = true;
      parts.push(r.scale(t.coef));
    }
    return changed ? Poly.sum(parts) : p;
  }

  /** 1/b, as a Laurent monomial, or g^{−1}·inv(b/g) for the monomial gcd g of b's terms; roots reduced. */
  inverse(b: Poly): Poly {
    if (b.isZero()) throw new RangeError('division by zero');
    const single = b.singleTerm();
    if (single) return this.reduceRoots(Poly.monomial(single.mono.pow(-1), Rational.div(Rational.one, single.coef)));
    const g = monomialGcd(b);
    const rest = g.isOne ? b : b.mulMonomial(g.pow(-1), Rational.one);
    return this.reduceRoots(this.table.inverse(rest).mulMonomial(g.pow(-1), Rational.one));
  }

  private reduceMonomial(m: Monomial): Poly {
    const hit = this.reducedMemo.get(m.id);
    if (hit) return hit;
    const pairs: [number, number][] = [];
    const factors: Poly[] = [];
    m.atoms.forEach((id, i) => {
      const e = m.exps[i]!;
      const a = this.table.get(id);
      if (a.kind === 'root' && (e < 0 || e >= a.q)) {
        // r^{qk + e'} = b^k · r^{e'}
        const k = Math.floor(e / a.q);
        pairs.push([id, e - k * a.q]);
        factors.push(k > 0 ? a.base.powInt(k) : this.inverse(a.base).powInt(-k));
      } else pairs.push([id, e]);
    });
    let out = Poly.monomial(factors.length ? Monomial.fromPairs(pairs) : m, Rational.one);
    if (factors.length) out = this.reduceRoots(factors.reduce((acc, f) => acc.mul(f), out));
    this.reducedMemo.set(m.id, out);
    return out;
  }

  private rewriteAtom(id: number): Poly {
    const hit = this.atomMemo.get(id);
    if (hit) return hit;
    const out = this.reduceRoots(this.rewriteAtomUncached(id));
    this.atomMemo.set(id, out);
    return out;
  }

  private rewriteAtomUncached(id: number): Poly {
    const a = this.table.get(id);
    const one = Poly.one;
    switch (a.kind) {
      case 'var':
      case 'const':
      case 'dir':
        return Poly.atom(id);
      case 'inv':
        return this.inverse(this.rewrite(a.base));
      case 'root':
        return this.rootOf(this.rewrite(a.base), a.q);
      case 'call': {
        const args = a.args.map((x) => this.rewrite(x));
        const u = args[0]!;
        switch (a.fn.name) {
          case 'exp':
            return this.expOf(u);
          case 'log':
            return this.logOf(u);
          case 'log1p':
            return this.logOf(one.add(u));
          case 'softplus':
            return this.logOf(one.add(this.expOf(u)));
          case 'logsumexp':
            return this.logOf(Poly.sum(args.map((v) => this.expOf(v))));
          case 'sigmoid': {
            const e = this.expOf(u);
            return e.mul(this.inverse(one.add(e)));
          }
          case 'sinh':
            return this.expOf(u).sub(this.expOf(u.neg())).scale(half);
          case 'cosh':
            return this.expOf(u).add(this.expOf(u.neg())).scale(half);
          case 'tanh': {
            const e2 = this.expOf(u.scale(rational(2)));
            return e2.sub(one).mul(this.inverse(e2.add(one)));
          }
          case 'tan':
            return this.odd('sin', u).mul(this.inverse(this.even('cos', u)));
          case 'sin':
          case 'atan':
            return this.odd(a.fn.name, u);
          case 'cos':
            return this.even('cos', u);
          default:
            return this.table.call(a.fn.name, args);
        }
      }
    }
  }

  /** f(u) for an odd f, with the argument's first term positive. */
  private odd(name: string, u: Poly): Poly {
    return leadingNegative(u) ? this.table.call(name, [u.neg()]).neg() : this.table.call(name, [u]);
  }

  private even(name: string, u: Poly): Poly {
    return this.table.call(name, [leadingNegative(u) ? u.neg() : u]);
  }

  /** b^{1/q} for a rewritten b; (k·Π exp(m_i)^{e_i})^{1/q} = k^{1/q}·Π exp(e_i m_i / q) when k > 0. */
  private rootOf(b: Poly, q: number): Poly {
    const t = b.singleTerm();
    if (t && t.coef.num > 0n && t.mono.atoms.every((id) => this.isExp(id))) {
      const exponent = Poly.sum(t.mono.atoms.map((id, i) => this.expArg(id).scale(rational(t.mono.exps[i]!, q))));
      return this.table.power(Poly.constant(t.coef), rational(1, q)).mul(this.expOf(exponent));
    }
    return this.table.power(b, rational(1, q));
  }

  /** exp(u) for a rewritten u, as a product over u's terms. */
  private expOf(u: Poly): Poly {
    let out = Poly.one;
    for (const t of u.terms()) out = out.mul(this.expTerm(t.coef, t.mono));
    return this.reduceRoots(out);
  }

  /** exp(c·m). */
  private expTerm(c: Rational, m: Monomial): Poly {
    if (m.atoms.length === 1 && m.exps[0] === 1) {
      const a = this.table.get(m.atoms[0]!);
      if (a.kind === 'call') {
        // exp(c·log E) = E^c for the log-like functions.
        const e = (() => {
          switch (a.fn.name) {
            case 'log':
              return a.args[0]!;
            case 'log1p':
              return Poly.one.add(a.args[0]!);
            case 'softplus':
              return Poly.one.add(this.expOf(a.args[0]!));
            case 'logsumexp':
              return Poly.sum(a.args.map((v) => this.expOf(v)));
            default:
              return undefined;
          }
        })();
        if (e) {
          try {
            if (c.den === 1n) return c.num >= 0n ? this.table.power(e, c) : this.inverse(this.table.power(e, Rational.neg(c)));
            return this.reduceRoots(this.table.power(e, c));
          } catch (err) {
            if (!(err instanceof RangeError)) throw err;
            // exponent beyond the table's limits: keep exp(c·m) as an atom
            return this.table.call('exp', [Poly.monomial(m, c)]);
          }
        }
      }
    }
    // Exponents beyond the table's limits stay inside one opaque atom exp(c·m): turned into JS
    // numbers they could collide (2^53 + 1 and 2^53 are one double) and prove a false identity.
    const limit = BigInt(MAX_INTEGER_POWER);
    if (c.num > limit || -c.num > limit || c.den > BigInt(MAX_ROOT)) return this.table.call('exp', [Poly.monomial(m, c)]);
    const base = [...this.table.call('exp', [Poly.monomial(m, Rational.one)]).atomIds()][0]!;
    if (c.den === 1n) return Poly.atom(base, Number(c.num));
    try {
      const root = [...this.table.power(Poly.atom(base), rational(1n, c.den)).atomIds()][0]!;
      return this.reduceRoots(Poly.atom(root, Number(c.num)));
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return this.table.call('exp', [Poly.monomial(m, c)]);
    }
  }

  /** log(E) for a rewritten, positive E: log|k| + Σ e_i m_i + log(E') where E = |k|·Π exp(m_i)^{e_i}·E'. */
  private logOf(e: Poly): Poly {
    if (e.constantValue() !== undefined) return this.table.call('log', [e]);
    const g = monomialGcd(e, (id) => this.isExp(id));
    let rest = g.isOne ? e : e.mulMonomial(g.pow(-1), Rational.one);
    const k = absContent(rest);
    if (k.num !== 1n || k.den !== 1n) rest = rest.scale(Rational.div(Rational.one, k));
    const logs = g.atoms.map((id, i) => this.expArg(id).scale(rational(g.exps[i]!)));
    if (k.num !== 1n || k.den !== 1n) logs.push(this.table.call('log', [Poly.constant(k)]));
    logs.push(this.table.call('log', [rest]));
    return Poly.sum(logs);
  }

  private isExp(id: number): boolean {
    const a = this.table.get(id);
    return a.kind === 'call' && a.fn.name === 'exp';
  }

  private expArg(id: number): Poly {
    const a = this.table.get(id);
    if (a.kind !== 'call') throw new Error('internal: not an exp atom');
    return a.args[0]!;
  }
}

/** The largest monomial dividing every term (exponents may be negative), over the atoms `keep` accepts. */
function monomialGcd(p: Poly, keep: (id: number) => boolean = () => true): Monomial {
  const terms = [...p.terms()];
  const min = new Map<number, number>();
  for (const t of terms) t.mono.atoms.forEach((a, i) => keep(a) && min.set(a, Math.min(min.get(a) ?? Infinity, t.mono.exps[i]!)));
  const pairs: [number, number][] = [];
  for (const [a, e] of min) {
    // an atom missing from some term has exponent 0 there
    const low = terms.every((t) => t.mono.exponentOf(a) !== 0) ? e : Math.min(e, 0);
    if (low !== 0) pairs.push([a, low]);
  }
  return Monomial.fromPairs(pairs);
}

/** gcd of the numerators over lcm of the denominators (positive). */
function absContent(p: Poly): Rational {
  let g = 0n;
  let l = 1n;
  for (const t of p.terms()) {
    g = bigintGcd(g, t.coef.num < 0n ? -t.coef.num : t.coef.num);
    l = (l / bigintGcd(l, t.coef.den)) * t.coef.den;
  }
  return rational(g, l);
}

/** Whether p's first term (by monomial key) has a negative coefficient. */
function leadingNegative(p: Poly): boolean {
  let first: { key: string; neg: boolean } | undefined;
  for (const t of p.terms()) if (!first || t.mono.key < first.key) first = { key: t.mono.key, neg: t.coef.num < 0n };
  return first?.neg ?? false;
}
