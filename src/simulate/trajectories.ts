/**
 * Trajectories at the times t = kη: the iterates of the problem's rule (gradient descent by
 * default; starts.ts for multistep rules), and the gradient flow and EoM_K solutions
 * (eomField.ts) integrated by ODEX (integrator.ts) at tight tolerance.
 *
 * @example
 *   const p = simulationProblem({ loss: '(x^2 + y^2 - 1)^2', init: { x: 1, y: 0.5 }, maxOrder: 2 });
 *   const r = simulate(p, { lr: 0.05, steps: 100, orders: [0, 1, 2] });
 *   r.flows[0].distance[100] // ‖θ_GF(100η) − θ_100‖
 */
import { badState, blowUpLimit, DivergenceError, untilDivergence } from './divergence.js';
import { flowAtTimes, IntegrationError, integratorStopped, looser, roundoffFloor, type IntegratorSettings } from './integrator.js';
import { Rational } from '../series/fraction.js';
import { eomField } from './eomField.js';
import { distance } from './vectors.js';
import type { SimulationProblem } from './problem.js';
import { iterates, iteratesLabel, type Start } from './starts.js';
import { restTransient, type Transient } from './transient.js';

export { distance };

export interface SimulateOptions {
  /** Learning rate η. */
  readonly lr: number;
  /** Number of GD steps. */
  readonly steps: number;
  /** EoM orders to integrate (−1 = gradient flow). Default: −1 and 0..problem.maxOrder. */
  readonly orders?: readonly number[];
  /** Where a multistep rule starts (default 'manifold'; one-step rules ignore it). */
  readonly start?: Start;
  /** Record every n-th step (the last step is always recorded). Default 1. */
  readonly every?: number;
  readonly integrator?: IntegratorSettings;
  /** Called as work progresses (fraction in [0, 1]). */
  readonly onProgress?: (fraction: number, label: string) => void;
}

export interface FlowTrajectory {
  /** −1 for gradient flow, K for EoM_K. */
  readonly order: number;
  readonly label: string;
  /** Positions at the recorded steps. */
  readonly positions: Float64Array[];
  /** ‖θ_flow(kη) − θ_k‖ at the recorded steps. */
  readonly distance: number[];
  /** The integrator's error estimate for each position (change at 100× the tolerance, ≥ round-off). */
  readonly integratorError: number[];
  /** Right-hand-side evaluations over the whole run. */
  readonly evaluations: number;
}

export interface SimulationResult {
  readonly vars: readonly string[];
  readonly lr: number;
  readonly steps: number;
  /** The recorded step indices k (times kη). */
  readonly recorded: number[];
  /** The iterates of the problem's rule (GD by default) at the recorded steps. */
  readonly gd: Float64Array[];
  /** "GD", or the rule's name: the label of `gd` in tables. */
  readonly iterates: string;
  /** The update rule: its name, hyperparameters as given and exact leading factor c. */
  readonly method: string;
  readonly params: ReadonlyMap<string, string>;
  readonly leading: string;
  /** The start of a multistep rule (undefined for one-step rules). */
  readonly start?: Start;
  /** From rest: the transient's size and decay (see transient.ts). */
  readonly transient?: Transient;
  readonly flows: FlowTrajectory[];
  /** Things the user should know (e.g. η·|λ|max ≥ 1). */
  readonly warnings: string[];
}

export const flowLabel = (order: number) => (order === -1 ? 'GF' : `EoM_${order}`);

export function simulate(problem: SimulationProblem, options: SimulateOptions): SimulationResult {
  if (!Number.isInteger(options.steps) || options.steps < 1) throw new RangeError(`steps must be a positive integer, got ${options.steps}`);
  return simulateSteps(problem, options);
}

export interface PartialSimulation {
  /** Every recorded step before the first divergence (at least step 0), or the whole run. */
  readonly result: SimulationResult;
  /** The earliest divergence, if a trajectory diverged. */
  readonly divergence?: DivergenceError;
}

/**
 * Like simulate(), but a divergence keeps the recorded rows before it: the run is repeated up to
 * the last recorded step before the earliest divergence (a flow may diverge before the one that
 * was integrated first), so every row holds every trajectory.
 *
 * @example
 *   const { result, divergence } = simulateUntilDivergence(p, { lr: 2, steps: 100 });
 *   divergence?.step // the first bad step; result.recorded ends before it
 */
