/**
 * ξ_0 and ξ_1 (and ξ_2 once) of Adam and RMSProp held by a second, independent route (issue 12's bar): a direct
 * expansion of the state recurrence on the loss that shares no code with src/adaptive.
 *
 * The route: exact BigInt rationals at a rational point θ* where each |g_i(θ*)| is rational,
 * truncated multivariate Taylor polynomials in (η, δx, δy) (total degree ≤ 3) and a flow time σ.
 * The state on the slow manifold is the fixed point of
 *     M = g∘Ψ − (M∘Ψ − M)/(1 − β1),   V = (g∘Ψ)² − (V∘Ψ − V)/(1 − β2),   Ψ(δ) = δ − η M/(√V + ε),
 * found by iterating (each pass fixes one more degree), with compositions by substituting
 * polynomials (no Lie series); then the field F whose time-η flow is Ψ by a second fixed point,
 * F ← F + (Ψ − φ_F(η))/η, the flow φ_F by Picard iteration φ(σ) = δ + η∫_0^σ F(φ) dσ'. Then
 * ξ_k(θ*) = −[F]_{η^{k+1}} at δ = 0. The gradient of the loss is written by hand.
 *
 * The engine's closed forms (β1, β2 symbolic, ε an exact number) are evaluated exactly at θ* and at
 * several rational β's, and must agree exactly.
 */
import { describe, expect, it } from 'vitest';
import { adaptiveCounterTerms } from '../src/adaptive/counterTerms.js';
import { adaptiveRule } from '../src/adaptive/methods.js';
import { rational } from '../src/series/fraction.js';
import type { Poly } from '../src/algebra/poly.js';
import type { AtomTable } from '../src/algebra/atoms.js';

// ---- exact rationals (independent of src/series) ----
type Q = { n: bigint; d: bigint };
const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
};
const q = (n: bigint | number, d: bigint | number = 1n): Q => {
  let N = BigInt(n);
  let D = BigInt(d);
  if (D < 0n) [N, D] = [-N, -D];
  const g = gcd(N, D) || 1n;
  return { n: N / g, d: D / g };
};
const qadd = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d);
const qmul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const qdiv = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);
const qneg = (a: Q) => q(-a.n, a.d);
const qstr = (a: Q) => (a.d === 1n ? `${a.n}` : `${a.n}/${a.d}`);
function isqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let r = BigInt(Math.floor(Math.sqrt(Number(x))));
  while (r * r > x) r--;
  while ((r + 1n) * (r + 1n) <= x) r++;
  return r;
}
function qsqrt(a: Q): Q {
  const n = isqrt(a.n);
  const d = isqrt(a.d);
  if (n * n !== a.n || d * d !== a.d) throw new Error(`not a rational square: ${qstr(a)}`);
  return q(n, d);
}

