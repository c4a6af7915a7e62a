/**
 * The EoM of Adam (and RMSProp = Adam with β1 = 0) through the slow manifold of its state.
 *
 * Index convention: m_{n+1}, v_{n+1} are the state the step from θ_n uses,
 *
 *     m_{n+1} = β1 m_n + (1−β1) g(θ_n),  v_{n+1} = β2 v_n + (1−β2) g(θ_n)²,  θ_{n+1} = θ_n − η m_{n+1}/(√v_{n+1} + ε).
 *
 * On the slow manifold m_{n+1} = M(θ_n), v_{n+1} = V(θ_n) with M, V power series in η, and θ_n follows
 * the flow φ_t of one field F at t = nη. Writing h∘φ_η = Σ_m η^m/m! D_F^m h (the Lie series,
 * D_F h = h'·F) the invariance of the manifold and the step read
 *
 *     M∘φ_η = β1 M + (1−β1) g∘φ_η,        V∘φ_η = β2 V + (1−β2) (g∘φ_η)²,                    (A.1)
 *     Σ_{m≥1} η^m/m! D_F^{m−1} F = −η M/(√V + ε).                                           (A.2)
 *
 * With M = Σ η^j M_j, V = Σ η^j V_j, F = Σ η^j F_j, the η^j part of (A.1) is, for j ≥ 1,
 *
 *     M_j = [g∘φ_η]_j − 1/(1−β1) Σ_{m=1}^{j} [D_F^m M]_{j−m}/m!                               (A.3)
 *
 * (V_j alike with g², β2), and the η^{j+1} part of (A.2) is
 *
 *     F_j = −[M/(√V + ε)]_j − Σ_{m=2}^{j+1} [D_F^{m−1} F]_{j+1−m}/m!,                         (A.4)
 *
 * each right side built from M, V, F of lower orders only: M_0 = g, V_0 = g⊙g, F_0 = −g/(|g| + ε)
 * (|g_i| = sqrt(g_i²), absGradient.ts), and ξ_k = −F_{k+1}. The division by 1 − β1 (1 − β2) in
 * (A.3) is where the powers of 1/(1−β1), 1/(1−β2) come from. √V is expanded around
 * √V_0 = |g|: √V = |g|·√(1 + δ), δ = Σ_{j≥1} η^j V_j/g². Everything is element-wise.
 *
 * @example
 *   const loss = Loss.parse('x^4/4 + x*y + y^2');
 *   const r = solveSlowManifold(loss, hyperparameters(loss.table, adaptiveRule('adam')), 1);
 *   r.xi[0] // ξ_0, one normal form per parameter, in beta1, beta2, eps and s_i = sqrt(g_i^2)
 */
import type { Rational } from '../series/fraction.js';
import type { AtomTable } from '../algebra/atoms.js';
import { LossError } from '../loss/errors.js';
import type { Loss } from '../loss/loss.js';
import { Poly } from '../algebra/poly.js';
import { AbsGradient } from './absGradient.js';
import { EtaSeries, inverseFactorial, reciprocalOnePlus, sqrtOnePlus } from './etaSeries.js';
import type { AdaptiveRule } from './methods.js';

/** β1, β2, ε as normal forms (exact constants, or constant symbols of the loss's table). */
export interface Hyperparameters {
  readonly beta1: Poly;
  readonly beta2: Poly;
  readonly eps: Poly;
}

/**
 * The rule's hyperparameters as normal forms in `table`.
 *
 * @example
 *   hyperparameters(loss.table, adaptiveRule('rmsprop')).beta1 // the constant 0 (RMSProp is Adam with β1 = 0)
 */
export function hyperparameters(table: AtomTable, rule: AdaptiveRule): Hyperparameters {
  const of = (v: Rational | string) => (typeof v === 'string' ? table.constantSymbol(v) : Poly.constant(v));
  return { beta1: of(rule.beta1), beta2: of(rule.beta2), eps: of(rule.eps) };
}

export interface SlowManifold {
  /** field[j][i]: the η^j coefficient of F (field[0] = −g/(|g| + ε)). */
  readonly field: Poly[][];
  /** xi[k] = −field[k+1]: the counter terms of dθ/dt = −c⊙g − η Σ_k η^k ξ_k. */
  readonly xi: Poly[][];
  /** c_i = 1/(|g_i| + ε), the element-wise leading factor. */
  readonly leading: Poly[];
  /** The state on the manifold: m = Σ η^j M[j], v = Σ η^j V[j] (through η^{K+1}). */
  readonly M: Poly[][];
  readonly V: Poly[][];
  readonly abs: AbsGradient;
}

/**
 * ξ_0 … ξ_K of the rule with hyperparameters `h` for `loss` (and the state M, V through η^{K+1}).
 *
 * @example
 *   solveSlowManifold(Loss.parse('x^2/2'), h, 0).xi[0] // [(1/(1−β1) − 1/(1−β2))/x] at ε = 0
 */
