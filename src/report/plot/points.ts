/**
 * Which data points an axis can show: non-finite values never, non-positive values not on a log
 * axis. Unusable points become gaps (null), so a line breaks there instead of a broken path, and
 * they are counted so the plot can say how many it left out.
 *
 * @example
 *   usablePoints([[1, 2], [2, 0], [3, NaN]], { xLog: false, yLog: true })
 *   // { points: [[1, 2], null, null], dropped: 2 }
 */
export type Point = readonly [number, number];

export interface AxisKinds {
  readonly xLog: boolean;
  readonly yLog: boolean;
}

export function usablePoints(points: readonly Point[], kinds: AxisKinds): { points: (Point | null)[]; dropped: number } {
  let dropped = 0;
  const out = points.map((p) => {
    if (usable(p[0], kinds.xLog) && usable(p[1], kinds.yLog)) return p;
    dropped++;
    return null;
  });
  return { points: out, dropped };
}

const usable = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);
