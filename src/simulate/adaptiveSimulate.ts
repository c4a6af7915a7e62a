/**
 * RMSProp or Adam beside the flows of GF (dθ/dt = −g/(|g| + ε)) and EoM_0 … EoM_K at the times
 * t = kη: the rows `eom simulate --method rmsprop|adam` prints. A divergence (the iterates turning
 * NaN/∞ or blowing up, or the integrator stopping on a flow) keeps the rows recorded before it, as
 * for every other method (untilDivergence).
 *
 * @example
 *   const { rows, divergence } = adaptiveSimulateUntilDivergence(problem, { lr: 0.001, steps: 200, every: 20, order: 1, start: 'rest' });
 *   rows[1].distances[0] // ‖θ_GF(20η) − θ_20‖
 */
import { badState, blowUpLimit, DivergenceError, untilDivergence } from './divergence.js';
import type { IntegratorSettings } from './integrator.js';
import { distance } from './vectors.js';
import { AdaptiveStepper, type AdaptiveProblem, type AdaptiveStart } from './adaptiveProblem.js';
import { adaptiveFlow } from './adaptiveValidate.js';

export interface AdaptiveSimulateOptions {
  readonly lr: number;
  readonly steps: number;
  /** Record every n-th step (the last step is always recorded). */
  readonly every: number;
  /** EoM orders −1 (GF) … order. */
  readonly order: number;
  readonly start: AdaptiveStart;
  readonly integrator?: IntegratorSettings;
}

export interface AdaptiveRow {
  readonly step: number;
  readonly t: number;
  readonly theta: Float64Array;
  /** ‖θ_flow(kη) − θ_k‖ for the orders −1 … order. */
  readonly distances: number[];
}

/**
 * The recorded rows of a run of `options.steps` steps; a DivergenceError at the first bad step.
 *
 * @example
 *   adaptiveSimulate(problem, { lr: 0.001, steps: 10, every: 5, order: 0, start: 'manifold' }).map((r) => r.step) // [0, 5, 10]
 */
export function adaptiveSimulate(problem: AdaptiveProblem, options: AdaptiveSimulateOptions): AdaptiveRow[] {
  const { lr, steps, every } = options;
  const stepper = new AdaptiveStepper(problem, lr, options.start);
  const limit = blowUpLimit(problem.init);
  const traj = [stepper.theta];
  for (let k = 1; k <= steps; k++) {
    traj.push(stepper.step());
    const bad = badState(stepper.theta, limit);
    if (bad) throw new DivergenceError(problem.rule.spec.name, k, bad);
  }
  const orders = Array.from({ length: options.order + 2 }, (_, i) => i - 1);
  const flows = orders.map((j) => adaptiveFlow(problem, j, lr, problem.init, steps, options.integrator ?? {}));
  const kept = traj.map((_, k) => k).filter((k) => k % every === 0 || k === steps);
  return kept.map((k) => ({ step: k, t: k * lr, theta: traj[k]!, distances: flows.map((flow) => distance(flow[k]!, traj[k]!)) }));
}

/**
 * adaptiveSimulate, keeping the rows recorded before the earliest divergence (and that divergence).
 *
 * @example
 *   adaptiveSimulateUntilDivergence(p, { lr: 0.1, steps: 200, every: 5, order: 0, start: 'rest' }).divergence?.step // 19: rows 0 … 15 kept
 */
export function adaptiveSimulateUntilDivergence(problem: AdaptiveProblem, options: AdaptiveSimulateOptions): { rows: AdaptiveRow[]; divergence?: DivergenceError } {
  const { result, divergence } = untilDivergence(options.steps, options.every, (steps) => adaptiveSimulate(problem, { ...options, steps }));
  return divergence ? { rows: result, divergence } : { rows: result };
}
