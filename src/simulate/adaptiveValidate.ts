/**
 * The error orders of RMSProp's and Adam's EoM, measured as for every other method (validate.ts,
 * docs/design.md (2.17)–(2.18)): for each order j (−1: dθ/dt = −g/(|g| + ε)) and learning rate η, the
 * local error after one step (slope j + 3) and the global error over a horizon T (slope j + 2),
 * each beside the integrator's own error estimate. From PyTorch's start ('rest': m = v = 0, bias
 * correction on) the errors are measured from the first step where the state has relaxed onto the
 * slow manifold (the transient), reported per η.
 *
 * @example
 *   const p = adaptiveProblem({ loss, init, maxOrder: 2, rule });
 *   adaptiveValidate(p, { order: 1, lrs: [0.004, 0.002, 0.001, 0.0005], horizon: 0.2 }).passed // true
 */
import { logLogSlope } from './fit.js';
import { mapUntilDivergence, type DivergenceError } from './divergence.js';
import { DEFAULT_INTEGRATOR, flowAtTimes, IntegrationError, integratorStopped, looser, roundoffFloor, type IntegratorSettings } from './integrator.js';
import { distance } from './vectors.js';
import type { OrderValidation } from './validate.js';
import { adaptiveRegimeWarning, AdaptiveStepper, type AdaptiveProblem, type AdaptiveStart } from './adaptiveProblem.js';

export interface AdaptiveTransient {
  readonly lr: number;
  /** Relative distance of the state from the slow manifold, e_n, for n = 0 … settled. */
  readonly offManifold: number[];
  /** Fitted per-step factor of e_n (≈ max(β1, β2)); NaN when fewer than two steps came before settling. */
  readonly rate: number;
  /** The first step with e_n ≤ 2 × the manifold start's own (or no longer falling, or maxSteps). */
  readonly settled: number;
}

/** One order's errors and fitted slopes, as validate.ts reports them (without the ratio and integrator columns). */
export type AdaptiveOrderResult = Pick<
  OrderValidation,
  'order' | 'lrs' | 'local' | 'global' | 'localSlope' | 'globalSlope' | 'expectedLocalSlope' | 'expectedGlobalSlope' | 'atNoiseFloor' | 'passed'
>;

export interface AdaptiveValidation {
  readonly method: string;
  readonly params: ReadonlyMap<string, string>;
  readonly start: AdaptiveStart;
  readonly results: AdaptiveOrderResult[];
  readonly transients: AdaptiveTransient[];
  readonly warnings: string[];
  readonly passed: boolean;
  /** adaptiveValidateUntilDivergence: the divergence that stopped the run (`results` holds the orders finished before it). */
  readonly divergence?: DivergenceError;
}

export interface AdaptiveValidateOptions {
  readonly order?: number;
  readonly lrs: readonly number[];
  readonly horizon?: number;
  readonly start?: AdaptiveStart;
  readonly slopeTolerance?: number;
  readonly integrator?: IntegratorSettings;
  readonly maxSteps?: number;
}

/**
 * Steps a stepper from rest until its state has relaxed onto the slow manifold: e_n at most twice
 * the floor (what the manifold start itself shows after one step: the truncation of M_η, V_η), or
 * no longer falling. The transient.
 *
 * @example
 *   settle(new AdaptiveStepper(problem, 0.001, 'rest')).settled // 35 (β1 = 1/2, β2 = 3/5)
 */
export function settle(stepper: AdaptiveStepper, maxSteps = 100_000): AdaptiveTransient {
  const reference = new AdaptiveStepper(stepper.problem, stepper.lr, 'manifold');
  reference.step();
  const floor = Math.max(reference.offManifold(), 1e-15);
  const offs = [stepper.offManifold()];
  const falling = () => offs.length < 3 || offs[offs.length - 1]! < offs[offs.length - 2]!;
  while (stepper.n < maxSteps && offs[offs.length - 1]! > 2 * floor && falling()) {
    stepper.step();
    offs.push(stepper.offManifold());
  }
  const pts = offs.map((e, n) => [n, Math.log(e)] as const).filter(([n, y]) => n >= 1 && Number.isFinite(y));
  const slope = pts.length >= 2 ? (pts[pts.length - 1]![1] - pts[0]![1]) / (pts[pts.length - 1]![0] - pts[0]![0]) : NaN;
  return { lr: stepper.lr, offManifold: offs, rate: Math.exp(slope), settled: stepper.n };
}

