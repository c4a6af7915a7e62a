/**
 * Independent numeric evaluation of tree series, for tests only.
 *
 * A concrete loss is given through its directional derivative tensors, never materialised:
 * `derivative(m, θ, [v1..vm]) = D^m g(θ)[v1, …, vm] = ∇^{m+1}L(θ)[v1, …, vm, ·]`, a vector. Every
 * order is written in closed form for the losses below, so tree series of any order can be
 * evaluated. The elementary differentials follow docs/design.md (2.9): F(•) = g,
 * F([τ1..τm]) = D^m g[F(τ1), …, F(τm)], no symmetry factor.
 *
 * The EoM_K flow dθ/dt = −g(θ) − Σ_{k=0..K} η^{k+1} ξ_k(θ) is integrated with classical RK4 on
 * the displacement δ = θ − θ0 (which is O(η), so round-off stays at ~η·1e-16 instead of ~1e-16),
 * with Richardson extrapolation over N, 2N, 4N steps for an O(h^6) result.
 *
 * Nothing here reuses the solver: it only reads the solver's output (trees and rational
 * coefficients).
 */
import {
  defaultTreeStore,
  rationalToNumber,
  type Rational,
  type RootedTree,
  type TreeSeries,
  type TreeStore,
} from '../../src/index.js';

export type Vec = number[];

/** A loss L: R^n → R known through D^m g(θ)[v1..vm] = ∇^{m+1}L(θ)[v1..vm] for every m ≥ 0. */
export interface DirectionalLoss {
  readonly name: string;
  readonly dim: number;
  /** D^m g(θ)[v1, …, vm] (m = vectors.length must equal `m`); m = 0 is the gradient g(θ). */
  derivative(m: number, theta: readonly number[], vectors: readonly (readonly number[])[]): Vec;
}

// ---------------------------------------------------------------------------------------------
// Small vector helpers
// ---------------------------------------------------------------------------------------------

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}

export function axpy(alpha: number, x: readonly number[], y: readonly number[]): Vec {
  return y.map((yi, i) => yi + alpha * x[i]!);
}

export function sub(a: readonly number[], b: readonly number[]): Vec {
  return a.map((ai, i) => ai - b[i]!);
}

function checkArity(m: number, vectors: readonly (readonly number[])[]): void {
  if (vectors.length !== m) throw new RangeError(`derivative(${m}) needs ${m} vectors, got ${vectors.length}`);
}

/** j-th derivative of sin / cos / exp at x, exactly (phase by j mod 4, no π/2 round-off). */
function sinDerivative(j: number, x: number): number {
  switch (((j % 4) + 4) % 4) {
    case 0:
      return Math.sin(x);
    case 1:
      return Math.cos(x);
    case 2:
      return -Math.sin(x);
    default:
      return -Math.cos(x);
  }
}

function cosDerivative(j: number, x: number): number {
  return sinDerivative(j + 1, x);
}

// ---------------------------------------------------------------------------------------------
// Losses
// ---------------------------------------------------------------------------------------------

/**
 * 1-D "cosine well" L(θ) = −cos θ + θ²/10.
 * ∇^j L = −cos^{(j)}(θ) + (j = 1: θ/5, j = 2: 1/5); in 1-D D^m g[v1..vm] = ∇^{m+1}L · Π v_i.
 */
export function cosineWellLoss(): DirectionalLoss {
  return {
    name: '−cos θ + θ²/10',
    dim: 1,
    derivative(m, theta, vectors) {
      checkArity(m, vectors);
      const x = theta[0]!;
      const j = m + 1; // order of the derivative of L
      let d = -cosDerivative(j, x);
      if (j === 1) d += x / 5;
      if (j === 2) d += 1 / 5;
      for (const v of vectors) d *= v[0]!;
      return [d];
    },
  };
}

/**
 * 1-D L(θ) = log cosh θ. ∇L = tanh θ = t, and d/dθ P(t) = P'(t)(1 − t²), so ∇^{j+1}L = P_j(t) with
 * P_0(t) = t, P_{j+1}(t) = P_j'(t)(1 − t²): polynomials in t with integer coefficients.
 */
