/** Defaults shared by the library and the CLI (a module with no heavy imports, so `--help` stays fast). */

/** The learning-rate ladder of `validate` when none is given. */
export const DEFAULT_LRS: readonly number[] = [0.2, 0.1, 0.05, 0.025];

/**
 * RMSProp's and Adam's ladder and horizon when none is given: their EoM describes the regime
 * η ≪ (min|g_i| + ε)(1 − β)/|λ|max, and over long times the iterates reach points where a g_i
 * vanishes, outside it.
 */
export const ADAPTIVE_LRS: readonly number[] = [0.002, 0.001, 0.0005, 0.00025];
export const ADAPTIVE_HORIZON = 0.2;
/** RMSProp's and Adam's learning rate in `simulate` and `report` when none is given (same regime). */
export const ADAPTIVE_LR = 0.001;
/** The learning rate of `simulate` for every other method when none is given. */
export const SIMULATE_LR = 0.1;

/**
 * The largest η·s the default ladder's top rung may have, where η·s is the EoM series' expansion
 * parameter at θ0 (s = |λ|max(H(θ0)) for gradient descent, times |c/ρ'(1)| for momentum): well
 * inside the series' regime η·s < 1, so the fitted error slopes are the asymptotic ones.
 */
export const LADDER_REGIME = 0.2;

/**
 * The default learning-rate ladder for a problem with expansion parameter η·s: DEFAULT_LRS when its
 * top rung has η·s ≤ LADDER_REGIME; otherwise four halvings from the largest 1, 2 or 5 × 10^k that
 * has. A zero, negative or non-finite s keeps DEFAULT_LRS.
 *
 * @example
 *   scaledLadder(12) // [0.01, 0.005, 0.0025, 0.00125]: η·|λ|max = 0.12 at the top for x^4 at x = 1
 *   scaledLadder(0.5) // [0.2, 0.1, 0.05, 0.025]
 */
export function scaledLadder(s: number): number[] {
  const top = DEFAULT_LRS[0]!;
  if (!(s > 0) || !Number.isFinite(s) || top * s <= LADDER_REGIME) return [...DEFAULT_LRS];
  const bound = LADDER_REGIME / s;
  const k = Math.floor(Math.log10(bound));
  // m·10^k read as a decimal (10 ** -4 is 0.00009999999999999999 in floating point; 1e-4 is not).
  const first = [5, 2, 1].map((m) => Number(`${m}e${k}`)).find((v) => v <= bound) ?? Number(`5e${k - 1}`);
  return DEFAULT_LRS.map((_, i) => first / 2 ** i);
}
