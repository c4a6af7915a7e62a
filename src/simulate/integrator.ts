/**
 * The ODE integrator behind every flow (gradient flow and EoM_K): Hairer's ODEX
 * (Gragg–Bulirsch–Stoer extrapolation, the `odex` package) at tight tolerances, restarted on each
 * output interval so every reported point carries the integrator's full accuracy (no dense-output
 * interpolation). Its outcome is always checked.
 *
 * @example
 *   const r = flowAtTimes((t, y) => [-y[0]], [1], [0, 1, 2], { relativeTolerance: 1e-13 });
 *   r.states[2][0] // ≈ e^{−2}
 */
import { Solver } from 'odex';
import { DivergenceError } from './divergence.js';
import { distance } from './vectors.js';

export interface IntegratorSettings {
  /** Relative tolerance per step (default 1e-13). */
  readonly relativeTolerance?: number;
  /** Absolute tolerance per step (default 1e-15). */
  readonly absoluteTolerance?: number;
  /** Step limit per output interval (default 100 000). */
  readonly maxSteps?: number;
}

export const DEFAULT_INTEGRATOR: Required<IntegratorSettings> = {
  relativeTolerance: 1e-13,
  absoluteTolerance: 1e-15,
  maxSteps: 100_000,
};

export type Field = (t: number, y: number[]) => number[];

/** The same settings at 100× the tolerances: the reference run of the integrator's error estimate. */
export function looser(settings: IntegratorSettings = {}): Required<IntegratorSettings> {
  const s = { ...DEFAULT_INTEGRATOR, ...settings };
  return { ...s, relativeTolerance: s.relativeTolerance * 100, absoluteTolerance: s.absoluteTolerance * 100 };
}

/** The floor of what floating point resolves in y after `intervals` integration intervals. */
export function roundoffFloor(y: ArrayLike<number>, intervals: number): number {
  let m = 0;
  for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(y[i]!));
  return Number.EPSILON * Math.max(m, 1) * Math.max(1, intervals);
}

/**
 * The integrator's error estimate of a state: its distance to the same flow at 100× the tolerance
 * (`loose`), floored at what floating point resolves after `intervals` intervals.
 *
 * @example
 *   errorEstimate(flowAtTimes(f, y0, [0, 1]).states[1], flowAtTimes(f, y0, [0, 1], looser()).states[1], 1)
 */
export function errorEstimate(y: ArrayLike<number>, loose: ArrayLike<number>, intervals: number): number {
  return Math.max(distance(y, loose), roundoffFloor(y, intervals));
}

export interface FlowResult {
  /** y(times[j]) for the kept j, in order (all by default: states[j] = y(times[j])). */
  readonly states: number[][];
  /** Right-hand-side evaluations, in all. */
  readonly evaluations: number;
}

export class IntegrationError extends Error {
  constructor(
    message: string,
    /** Index of the output interval where it happened. */
    readonly interval: number,
    /** Why it stopped and where: "step limit reached on [t0, t1]" (readableTime). */
    readonly why = message,
  ) {
    super(message);
  }
}

/**
 * A time as people write it: 12 significant digits, so 19 × 0.1 prints as 1.9, not 1.9000000000000001.
 *
 * @example
 *   readableTime(19 * 0.1) // '1.9'
 */
export function readableTime(t: number): string {
  return String(Number(t.toPrecision(12)));
}

/**
 * The integrator stopping on a flow, as the DivergenceError that stops the run: the flow itself
 * need not have diverged, so the message says the integrator stopped (exit status 3 all the same).
 *
 * @example
 *   integratorStopped('GF of adam (η = 0.1)', e).message
 *   // 'GF of adam (η = 0.1): the integrator stopped at step 19 (step limit reached on [1.8, 1.9])'
 */
export function integratorStopped(trajectory: string, e: IntegrationError): DivergenceError {
  return new DivergenceError(trajectory, e.interval, e.message, `${trajectory}: the integrator stopped at step ${e.interval} (${e.why})`);
}

/** y at each of `times` (increasing, times[0] the start), integrating interval by interval. */
export function flowAtTimes(
  field: Field,
  y0: readonly number[],
  times: readonly number[],
  settings: IntegratorSettings = {},
  onInterval?: (j: number, y: number[]) => boolean | void,
  /** Which states to keep (default all); the others are only passed to onInterval. */
  keep: (j: number) => boolean = () => true,
): FlowResult {
  const s = { ...DEFAULT_INTEGRATOR, ...settings };
  const solver = new Solver(y0.length);
  solver.relativeTolerance = s.relativeTolerance;
  solver.absoluteTolerance = s.absoluteTolerance;
  solver.maxSteps = s.maxSteps;
  // A non-finite derivative (an overshooting trial step into a region where the field overflows)
  // must make ODEX reject the step, not accept NaN: report a huge derivative instead.
  const guarded: Field = (t, y) => {
    const d = field(t, y);
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) d[i] = 1e300;
    return d;
  };
  const states: number[][] = [[...y0]];
  let y = [...y0];
  let evaluations = 0;
  for (let j = 1; j < times.length; j++) {
    const t0 = times[j - 1]!;
    const t1 = times[j]!;
    solver.initialStepSize = t1 - t0;
    const r = solver.solve(guarded, t0, y, t1);
    evaluations += r.nEval;
    if (r.outcome !== 0) {
      const reason = r.outcome === 1 ? 'step limit reached' : 'early return';
      const span = `[${readableTime(t0)}, ${readableTime(t1)}]`;
      throw new IntegrationError(`the integrator stopped on ${span} (${reason})`, j, `${reason} on ${span}`);
    }
    y = r.y;
    if (keep(j)) states.push(y);
    if (onInterval?.(j, y) === false) break;
  }
  return { states, evaluations };
}

/**
 * The states of `flowAtTimes`, an integrator stop reported as the divergence of `trajectory` (the
 * interval where it stopped is the step).
 *
 * @example
 *   flowStates('EoM_1 (η = 0.1)', field, theta0, [0, 0.1]) // [θ0, θ(0.1)]
 */
export function flowStates(trajectory: string, field: Field, y0: readonly number[], times: readonly number[], settings: IntegratorSettings): number[][] {
  try {
    return flowAtTimes(field, y0, times, settings).states;
  } catch (e) {
    if (e instanceof IntegrationError) throw integratorStopped(trajectory, e);
    throw e;
  }
}
