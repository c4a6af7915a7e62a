/**
 * Loss-layer measurements for `npm run bench`: derivation time for a user's loss, and the speed of
 * the compiled functions against each other and against mathjs's own `evaluate`.
 */
import { create, all } from 'mathjs';
import { compileCounterTerms } from '../src/compile/compile.js';
import { compileTreeCounterTerms } from '../src/compile/structured.js';
import { solveCounterTerms } from '../src/derive/solver.js';
import { lossCounterTerms } from '../src/loss/counterTerms.js';
import { lossCounterTermsJson } from '../src/loss/render.js';

export const LOSSES: Record<string, { source: string; order: number; note: string }> = {
  poly2: { source: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3', order: 3, note: '2-variable polynomial, ξ_0..ξ_3' },
  logistic2: { source: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3 + log(1 + exp(-x*y))', order: 2, note: '2-variable, transcendental, ξ_0..ξ_2' },
  pairs10: { source: pairsLoss(10), order: 2, note: '10-variable Σ_{i<j} (w_i w_j − c_ij)², ξ_0..ξ_2' },
};

/** Σ_{i<j} (w_i w_j − c_ij)² with fixed exact c_ij in {1/4, 1/2, …, 5/4}. */
export function pairsLoss(n: number): string {
  const terms: string[] = [];
  for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) terms.push(`(w${i}*w${j} - ${((i * 7 + j * 3) % 5) / 4 + 0.25})^2`);
  return terms.join(' + ');
}

/** Wall time of one derivation (fresh process: includes parsing, tree solve, concrete forms). */
export function deriveMs(name: string): number {
  const { source, order } = LOSSES[name]!;
  const t0 = performance.now();
  lossCounterTerms(source, { order });
  return performance.now() - t0;
}

export interface EvalRatios {
  gradientNs: number;
  /** Tree-shaped compiled ξ_0 (compileTreeCounterTerms), the default numeric path. */
  xi0Ns: number;
  /** ξ_0 compiled from its expanded closed form (compileCounterTerms). */
  closedXi0Ns: number;
  mathjsXi0Ns: number;
}

/** Per-call cost of compiled g, compiled ξ_0 and mathjs's evaluate of the same ξ_0 (JSON strings). */
export function evaluationCosts(name: string): EvalRatios {
  const { source } = LOSSES[name]!;
  const r = lossCounterTerms(source, { order: 0 });
  const c = compileTreeCounterTerms(r.loss, solveCounterTerms(0));
  const closed = compileCounterTerms(r.loss, r.xi);
  const json = lossCounterTermsJson(r, { inline: true }); // one self-contained string per component
  const math = create(all);
  const compiled = r.loss.vars.map((v) => math.compile(json.xi[0]!.components[v]!));
  const n = r.loss.vars.length;
  const th = new Float64Array(n).map((_, i) => 0.3 + 0.1 * i);
  const out = new Float64Array(n);
  const time = (reps: number, f: (i: number) => void) => {
    for (let i = 0; i < Math.min(reps, 20_000); i++) f(i); // warm up (JIT)
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f(i);
    return ((performance.now() - t0) * 1e6) / reps;
  };
  const gradientNs = time(200_000, (i) => {
    th[0] = 0.3 + i * 1e-9;
    c.gradient(th, out);
  });
  const xi0Ns = time(200_000, (i) => {
    th[0] = 0.3 + i * 1e-9;
    c.xi[0]!(th, out);
  });
  const closedXi0Ns = time(200_000, (i) => {
    th[0] = 0.3 + i * 1e-9;
    closed.xi[0]!(th, out);
  });
  const scope: Record<string, number> = {};
  const mathjsXi0Ns = time(2_000, (i) => {
    r.loss.vars.forEach((v, j) => (scope[v] = th[j]! + i * 1e-9));
    for (const f of compiled) f.evaluate(scope);
  });
  return { gradientNs, xi0Ns, closedXi0Ns, mathjsXi0Ns };
}