export function logCoshLoss(): DirectionalLoss {
  const polys: number[][] = [[0, 1]]; // P_0(t) = t, coefficients by ascending power
  const poly = (j: number): number[] => {
    while (polys.length <= j) {
      const p = polys[polys.length - 1]!;
      const dp = p.slice(1).map((c, i) => c * (i + 1)); // P'
      const next = new Array<number>(dp.length + 2).fill(0);
      dp.forEach((c, i) => {
        next[i] = next[i]! + c;
        next[i + 2] = next[i + 2]! - c;
      });
      polys.push(next);
    }
    return polys[j]!;
  };
  return {
    name: 'log cosh θ',
    dim: 1,
    derivative(m, theta, vectors) {
      checkArity(m, vectors);
      const t = Math.tanh(theta[0]!);
      const p = poly(m);
      let d = 0;
      for (let i = p.length - 1; i >= 0; i--) d = d * t + p[i]!;
      for (const v of vectors) d *= v[0]!;
      return [d];
    },
  };
}

export interface Ridge {
  readonly c: number;
  readonly a: readonly number[];
  readonly phi: 'exp' | 'sin' | 'cos';
}

/**
 * L(θ) = Σ_r c_r φ_r(a_r·θ) + ½ θᵀQθ with φ ∈ {exp, sin, cos}.
 * D^m g(θ)[v1..vm] = Σ_r c_r φ_r^{(m+1)}(a_r·θ) Π_i (a_r·v_i) a_r  + (m = 0: Qθ, m = 1: Q v1).
 */
export function ridgeLoss(name: string, ridges: readonly Ridge[], Q: readonly (readonly number[])[]): DirectionalLoss {
  const dim = Q.length;
  const phiDerivative = (phi: Ridge['phi'], j: number, x: number): number =>
    phi === 'exp' ? Math.exp(x) : phi === 'sin' ? sinDerivative(j, x) : cosDerivative(j, x);
  return {
    name,
    dim,
    derivative(m, theta, vectors) {
      checkArity(m, vectors);
      const out = new Array<number>(dim).fill(0);
      for (const r of ridges) {
        let s = r.c * phiDerivative(r.phi, m + 1, dot(r.a, theta));
        for (const v of vectors) s *= dot(r.a, v);
        for (let i = 0; i < dim; i++) out[i] = out[i]! + s * r.a[i]!;
      }
      if (m === 0) for (let i = 0; i < dim; i++) out[i] = out[i]! + dot(Q[i]!, theta);
      if (m === 1) for (let i = 0; i < dim; i++) out[i] = out[i]! + dot(Q[i]!, vectors[0]!);
      return out;
    },
  };
}

/**
 * The 2-D test loss: exp + sin + cos ridges plus a non-diagonal quadratic,
 * L(θ) = 0.8 e^{0.77x−0.42y} + 0.9 sin(0.49x+0.91y) + 0.6 cos(−0.84x+0.35y) + ½θᵀQθ,
 * Q = [[0.6, −0.2], [−0.2, 0.4]]. Three ridge directions make the higher tensors non-degenerate
 * (no single direction dominates), so trees of one order give genuinely different vectors; at
 * θ0 = (0.3, −0.2) the Hessian is far from diagonal (H12 ≈ −0.37) and g is not an eigenvector.
 */
