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
    /** The whole message, when it is not "… diverged at step …" (an integrator that stopped: integratorStopped). */
    message = `${trajectory} diverged at step ${step}: ${reason}`,
  ) {
    super(message);
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

/**
 * A run that keeps what it recorded before a divergence: `run(steps)` is called with the full
 * number of steps and, on a DivergenceError, again up to the last recorded step (a multiple of
 * `every`) before the earliest divergence seen (another trajectory may diverge earlier in the
 * shorter run), until it completes. Step 0 always completes, or the divergence is thrown.
 *
 * @example
 *   const { result, divergence } = untilDivergence(100, 10, (n) => simulateSteps(problem, { ...options, steps: n }));
 *   divergence?.step // the first bad step; `result` ran to the last multiple of 10 before it
 */
export function untilDivergence<R>(steps: number, every: number, run: (steps: number) => R): { result: R; divergence?: DivergenceError } {
  let divergence: DivergenceError | undefined;
  let n = steps;
  for (;;) {
    try {
      const result = run(n);
      return divergence ? { result, divergence } : { result };
    } catch (e) {
      if (!(e instanceof DivergenceError)) throw e;
      if (!divergence || e.step < divergence.step) divergence = e;
      // strictly fewer steps each time
      n = Math.min(n - 1, every * Math.floor((divergence.step - 1) / every));
      if (n < 0) throw divergence;
    }
  }
}

/**
 * f over the items until one throws a DivergenceError: the results before it, and that divergence.
 *
 * @example
 *   mapUntilDivergence([-1, 0, 1], (j) => validateOrder(j)) // { results: [GF's, EoM_0's], divergence } when EoM_1 diverges
 */
export function mapUntilDivergence<T, R>(items: readonly T[], f: (item: T) => R): { results: R[]; divergence?: DivergenceError } {
  const results: R[] = [];
  for (const item of items) {
    try {
      results.push(f(item));
    } catch (e) {
      if (e instanceof DivergenceError) return { results, divergence: e };
      throw e;
    }
  }
  return { results };
}