// ---- truncated polynomials in (η, δx, δy; σ): total degree in η, δx, δy at most N ----
/** ξ_k needs degree k + 2 (F to η^{k+1} from Ψ to η^{k+2}); 3 for ξ_0, ξ_1, set to 4 for ξ_2. */
let N = 3;
type T = Map<string, Q>; // key "e,a,b,s"
const key = (e: number[]) => e.join(',');
const exps = (k: string) => k.split(',').map(Number);
const deg = (e: number[]) => e[0]! + e[1]! + e[2]!;
const tconst = (c: Q): T => (c.n === 0n ? new Map() : new Map([['0,0,0,0', c]]));
const tvar = (i: number): T => new Map([[key([0, 1, 2, 3].map((j) => (j === i ? 1 : 0))), q(1)]]);
function tadd(...ps: T[]): T {
  const out: T = new Map();
  for (const p of ps)
    for (const [k, c] of p) {
      const s = qadd(out.get(k) ?? q(0), c);
      if (s.n === 0n) out.delete(k);
      else out.set(k, s);
    }
  return out;
}
const tscale = (p: T, c: Q): T => new Map([...p].filter(() => c.n !== 0n).map(([k, v]) => [k, qmul(v, c)]));
const tsub = (a: T, b: T) => tadd(a, tscale(b, q(-1)));
function tmul(a: T, b: T): T {
  const out: T = new Map();
  for (const [ka, ca] of a)
    for (const [kb, cb] of b) {
      const ea = exps(ka);
      const eb = exps(kb);
      const e = ea.map((x, i) => x + eb[i]!);
      if (deg(e) > N) continue;
      const k = key(e);
      const s = qadd(out.get(k) ?? q(0), qmul(ca, cb));
      if (s.n === 0n) out.delete(k);
      else out.set(k, s);
    }
  return out;
}
const constantOf = (p: T) => p.get('0,0,0,0') ?? q(0);
/** f(p) = Σ c_n (p − p0)^n for a power series with coefficients c_n around the constant p0. */
function tseries(p: T, coefficient: (n: number, p0: Q) => Q): T {
  const p0 = constantOf(p);
  const rest = tsub(p, tconst(p0));
  let power = tconst(q(1));
  let out: T = new Map();
  for (let n = 0; n <= N; n++) {
    out = tadd(out, tscale(power, coefficient(n, p0)));
    power = tmul(power, rest);
  }
  return out;
}
const binomHalf = (n: number): Q => {
  let c = q(1);
  for (let k = 0; k < n; k++) c = qdiv(qmul(c, qadd(q(1, 2), q(-k))), q(k + 1));
  return c;
};
/** √p for p whose constant is a positive rational square: √p0 Σ binom(1/2, n) ((p − p0)/p0)^n. */
const tsqrt = (p: T) => tseries(p, (n, p0) => qmul(qsqrt(p0), qdiv(binomHalf(n), pow(p0, n))));
/** 1/p = Σ (−1)^n (p − p0)^n / p0^{n+1}. */
const tinv = (p: T) => tseries(p, (n, p0) => qdiv(q(n % 2 ? -1 : 1), pow(p0, n + 1)));
const pow = (a: Q, n: number) => Array.from({ length: n }).reduce<Q>((acc) => qmul(acc, a), q(1));
/** p with δx, δy replaced by the polynomials sub[0], sub[1]. */
function tcompose(p: T, sub: [T, T]): T {
  const out: T[] = [];
  for (const [k, c] of p) {
    const [e, a, b, s] = exps(k) as [number, number, number, number];
    let m = new Map([[key([e, 0, 0, s]), c]]) as T;
    for (let i = 0; i < a; i++) m = tmul(m, sub[0]);
    for (let i = 0; i < b; i++) m = tmul(m, sub[1]);
    out.push(m);
  }
  return tadd(...out);
}
/** ∫_0^σ p dσ'. */
const tintegrate = (p: T): T => new Map([...p].map(([k, c]) => {
  const e = exps(k);
  return [key([e[0]!, e[1]!, e[2]!, e[3]! + 1]), qdiv(c, q(e[3]! + 1))];
}));
/** p at σ = 1. */
const tatOne = (p: T): T => tadd(...[...p].map(([k, c]) => { const e = exps(k); return new Map([[key([e[0]!, e[1]!, e[2]!, 0]), c]]) as T; }));
/** p/η (every term must carry η). */
const tdivEta = (p: T): T => new Map([...p].map(([k, c]) => {
  const e = exps(k);
  if (e[0]! < 1) throw new Error('not divisible by η');
  return [key([e[0]! - 1, e[1]!, e[2]!, e[3]!]), c];
}));

// ---- the loss L = x^4/4 − x^2/2 + x y + y^2 (non-convex), its gradient by hand, at θ* ----
const LOSS = 'x^4/4 - x^2/2 + x*y + y^2';
const X0 = q(1, 2);
const Y0 = q(1, 3);
function gradient(d: [T, T]): [T, T] {
  const x = tadd(tconst(X0), d[0]);
  const y = tadd(tconst(Y0), d[1]);
  const x3 = tmul(x, tmul(x, x));
  return [tadd(x3, tscale(x, q(-1)), y), tadd(x, tscale(y, q(2)))];
}

/** ξ_0(θ*), …, ξ_{N−2}(θ*) of Adam (β1, β2, ε exact) by the direct expansion. */
function directXi(beta1: Q, beta2: Q, eps: Q, rmsprop = false): Q[][] {
  const eta = tvar(0);
  const delta: [T, T] = [tvar(1), tvar(2)];
  const g = gradient(delta);
  let M: [T, T] = [g[0], g[1]];
  let V: [T, T] = [tmul(g[0], g[0]), tmul(g[1], g[1])];
  const step = (): [T, T] => [0, 1].map((i) => tmul(eta, tmul(M[i]!, tinv(tadd(tsqrt(V[i]!), tconst(eps)))))) as [T, T];
  const psiOf = (): [T, T] => { const s = step(); return [tsub(delta[0], s[0]), tsub(delta[1], s[1])]; };
  for (let it = 0; it <= N + 1; it++) {
    const psi = psiOf();
    const gPsi = gradient(psi);
    const nextM = rmsprop ? M : ([0, 1].map((i) => tsub(gPsi[i]!, tscale(tsub(tcompose(M[i]!, psi), M[i]!), qdiv(q(1), qadd(q(1), qneg(beta1)))))) as [T, T]);
    const nextV = [0, 1].map((i) => tsub(tmul(gPsi[i]!, gPsi[i]!), tscale(tsub(tcompose(V[i]!, psi), V[i]!), qdiv(q(1), qadd(q(1), qneg(beta2)))))) as [T, T];
    M = nextM;
    V = nextV;
  }
  const psi = psiOf();
  // F with flow φ_F(η) = Ψ.
  let F: [T, T] = [tdivEta(tsub(psi[0], delta[0])), tdivEta(tsub(psi[1], delta[1]))];
  for (let it = 0; it <= N + 1; it++) {
    let phi: [T, T] = [delta[0], delta[1]];
    for (let p = 0; p <= N + 1; p++) {
      const Fphi = [tcompose(F[0], phi), tcompose(F[1], phi)];
      phi = [0, 1].map((i) => tadd(delta[i]!, tmul(eta, tintegrate(Fphi[i]!)))) as [T, T];
    }
    const end = [tatOne(phi[0]), tatOne(phi[1])];
    F = [0, 1].map((i) => tadd(F[i]!, tdivEta(tsub(psi[i]!, end[i]!)))) as [T, T];
  }
  return Array.from({ length: N - 1 }, (_, k) => F.map((Fi) => qneg(Fi.get(key([k + 1, 0, 0, 0])) ?? q(0))));
}