export function ridge2dLoss(): DirectionalLoss {
  return ridgeLoss(
    '0.8 e^{0.77x−0.42y} + 0.9 sin(0.49x+0.91y) + 0.6 cos(−0.84x+0.35y) + ½θᵀQθ',
    [
      { c: 0.8, a: [0.77, -0.42], phi: 'exp' },
      { c: 0.9, a: [0.49, 0.91], phi: 'sin' },
      { c: 0.6, a: [-0.84, 0.35], phi: 'cos' },
    ],
    [
      [0.6, -0.2],
      [-0.2, 0.4],
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// Tree series evaluation
// ---------------------------------------------------------------------------------------------

/** A tree series with float coefficients: Σ coefficient · F(tree). */
export type NumericSeries = readonly { readonly treeId: number; readonly coefficient: number }[];

export function numericSeries(series: TreeSeries<Rational>): NumericSeries {
  return series.terms().map((t) => ({ treeId: t.tree.id, coefficient: rationalToNumber(t.coefficient) }));
}

/** Evaluates elementary differentials F(τ)(θ) at one point, memoised by tree id. */
export class ElementaryDifferentials {
  private readonly memo = new Map<number, Vec>();

  constructor(
    readonly loss: DirectionalLoss,
    readonly theta: readonly number[],
    readonly store: TreeStore = defaultTreeStore,
  ) {}

  of(tree: RootedTree | number): Vec {
    const id = typeof tree === 'number' ? tree : tree.id;
    const hit = this.memo.get(id);
    if (hit) return hit;
    const t = this.store.get(id);
    const args = t.children.map((c) => this.of(c));
    const value = this.loss.derivative(args.length, this.theta, args);
    this.memo.set(id, value);
    return value;
  }

  series(s: NumericSeries | TreeSeries<Rational>): Vec {
    const terms = Array.isArray(s) ? (s as NumericSeries) : numericSeries(s as TreeSeries<Rational>);
    const out = new Array<number>(this.loss.dim).fill(0);
    for (const { treeId, coefficient } of terms) {
      const f = this.of(treeId);
      for (let i = 0; i < out.length; i++) out[i] = out[i]! + coefficient * f[i]!;
    }
    return out;
  }
}

/** Σ coefficient · F(tree) at θ. */
export function evaluateSeries(
  loss: DirectionalLoss,
  theta: readonly number[],
  series: NumericSeries | TreeSeries<Rational>,
): Vec {
  return new ElementaryDifferentials(loss, theta).series(series);
}

/** The EoM_K vector field θ ↦ −g(θ) − Σ_{k<xis.length} η^{k+1} ξ_k(θ) (xis = ξ_0..ξ_K). */
export function eomField(loss: DirectionalLoss, xis: readonly NumericSeries[], eta: number): (theta: Vec) => Vec {
  return (theta) => {
    const F = new ElementaryDifferentials(loss, theta);
    const out = F.of(0).map((x) => -x); // tree id 0 is • (F = g)
    let p = eta;
    for (const xi of xis) {
      const v = F.series(xi);
      for (let i = 0; i < out.length; i++) out[i] = out[i]! - p * v[i]!;
      p *= eta;
    }
    return out;
  };
}

/**
 * Classical RK4 with `steps` equal steps over [0, T], integrating the displacement δ = θ − θ0
 * (dδ/dt = f(θ0 + δ), δ(0) = 0). Returns δ(T), so callers can compare O(η) quantities directly.
 */
export function rk4Displacement(f: (theta: Vec) => Vec, theta0: readonly number[], T: number, steps: number): Vec {
  const h = T / steps;
  const at = (d: readonly number[]): Vec => f(theta0.map((x, i) => x + d[i]!));
  let d = new Array<number>(theta0.length).fill(0);
  for (let s = 0; s < steps; s++) {
    const k1 = at(d);
    const k2 = at(axpy(h / 2, k1, d));
    const k3 = at(axpy(h / 2, k2, d));
    const k4 = at(axpy(h, k3, d));
    d = d.map((di, i) => di + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
  }
  return d;
}

/**
 * RK4 with Richardson extrapolation: the global error of RK4 with step h = T/N expands as
 * c4 h^4 + c5 h^5 + O(h^6), so combining N, 2N and 4N steps removes the h^4 and h^5 terms:
 * A = (16 δ_2N − δ_N)/15, B = (16 δ_4N − δ_2N)/15 (both O(h^5)), result (32 B − A)/31 = O(h^6).
 * Returns the result and `errorEstimate` = |result − B| (the size of the last correction, an upper
 * estimate of the remaining error).
 */
export function rk4Richardson(
  f: (theta: Vec) => Vec,
  theta0: readonly number[],
  T: number,
  steps: number,
): { displacement: Vec; errorEstimate: number } {
  const d1 = rk4Displacement(f, theta0, T, steps);
  const d2 = rk4Displacement(f, theta0, T, 2 * steps);
  const d4 = rk4Displacement(f, theta0, T, 4 * steps);
  const A = d1.map((x, i) => (16 * d2[i]! - x) / 15);
  const B = d2.map((x, i) => (16 * d4[i]! - x) / 15);
  const displacement = A.map((a, i) => (32 * B[i]! - a) / 31);
  return { displacement, errorEstimate: norm(sub(displacement, B)) };
}

/** Least-squares slope of log y against log x. */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}