export function simulateUntilDivergence(problem: SimulationProblem, options: SimulateOptions): PartialSimulation {
  return untilDivergence(options.steps, options.every ?? 1, (steps) => (steps === options.steps ? simulate(problem, options) : simulateSteps(problem, { ...options, steps })));
}

/** simulate() for any steps ≥ 0 (0: the starting point only). */
function simulateSteps(problem: SimulationProblem, options: SimulateOptions): SimulationResult {
  const { lr, steps } = options;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`the learning rate must be a positive number, got ${lr}`);
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`every must be a positive integer, got ${every}`);
  const orders = options.orders ?? [-1, ...Array.from({ length: problem.maxOrder + 1 }, (_, k) => k)];
  for (const j of orders) {
    if (!Number.isInteger(j) || j < -1 || j > problem.maxOrder) throw new RangeError(`order ${j} is not between -1 and ${problem.maxOrder}`);
  }
  const warnings = convergenceWarnings(problem, lr);
  const recorded: number[] = [];
  for (let k = 0; k <= steps; k += every) recorded.push(k);
  if (recorded[recorded.length - 1] !== steps) recorded.push(steps);

  if (!Number.isFinite(lr * steps)) throw new RangeError(`η·steps = ${lr * steps} is not a finite time`);
  const isRecorded = new Set(recorded);
  const start = options.start ?? 'manifold';
  const gd = iterates(problem, lr, steps, start, (k) => isRecorded.has(k), options.integrator);
  const multistep = problem.lags > 1;
  const transient = multistep && start === 'rest' ? restTransient(problem, lr, { integrator: options.integrator, sizeSteps: Math.min(10, steps), maxSteps: Math.min(steps, 20_000) }).transient : undefined;
  const total = orders.length;
  const flows = orders.map((order, idx) => {
    const label = flowLabel(order);
    const f = eomField(problem, order);
    const buf = new Float64Array(problem.vars.length);
    const field = (_t: number, y: number[]) => Array.from(f(y, lr, buf));
    const limit = blowUpLimit(problem.init);
    const times = Array.from({ length: steps + 1 }, (_, k) => k * lr);
    const run = (settings: IntegratorSettings | undefined, share: number) => {
      try {
        return flowAtTimes(
          field,
          Array.from(problem.init),
          times,
          settings,
          (k, y) => {
            const bad = badState(y, limit);
            if (bad) throw new DivergenceError(label, k, bad);
            if (k % 50 === 0) options.onProgress?.((idx + share * (k / steps)) / total, label);
          },
          (k) => isRecorded.has(k),
        );
      } catch (e) {
        if (e instanceof IntegrationError) throw integratorStopped(label, e);
        throw e;
      }
    };
    const result = run(options.integrator, 0.75);
    const reference = run(looser(options.integrator), 0.25); // for the error estimate
    const positions = result.states.map((y) => Float64Array.from(y));
    return {
      order,
      label,
      positions,
      distance: positions.map((p, i) => distance(p, gd[i]!)),
      integratorError: positions.map((p, i) => Math.max(distance(p, reference.states[i]!), roundoffFloor(p, recorded[i]!))),
      evaluations: result.evaluations,
    };
  });
  options.onProgress?.(1, 'done');
  const method = { method: problem.rule.name, params: problem.rule.params, leading: Rational.toString(problem.leadingExact) };
  return { vars: problem.vars, lr, steps, recorded, gd, iterates: iteratesLabel(problem), ...method, ...(multistep ? { start } : {}), ...(transient ? { transient } : {}), flows, warnings };
}

/** θ_k of the problem's rule from the manifold start (gradient descent by default) for the kept k. */
export function gradientDescent(problem: SimulationProblem, lr: number, steps: number, keep: (k: number) => boolean = () => true): Float64Array[] {
  return iterates(problem, lr, steps, 'manifold', keep);
}

/**
 * The warning for η·|λ|max(H(θ0))·|c/ρ'(1)| ≥ 1 (the method's expansion parameter: η·λmax for GD,
 * η·λmax/(1−β)² for momentum), where the EoM series is not expected to converge.
 */
export function convergenceWarnings(problem: SimulationProblem, lr: number): string[] {
  const x = lr * problem.curvature * problem.expansion;
  if (x < 1) return [];
  const note = problem.expansionNote ? ` (${problem.expansionNote})` : '';
  return [`${problem.expansionName} = ${x.toPrecision(3)} ≥ 1${note}: the EoM series in η is not expected to converge here`];
}