/** What to say when a transient gave no rate (fewer than two steps before it settled). */
export const TOO_FEW_STEPS = 'too few steps to measure the relaxation rate';

/**
 * A transient as JSON: rate and settled step, both null when no rate could be fitted (the state
 * started within twice the floor, so neither is a measurement).
 *
 * @example
 *   transientJson(settle(new AdaptiveStepper(problem, 0.001, 'rest'))) // { lr: 0.001, rate: 0.6, settled: 35 }
 */
export function transientJson(t: AdaptiveTransient): { lr: number; rate: number | null; settled: number | null } {
  return Number.isFinite(t.rate) ? { lr: t.lr, rate: t.rate, settled: t.settled } : { lr: t.lr, rate: null, settled: null };
}

/**
 * The EoM_j flow from θ at the times k·η, k = 0 … N.
 *
 * @example
 *   adaptiveFlow(problem, 1, 0.001, problem.init, 10, {})[10] // EoM_1 at t = 10η
 */
export function adaptiveFlow(problem: AdaptiveProblem, order: number, lr: number, theta: ArrayLike<number>, N: number, settings: IntegratorSettings): Float64Array[] {
  const f = problem.fieldOfOrder(order);
  const buf = new Float64Array(theta.length);
  const times = Array.from({ length: N + 1 }, (_, k) => k * lr);
  try {
    return flowAtTimes((_t, y) => Array.from(f(y, lr, buf)), Array.from(theta), times, settings).states.map((y) => Float64Array.from(y));
  } catch (e) {
    // Typically a component of g reaching 0 with ε = 0, where the field is singular.
    if (e instanceof IntegrationError) throw integratorStopped(`${order < 0 ? 'GF' : `EoM_${order}`} of ${problem.rule.spec.name} (η = ${lr})`, e);
    throw e;
  }
}

/** The error orders of GF and EoM_0 … EoM_K against the optimiser (see the file's docstring). */
export function adaptiveValidate(problem: AdaptiveProblem, options: AdaptiveValidateOptions): AdaptiveValidation {
  const v = adaptiveValidateUntilDivergence(problem, options);
  if (v.divergence) throw v.divergence;
  return v;
}

/**
 * adaptiveValidate, but a divergence keeps the orders finished before it (`passed` false, the
 * DivergenceError in `divergence`).
 *
 * @example
 *   adaptiveValidateUntilDivergence(p, { order: 1, lrs: [0.1, 0.05] }).divergence?.message // 'GF of adam (η = 0.1): the integrator stopped at step …'
 */
