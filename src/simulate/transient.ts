/**
 * The transient of a multistep rule started from rest. PyTorch's zero-velocity start lies O(η) off
 * the slow manifold, and the iterates relax onto it like ζ^n, ζ the parasitic root of the
 * characteristic polynomial (≈ β for momentum). Measured two ways:
 *
 * - size: ‖θ_n(rest) − θ_n(manifold)‖ over the first steps (it settles to an O(η) offset: the rest
 *   run ends on a neighbouring flow line);
 * - off-manifold distance e_n = max_j ‖θ_{n−j} − φ_{−jη}(θ_n)‖ (φ the highest-order EoM flow), which
 *   is the parasitic component alone: its fitted per-step factor is the decay rate, and the steps
 *   until e_n falls to its noise floor (2×: what the manifold start itself shows after one step,
 *   or the integrator's own error, whichever is larger; or stops falling) are the ones to skip before fitting orders.
 *
 * @example
 *   const { transient, stepper } = restTransient(problem, 0.001);
 *   transient.rate    // ≈ β
 *   stepper.theta     // θ_s, s = transient.settled: the first iterate on the manifold
 */
import { DivergenceError, badState, blowUpLimit } from './divergence.js';
import { looser, roundoffFloor, type IntegratorSettings } from './integrator.js';
import type { SimulationProblem } from './problem.js';
import type { RecurrenceStepper } from './recurrenceStepper.js';
import { manifoldStart, stepperFrom } from './starts.js';
import { linearSlope } from './fit.js';
import { distance } from './vectors.js';

export interface Transient {
  readonly lr: number;
  /** ‖θ_n(rest) − θ_n(manifold)‖ for n = 0, 1, … (the first `sizeSteps` + 1 steps). */
  readonly size: number[];
  /** e_n, the rest iterates' distance from the slow manifold, for n = 0 … settled. */
  readonly offManifold: number[];
  /** Fitted per-step factor of e_n over n ≥ 1 while e_n > 100 × floor (the parasitic root); NaN if too few steps. */
  readonly rate: number;
  /** The noise floor of e_n. */
  readonly floor: number;
  /** The first step with e_n ≤ 2 × floor (or no longer falling): steps before it are skipped when orders are fitted. */
  readonly settled: number;
  /** False when e_n was still falling above 2 × floor after `maxSteps` steps (settled is then maxSteps). */
  readonly reached: boolean;
}

export interface TransientOptions {
  readonly integrator?: IntegratorSettings;
  /** How many steps of ‖θ_n(rest) − θ_n(manifold)‖ to record (default 10). */
  readonly sizeSteps?: number;
  /** Give up waiting for the transient after this many steps (default 20 000). */
  readonly maxSteps?: number;
}

/** e_n of a stepper's current state. */
function offManifold(problem: SimulationProblem, lr: number, stepper: RecurrenceStepper, settings: IntegratorSettings | undefined): number {
  const back = manifoldStart(problem, lr, stepper.theta, settings);
  let e = 0;
  for (let j = 1; j < problem.lags; j++) e = Math.max(e, distance(back[j]!, stepper.lagged(j)));
  return e;
}

/** The transient from rest at learning rate lr, and the rest stepper left at the settled step. */
export function restTransient(problem: SimulationProblem, lr: number, options: TransientOptions = {}): { transient: Transient; stepper: RecurrenceStepper } {
  const settings = options.integrator;
  const sizeSteps = options.sizeSteps ?? 10;
  const maxSteps = options.maxSteps ?? 20_000;
  const limit = blowUpLimit(problem.init);
  const rest = stepperFrom(problem, lr, 'rest', settings);
  const manifold = stepperFrom(problem, lr, 'manifold', settings);
  // The floor: the manifold start's own e_1, or the integrator's change at 100× the tolerance.
  const back = manifoldStart(problem, lr, problem.init, settings);
  const backLoose = manifoldStart(problem, lr, problem.init, looser(settings));
  const integratorNoise = Math.max(...back.map((y, j) => distance(y, backLoose[j]!)), roundoffFloor(problem.init, 1));
  const offs = [offManifold(problem, lr, rest, settings)];
  manifold.step();
  const floor = Math.max(offManifold(problem, lr, manifold, settings), integratorNoise);
  // Settled: e_n at the floor (2×), or no longer falling (the floor at θ_n is not quite the one at θ_0).
  const falling = () => rest.n < 2 || offs[rest.n]! < offs[rest.n - 1]!;
  while (rest.n < maxSteps && (rest.n === 0 || (offs[rest.n]! > 2 * floor && falling()))) {
    const next = rest.step();
    const bad = badState(next, limit);
    if (bad) throw new DivergenceError(`${problem.rule.name} from rest`, rest.n, bad);
    offs.push(offManifold(problem, lr, rest, settings));
  }
  // The size: a fresh pair of runs over the first steps (the rest run above may stop earlier).
  const sizeRest = stepperFrom(problem, lr, 'rest', settings);
  const sizeManifold = stepperFrom(problem, lr, 'manifold', settings);
  const size = [distance(sizeRest.theta, sizeManifold.theta)];
  while (size.length <= sizeSteps) size.push(distance(sizeRest.step(), sizeManifold.step()));
  const settled = rest.n;
  // Fit the decay where it stands well clear of the floor (100×), or over every step before settling.
  const early = offs.map((e, n) => [n, Math.log(e)] as const).slice(1, Math.max(1, settled));
  const clear = early.filter(([n]) => offs[n]! > 100 * floor);
  const fitted = (clear.length >= 2 ? clear : early).filter(([, y]) => Number.isFinite(y));
  return {
    transient: { lr, size, offManifold: offs, rate: Math.exp(linearSlope(fitted)), floor, settled, reached: settled < maxSteps },
    stepper: rest,
  };
}

