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