export function adaptiveValidateUntilDivergence(problem: AdaptiveProblem, options: AdaptiveValidateOptions): AdaptiveValidation {
  const K = options.order ?? 1;
  const lrs = [...options.lrs];
  const horizon = options.horizon ?? 0.2;
  const tol = options.slopeTolerance ?? 0.3;
  const start = options.start ?? 'manifold';
  if (K + 1 > problem.maxOrder) throw new RangeError(`validating order ${K} needs ξ_${K + 1}; the problem has ${problem.maxOrder}`);
  if (new Set(lrs).size !== lrs.length || lrs.length < 2) throw new RangeError('give at least two different learning rates to fit a slope');
  const tight = { ...DEFAULT_INTEGRATOR, ...options.integrator };
  const loose = looser(tight);
  const transients: AdaptiveTransient[] = [];
  const runs = new Map(
    lrs.map((lr) => {
      const stepper = new AdaptiveStepper(problem, lr, start);
      if (start === 'rest') transients.push(settle(stepper, options.maxSteps));
      const traj = [stepper.theta];
      const N = Math.max(1, Math.round(horizon / lr));
      for (let k = 0; k < N; k++) traj.push(stepper.step());
      return [lr, traj] as const;
    }),
  );
  const { results, divergence } = mapUntilDivergence(Array.from({ length: K + 2 }, (_, i) => i - 1), (j): AdaptiveOrderResult => {
    const local: number[] = [];
    const global: number[] = [];
    const localNoise: number[] = [];
    const globalNoise: number[] = [];
    for (const lr of lrs) {
      const traj = runs.get(lr)!;
      const one = adaptiveFlow(problem, j, lr, traj[0]!, 1, tight)[1]!;
      const oneLoose = adaptiveFlow(problem, j, lr, traj[0]!, 1, loose)[1]!;
      local.push(distance(one, traj[1]!));
      localNoise.push(Math.max(distance(one, oneLoose), roundoffFloor(one, 1)));
      const flow = adaptiveFlow(problem, j, lr, traj[0]!, traj.length - 1, tight);
      const flowLoose = adaptiveFlow(problem, j, lr, traj[0]!, traj.length - 1, loose);
      global.push(Math.max(...flow.map((y, k) => distance(y, traj[k]!))));
      globalNoise.push(Math.max(...flow.map((y, k) => Math.max(distance(y, flowLoose[k]!), roundoffFloor(y, k)))));
    }
    const okLocal = lrs.map((_, i) => local[i]! > 10 * localNoise[i]!);
    const okGlobal = lrs.map((_, i) => global[i]! > 10 * globalNoise[i]!);
    const pick = (xs: number[], ok: boolean[]) => xs.filter((_, i) => ok[i]);
    const localSlope = logLogSlope(pick(lrs, okLocal), pick(local, okLocal));
    const globalSlope = logLogSlope(pick(lrs, okGlobal), pick(global, okGlobal));
    return {
      order: j,
      lrs,
      local,
      global,
      localSlope,
      globalSlope,
      expectedLocalSlope: j + 3,
      expectedGlobalSlope: j + 2,
      atNoiseFloor: lrs.filter((_, i) => !okLocal[i] || !okGlobal[i]),
      passed: Math.abs(localSlope - (j + 3)) <= tol && Math.abs(globalSlope - (j + 2)) <= tol,
    };
  });
  const warnings = lrs.flatMap((lr) => {
    const w = adaptiveRegimeWarning(problem, lr);
    return w ? [`η = ${lr}: ${w}`] : [];
  });
  const passed = !divergence && results.every((r) => r.passed);
  return { method: problem.rule.spec.name, params: problem.rule.params, start, results, transients, warnings, passed, ...(divergence ? { divergence } : {}) };
}

/**
 * The bar for PyTorch's start: after its transient (s steps), the largest distance over N steps
 * between its iterates and the EoM_order flow from θ_s, beside the same for the manifold start
 * (iterates from θ_0 against the flow from θ_0).
 *
 * @example
 *   const r = restAgainstManifold(problem, 0.001, 1, 200); r.rest < 2 * r.manifold // true
 */
export function restAgainstManifold(problem: AdaptiveProblem, lr: number, order: number, steps: number, settings: IntegratorSettings = {}): { rest: number; manifold: number; transient: AdaptiveTransient } {
  const tight = { ...DEFAULT_INTEGRATOR, ...settings };
  const measure = (stepper: AdaptiveStepper) => {
    const traj = [stepper.theta];
    for (let k = 0; k < steps; k++) traj.push(stepper.step());
    const flow = adaptiveFlow(problem, order, lr, traj[0]!, steps, tight);
    return Math.max(...flow.map((y, k) => distance(y, traj[k]!)));
  };
  const rest = new AdaptiveStepper(problem, lr, 'rest');
  const transient = settle(rest);
  return { rest: measure(rest), manifold: measure(new AdaptiveStepper(problem, lr, 'manifold')), transient };
}
