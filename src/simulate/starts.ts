/**
 * Where a multistep rule starts, and its iterates from there.
 *
 * - 'manifold': θ_{−j} = φ_{−jη}(θ_0) for every lag the rule reads, φ the flow of the highest-order
 *   EoM the problem has, integrated backward in time (ODEX at the run's tolerance). The start then
 *   lies on the slow manifold up to O(η^{K+3}), and EoM_K's local errors are O(η^{K+3}) from step 0.
 * - 'rest': PyTorch's start from an empty buffer, θ_{−j} = θ_0 (zero velocity), with the rule's
 *   `restFirstStep` for step 0 when it has one. Off the manifold by O(η): a transient follows.
 *
 * One-step rules (gradient descent, Runge–Kutta) read no past iterate: both starts are θ_0 alone.
 *
 * @example
 *   const theta = iterates(problem, 0.01, 100, 'rest'); // θ_0 … θ_100 of heavy ball from rest
 */
import { badState, blowUpLimit, DivergenceError } from './divergence.js';
import { eomField } from './eomField.js';
import { flowAtTimes, IntegrationError, integratorStopped, type IntegratorSettings } from './integrator.js';
import type { SimulationProblem } from './problem.js';
import { numericRecurrence, RecurrenceStepper } from './recurrenceStepper.js';

export type Start = 'manifold' | 'rest';
export const STARTS: readonly Start[] = ['manifold', 'rest'];

/** The problem's EoM flow (order K, default the highest) from θ at the times of `times` (≥ 0), backward when `backward`. */
export function eomFlow(problem: SimulationProblem, lr: number, theta: ArrayLike<number>, times: readonly number[], settings: IntegratorSettings = {}, backward = false, order = problem.maxOrder): Float64Array[] {
  const f = eomField(problem, order);
  const buf = new Float64Array(problem.vars.length);
  const sign = backward ? -1 : 1;
  const field = (_t: number, y: number[]) => Array.from(f(y, lr, buf), (x) => sign * x);
  try {
    return flowAtTimes(field, Array.from(theta), times, settings).states.map((y) => Float64Array.from(y));
  } catch (e) {
    if (e instanceof IntegrationError) throw integratorStopped(`the EoM_${order} flow${backward ? ' backward' : ''} (η = ${lr})`, e);
    throw e;
  }
}

/** θ_0, θ_{−1}, … θ_{−(lags−1)} on the slow manifold of the problem's highest-order EoM. */
export function manifoldStart(problem: SimulationProblem, lr: number, theta0: ArrayLike<number> = problem.init, settings: IntegratorSettings = {}): Float64Array[] {
  if (problem.lags === 1) return [Float64Array.from(theta0)];
  return eomFlow(problem, lr, theta0, Array.from({ length: problem.lags }, (_, j) => j * lr), settings, true);
}

/** A stepper for the problem's rule from the given start. */
export function stepperFrom(problem: SimulationProblem, lr: number, start: Start, settings: IntegratorSettings = {}): RecurrenceStepper {
  const rule = problem.rule;
  if (start === 'rest') {
    const first = rule.restFirstStep ? numericRecurrence(rule.restFirstStep) : undefined;
    return new RecurrenceStepper(problem.compiled.gradient, numericRecurrence(rule), lr, [problem.init], first);
  }
  return new RecurrenceStepper(problem.compiled.gradient, numericRecurrence(rule), lr, manifoldStart(problem, lr, problem.init, settings));
}

/** The label of the discrete iterates in tables and errors: "GD" for gradient descent, else the method's name. */
export function iteratesLabel(problem: SimulationProblem): string {
  return problem.rule.name === 'gd' ? 'GD' : problem.rule.name;
}

/**
 * θ_k of the problem's rule for the kept k (default all of θ_0 … θ_steps), stopping with a
 * DivergenceError at the first bad step.
 */
export function iterates(problem: SimulationProblem, lr: number, steps: number, start: Start = 'manifold', keep: (k: number) => boolean = () => true, settings: IntegratorSettings = {}): Float64Array[] {
  const stepper = stepperFrom(problem, lr, start, settings);
  const out: Float64Array[] = [];
  if (keep(0)) out.push(stepper.theta);
  const limit = blowUpLimit(problem.init);
  const name = problem.rule.name === 'gd' ? 'gradient descent' : problem.rule.name;
  for (let k = 1; k <= steps; k++) {
    const next = stepper.step();
    const bad = badState(next, limit);
    if (bad) throw new DivergenceError(name, k, bad);
    if (keep(k)) out.push(next);
  }
  return out;
}
