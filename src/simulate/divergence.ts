/**
 * Divergence: a trajectory that becomes NaN/∞ or blows up. Reported with the step where it
 * happened so the run can stop cleanly.
 */
export class DivergenceError extends Error {
  constructor(
    /** "gradient descent", "gradient flow" or "EoM_K". */
    readonly trajectory: string,
    /** The GD step (t = step·η) at which it was detected. */
    readonly step: number,
    reason: string,
  ) {
    super(`${trajectory} diverged at step ${step}: ${reason}`);
  }
}

/** Why θ is not a usable state (non-finite, or larger than `limit`), or undefined. */
export function badState(theta: ArrayLike<number>, limit: number): string | undefined {
  let norm = 0;
  for (let i = 0; i < theta.length; i++) {
    const x = theta[i]!;
    if (!Number.isFinite(x)) return `a coordinate became ${x}`;
    norm = Math.max(norm, Math.abs(x));
  }
  return norm > limit ? `|θ| reached ${norm.toExponential(2)} (blow-up)` : undefined;
}

/** The blow-up threshold for a run starting at θ0. */
export function blowUpLimit(theta0: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < theta0.length; i++) m = Math.max(m, Math.abs(theta0[i]!));
  return 1e8 * (1 + m);
}