/** The engine's normal form evaluated exactly at θ*, with β's given (roots must be rational). */
function exactValue(p: Poly, table: AtomTable, values: Map<string, Q>): Q {
  const atomValue = (id: number): Q => {
    const a = table.get(id);
    switch (a.kind) {
      case 'var':
      case 'const': {
        const v = values.get(a.name);
        if (!v) throw new Error(`no value for ${a.name}`);
        return v;
      }
      case 'inv':
        return qdiv(q(1), polyValue(a.base));
      case 'root':
        if (a.q !== 2) throw new Error('only square roots here');
        return qsqrt(polyValue(a.base));
      default:
        throw new Error(`unexpected atom ${a.kind}`);
    }
  };
  const polyValue = (x: Poly): Q => {
    let s = q(0);
    for (const t of x.terms()) {
      let m = q(t.coef.num, t.coef.den);
      t.mono.atoms.forEach((a, i) => {
        const e = t.mono.exps[i]!;
        const v = atomValue(a);
        m = qmul(m, e >= 0 ? pow(v, e) : qdiv(q(1), pow(v, -e)));
      });
      s = qadd(s, m);
    }
    return s;
  };
  return polyValue(p);
}

const BETAS: [Q, Q][] = [
  [q(0), q(0)],
  [q(9, 10), q(999, 1000)],
  [q(1, 2), q(3, 4)],
  [q(3, 4), q(1, 3)],
];

describe('Adam and RMSProp: ξ_0, ξ_1 against a direct expansion of the state recurrence', () => {
  for (const eps of [q(0), q(1, 10)]) {
    it(`adam, β1 and β2 symbolic, eps = ${qstr(eps)}`, () => {
      const r = adaptiveCounterTerms(LOSS, { order: 1, rule: adaptiveRule('adam', new Map([['eps', rational(eps.n, eps.d)]])) });
      for (const [b1, b2] of BETAS) {
        const direct = directXi(b1, b2, eps);
        const values = new Map([['x', X0], ['y', Y0], ['beta1', b1], ['beta2', b2]]);
        const engine = r.xi.map((xi) => xi.map((p) => qstr(exactValue(p, r.loss.table, values))));
        expect(engine).toEqual(direct.map((row) => row.map(qstr)));
      }
    });
    it(`rmsprop, rho symbolic (given as alpha), eps = ${qstr(eps)}`, () => {
      const r = adaptiveCounterTerms(LOSS, { order: 1, rule: adaptiveRule('rmsprop', new Map([['alpha', undefined], ['eps', rational(eps.n, eps.d)]])) });
      for (const [, rho] of BETAS) {
        const direct = directXi(q(0), rho, eps, true);
        const values = new Map([['x', X0], ['y', Y0], ['rho', rho]]);
        const engine = r.xi.map((xi) => xi.map((p) => qstr(exactValue(p, r.loss.table, values))));
        expect(engine).toEqual(direct.map((row) => row.map(qstr)));
      }
    });
  }

  it('ξ_2 too: adam at β1 = 1/2, β2 = 3/4, ε = 1/10 (degree 4)', () => {
    N = 4;
    try {
      const r = adaptiveCounterTerms(LOSS, { order: 2, rule: adaptiveRule('adam', new Map([['eps', rational(1, 10)]])) });
      const values = new Map([['x', X0], ['y', Y0], ['beta1', q(1, 2)], ['beta2', q(3, 4)]]);
      const engine = r.xi.map((xi) => xi.map((p) => qstr(exactValue(p, r.loss.table, values))));
      expect(engine).toEqual(directXi(q(1, 2), q(3, 4), q(1, 10)).map((row) => row.map(qstr)));
    } finally {
      N = 3;
    }
  }, 120_000);

  it('at β1 = β2 = 0 and ε = 0 Adam is sign descent θ ← θ − η sign(g), whose EoM has no counter terms', () => {
    expect(directXi(q(0), q(0), q(0)).flat().map(qstr)).toEqual(['0', '0', '0', '0']);
  });
});
