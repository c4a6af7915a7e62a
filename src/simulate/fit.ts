/**
 * Least-squares slope of log(y) against log(x): the measured convergence order.
 *
 * @example
 *   logLogSlope([0.1, 0.05], [1e-3, 1.25e-4]) // 3
 */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  return linearSlope(x.map((xi, i) => [Math.log(xi), Math.log(y[i]!)] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)));
}

/**
 * Least-squares slope of the points (x, y); NaN for fewer than two or all x equal.
 *
 * @example
 *   linearSlope([[0, 1], [1, 3]]) // 2
 */
export function linearSlope(pts: readonly (readonly [number, number])[]): number {
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, [a]) => s + a, 0) / pts.length;
  const my = pts.reduce((s, [, b]) => s + b, 0) / pts.length;
  let num = 0;
  let den = 0;
  for (const [a, b] of pts) {
    num += (a - mx) * (b - my);
    den += (a - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/**
 * The log-log slope of errors against learning rates, fitted only where an error exceeds 10× the
 * integrator's own estimate of it (below that it carries no signal), and which η those were.
 *
 * @example
 *   resolvedSlope([0.1, 0.05, 0.01], [1e-3, 1.25e-4, 1e-14], [1e-15, 1e-15, 1e-14]) // { slope: 3, resolved: [true, true, false] }
 */
export function resolvedSlope(lrs: readonly number[], errors: readonly number[], estimates: readonly number[]): { slope: number; resolved: boolean[] } {
  const resolved = lrs.map((_, i) => errors[i]! > 10 * estimates[i]!);
  const pick = (xs: readonly number[]) => xs.filter((_, i) => resolved[i]);
  return { slope: logLogSlope(pick(lrs), pick(errors)), resolved };
}
