/**
 * The Euclidean distance of two points.
 *
 * @example
 *   distance([0, 0], [3, 4]) // 5
 */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}
