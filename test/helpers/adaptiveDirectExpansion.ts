/**
 * A direct expansion of Adam's (and RMSProp's) state recurrence on one loss, sharing no code with
 * src/adaptive: the second route of test/adaptive-second-route.test.ts, also used by the fast checks
 * of test/adaptive-inputs.test.ts.
 *
 * The route: exact BigInt rationals at a rational point θ* where each |g_i(θ*)| is rational,
 * truncated multivariate Taylor polynomials in (η, δx, δy) (total degree ≤ N) and a flow time σ.
 * The state on the slow manifold is the fixed point of
 *     M = g∘Ψ − (M∘Ψ − M)/(1 − β1),   V = (g∘Ψ)² − (V∘Ψ − V)/(1 − β2),   Ψ(δ) = δ − η M/(√V + ε),
 * found by iterating (each pass fixes one more degree), with compositions by substituting
 * polynomials (no Lie series); then the field F whose time-η flow is Ψ by a second fixed point,
 * F ← F + (Ψ − φ_F(η))/η, the flow φ_F by Picard iteration φ(σ) = δ + η∫_0^σ F(φ) dσ'. Then
 * ξ_k(θ*) = −[F]_{η^{k+1}} at δ = 0. The gradient of the loss is written by hand.
 *
 * @example
 *   directXi(q(1, 2), q(3, 4), q(1, 10)) // [ξ_0(θ*), ξ_1(θ*)] of Adam, each [x, y] component exact
 */
import { rationalSqrt } from './exactNormalForm.js';
import { q, qadd, qdiv, qmul, qneg, type Q } from './polynomial.js';

// ---- truncated polynomials in (η, δx, δy; σ): total degree in η, δx, δy at most N ----
/** ξ_k needs degree k + 2 (F to η^{k+1} from Ψ to η^{k+2}); 3 for ξ_0, ξ_1, 4 for ξ_2 (directXi's `degree`). */
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
const tsqrt = (p: T) => tseries(p, (n, p0) => qmul(rationalSqrt(p0), qdiv(binomHalf(n), pow(p0, n))));
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
export const LOSS = 'x^4/4 - x^2/2 + x*y + y^2';
export const X0 = q(1, 2);
export const Y0 = q(1, 3);
function gradient(d: [T, T]): [T, T] {
  const x = tadd(tconst(X0), d[0]);
  const y = tadd(tconst(Y0), d[1]);
  const x3 = tmul(x, tmul(x, x));
  return [tadd(x3, tscale(x, q(-1)), y), tadd(x, tscale(y, q(2)))];
}

/** ξ_0(θ*), …, ξ_{degree−2}(θ*) of Adam (β1, β2, ε exact; RMSProp: β1 unused) by the direct expansion. */
export function directXi(beta1: Q, beta2: Q, eps: Q, rmsprop = false, degree = 3): Q[][] {
  N = degree;
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