export function solveSlowManifold(loss: Loss, h: Hyperparameters, K: number, onProgress?: (k: number) => void): SlowManifold {
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`order must be a non-negative integer, got ${K}`);
  const { table, varIds } = loss;
  const J = K + 1;
  const abs = new AbsGradient(loss);
  const simplify = (p: Poly) => abs.simplify(p);
  const series = new EtaSeries(J, simplify);
  const g = loss.gradient();
  const inverse = (p: Poly, what: string) => {
    try {
      return simplify(table.inverse(p));
    } catch {
      throw new LossError(`${what} is identically zero, so the update divides by zero; give eps > 0`);
    }
  };
  const u1 = inverse(Poly.one.sub(h.beta1), '1 - beta1');
  const u2 = inverse(Poly.one.sub(h.beta2), '1 - beta2');
  const w = abs.of.map((s, i) => inverse(s.add(h.eps), `|∂L/∂${loss.vars[i]}| + eps`));
  const invSquare = abs.squares.map((sq, i) => (sq.isZero() ? Poly.zero : inverse(sq, `∂L/∂${loss.vars[i]}`)));

  const M: Poly[][] = [g];
  const V: Poly[][] = [abs.squares.slice()];
  const F: Poly[][] = [g.map((gi, i) => simplify(gi.mul(w[i]!).neg()))];
  const gSeries: Poly[][] = [g];
  const g2Series: Poly[][] = [abs.squares.slice()];

  // [D_F^m X]_l, memoised: it depends on X_{≤l} and F_{≤l} only, which never change once built.
  const memo = new Map<string, Poly[]>();
  const lie = (name: string, X: readonly Poly[][], m: number, l: number): Poly[] => {
    if (m === 0) return X[l] ?? g.map(() => Poly.zero);
    const key = `${name}|${m}|${l}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const parts: Poly[][] = g.map(() => []);
    for (let a = 0; a <= l; a++) {
      const inner = lie(name, X, m - 1, a);
      const dir = F[l - a]!;
      inner.forEach((hi, i) => {
        if (hi.isZero()) return;
        varIds.forEach((v, j) => {
          const d = loss.diff.partial(hi, v);
          if (!d.isZero() && !dir[j]!.isZero()) parts[i]!.push(d.mul(dir[j]!));
        });
      });
    }
    const out = parts.map((ps) => simplify(Poly.sum(ps)));
    memo.set(key, out);
    return out;
  };
  /** Σ_{m=from}^{to} [D_F^m X]_{top−m}/m!. */
  const lieSum = (name: string, X: readonly Poly[][], from: number, to: number, top: number): Poly[] => {
    const out = g.map(() => [] as Poly[]);
    for (let m = from; m <= to; m++) lie(name, X, m, top - m).forEach((p, i) => out[i]!.push(p.scale(inverseFactorial(m))));
    return out.map((ps) => Poly.sum(ps));
  };
  // (A.3): M_j = [X∘φ]_j − u Σ_{m≥1} [D^m M]_{j−m}/m!, with [X∘φ]_j = Σ_{m≥1} [D^m X]_{j−m}/m! for j ≥ 1.
  const state = (name: string, S: Poly[][], source: string, X: Poly[][], u: Poly, j: number): Poly[] => {
    const composed = lieSum(source, X, 1, j, j);
    const drift = lieSum(name, S, 1, j, j);
    return composed.map((c, i) => simplify(c.sub(drift[i]!.mul(u))));
  };

  for (let j = 1; j <= J; j++) {
    M.push(h.beta1.isZero() ? g.map(() => Poly.zero) : state('M', M, 'g', gSeries, u1, j));
    V.push(state('V', V, 'g2', g2Series, u2, j));
    // (A.4): U = M/(√V + ε) through η^j, per component.
    const U = g.map((_, i) => {
      const Mi = M.map((row) => row[i]!);
      const delta = [Poly.zero, ...V.slice(1).map((row) => simplify(row[i]!.mul(invSquare[i]!)))];
      const root = series.compose(sqrtOnePlus, delta); // √(1 + δ)
      const r = [Poly.zero, ...root.slice(1).map((p) => simplify(p.mul(abs.of[i]!).mul(w[i]!)))];
      const Wi = series.compose(reciprocalOnePlus, r).map((p) => simplify(p.mul(w[i]!)));
      return series.mul(Mi, Wi)[j]!;
    });
    // (A.4) reads [D^{m−1}F]_{j+1−m}/m! (the Lie series of the flow integrates once more).
    const correction = g.map(() => [] as Poly[]);
    for (let m = 2; m <= j + 1; m++) lie('F', F, m - 1, j + 1 - m).forEach((p, i) => correction[i]!.push(p.scale(inverseFactorial(m))));
    F.push(U.map((u, i) => simplify(u.add(Poly.sum(correction[i]!)).neg())));
    onProgress?.(j - 1);
  }
  return { field: F, xi: F.slice(1).map((row) => row.map((p) => p.neg())), leading: w, M, V, abs };
}
