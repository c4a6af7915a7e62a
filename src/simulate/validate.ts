/**
 * The discretization-error analysis of the paper, measured. For each order j (−1 = gradient flow)
 * and each learning rate η of a ladder:
 *
 * - local error: ‖θ_EoM_j(η) − θ_1‖ after one step from θ0, predicted η^{j+3}‖ξ_{j+1}(θ0)‖
 *   (docs/design.md (2.17)–(2.18)), so the log-log slope should be j + 3 and measured/predicted → 1 as η → 0;
 * - global error over a fixed horizon T: max_k ‖θ_EoM_j(kη) − θ_k‖, k ≤ T/η, slope j + 2.
 *
 * θ_k are the iterates of the problem's rule (gradient descent by default; a multistep rule from
 * its `start`, starts.ts). When ξ_{j+1} vanishes identically (a Runge–Kutta method of order p has
 * ξ_0 = … = ξ_{p−2} = 0) the first non-zero ξ_m takes its place: slopes m + 2 and m + 1.
 *
 * Each error comes with the integrator's own error estimate: the change when the same flow is
 * integrated at 100× the tolerance (an upper estimate for the figure's own integration).
 *
 * @example
 *   const p = simulationProblem({ loss: '(x^2 + y^2 - 1)^2', init: { x: 1, y: 0.5 }, maxOrder: 3 });
 *   validate(p, { order: 2, lrs: [0.08, 0.04, 0.02, 0.01], horizon: 1 }).passed // true
 */
import { DEFAULT_LRS } from './defaults.js';
import { resolvedSlope } from './fit.js';
import { DEFAULT_INTEGRATOR, errorEstimate, flowStates, looser, type IntegratorSettings } from './integrator.js';
import type { SimulationProblem } from './problem.js';
import { Rational } from '../series/fraction.js';
import { eomField } from './eomField.js';
import { iterates, type Start } from './starts.js';
import { convergenceWarnings, distance, flowLabel } from './trajectories.js';
import { restTransient, type Transient } from './transient.js';
import { DivergenceError, mapUntilDivergence } from './divergence.js';

export interface ValidateOptions {
  /** Validate gradient flow and EoM_j for every j ≤ order (default 2). */
  readonly order?: number;
  /** Learning rates, default 0.2, 0.1, 0.05, 0.025. */
  readonly lrs?: readonly number[];
  /** Horizon T of the global error (default 1). */
  readonly horizon?: number;
  /** A fitted slope passes when within this distance of its prediction (default 0.3). */
  readonly slopeTolerance?: number;
  readonly integrator?: IntegratorSettings;
  /**
   * Where a multistep rule starts (default 'manifold'). From 'rest' the errors are measured from
   * the first step where the transient has fallen to the noise floor (transient.ts), per η.
   */
  readonly start?: Start;
  readonly onProgress?: (fraction: number, label: string) => void;
}

export interface OrderValidation {
  readonly order: number;
  readonly label: string;
  readonly lrs: number[];
  readonly local: number[];
  readonly global: number[];
  readonly localSlope: number;
  readonly globalSlope: number;
  readonly expectedLocalSlope: number;
  readonly expectedGlobalSlope: number;
  /** local / (η^{j+3} ‖ξ_{j+1}(θ0)‖), which should tend to 1. */
  readonly localRatio: number[];
  /** Integrator error estimates beside the local and global errors. */
  readonly localIntegratorError: number[];
  readonly globalIntegratorError: number[];
  /** Learning rates left out of the fits because the error was within 10× the integrator's estimate. */
  readonly atNoiseFloor: number[];
  readonly passed: boolean;
}

export interface ValidationResult {
  readonly vars: readonly string[];
  readonly init: Readonly<Record<string, number>>;
  readonly horizon: number;
  readonly results: OrderValidation[];
  readonly passed: boolean;
  readonly warnings: string[];
  /** The update rule: its name, hyperparameters as given and exact leading factor c. */
  readonly method: string;
  readonly params: ReadonlyMap<string, string>;
  readonly leading: string;
  /** The start of a multistep rule (undefined for one-step rules). */
  readonly start?: Start;
  /** From rest: the transient at each η. */
  readonly transients?: Transient[];
  /** From rest: the steps skipped at each η before the errors are measured (θ_s is the flows' start). */
  readonly skipped?: number[];
  /** validateUntilDivergence: the divergence that stopped the run (`results` holds the orders finished before it). */
  readonly divergence?: DivergenceError;
}

export { DEFAULT_LRS };

/** The η·|λ|max ≥ 1 warnings of a ladder of learning rates, each naming its η. */
export function ladderWarnings(problem: SimulationProblem, lrs: readonly number[]): string[] {
  return lrs.flatMap((lr) => convergenceWarnings(problem, lr).map((w) => `η = ${lr}: ${w}`));
}

/** The first k ≥ from with ξ_k not identically zero, among the problem's ξ (else `from`). */
function firstNonzero(problem: SimulationProblem, from: number): number {
  for (let k = from; k <= problem.maxOrder; k++) if (!problem.vanishing[k]) return k;
  return from;
}

type Baseline = { traj: Float64Array[]; transient: Transient | undefined; skipped: number };
type Baselines = Map<number, Baseline>;

/**
 * Per η: the point the flows start from, and the iterates θ_s … θ_{s+N} from it. From rest, s
 * is the first step at a common time t_s ≥ every η's settling time (transient.ts), so every
 * η measures its errors from (nearly) the same point of the trajectory; otherwise s = 0.
 */
function baselinesOf(problem: SimulationProblem, lrs: readonly number[], horizon: number, rest: boolean, tight: IntegratorSettings): Baselines {
  const fromRest = rest ? lrs.map((lr) => restTransient(problem, lr, { integrator: tight })) : undefined;
  const settledTime = fromRest ? Math.max(...fromRest.map((r) => r.transient.settled * r.transient.lr)) : 0;
  return new Map(
    lrs.map((lr, i): [number, Baseline] => {
      const N = Math.max(1, Math.round(horizon / lr));
      if (fromRest) {
        const { transient, stepper } = fromRest[i]!;
        const skipped = Math.max(transient.settled, Math.ceil(settledTime / lr - 1e-9));
        while (stepper.n < skipped) stepper.step();
        const traj = [stepper.theta];
        for (let k = 0; k < N; k++) traj.push(stepper.step());
        return [lr, { traj, transient, skipped }];
      }
      return [lr, { traj: iterates(problem, lr, N, 'manifold', () => true, tight), transient: undefined, skipped: 0 }];
    }),
  );
}

export function validate(problem: SimulationProblem, options: ValidateOptions = {}): ValidationResult {
  const result = validateUntilDivergence(problem, options);
  if (result.divergence) throw result.divergence;
  return result;
}

/**
 * validate(), but a divergence keeps what was measured before it: the orders finished (none when
 * the iterates themselves diverge), `passed` false and the DivergenceError in `divergence`.
 *
 * @example
 *   const v = validateUntilDivergence(p, { order: 2, lrs: [0.5, 0.25] });
 *   v.divergence?.message // e.g. 'EoM_1 (η = 0.5) diverged at step 3: …'; v.results: GF and EoM_0
 */
export function validateUntilDivergence(problem: SimulationProblem, options: ValidateOptions = {}): ValidationResult {
  const K = options.order ?? 2;
  const lrs = [...(options.lrs ?? DEFAULT_LRS)];
  const horizon = options.horizon ?? 1;
  const tol = options.slopeTolerance ?? 0.3;
  if (!Number.isInteger(K) || K < -1) throw new RangeError(`order must be an integer ≥ −1, got ${K}`);
  if (K + 1 > problem.maxOrder) throw new RangeError(`validating order ${K} needs counter terms up to ξ_${K + 1}; the problem has ${problem.maxOrder}`);
  if (new Set(lrs).size !== lrs.length || lrs.length < 2) throw new RangeError('give at least two different learning rates, each once, to fit a slope');
  for (const lr of lrs) if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`learning rates must be positive numbers, got ${lr}`);
  if (!(horizon > 0) || !Number.isFinite(horizon)) throw new RangeError(`the horizon must be a positive number, got ${horizon}`);
  if (horizon < Math.max(...lrs)) throw new RangeError(`the horizon ${horizon} is shorter than one step of the largest learning rate ${Math.max(...lrs)}`);
  const tight = { ...DEFAULT_INTEGRATOR, ...options.integrator };
  const loose = looser(tight);

  const warnings = ladderWarnings(problem, lrs);
  const n = problem.vars.length;
  const start = options.start ?? 'manifold';
  const multistep = problem.lags > 1;
  // A divergence of the iterates (or the transient) leaves nothing measured: the baselines stay empty.
  let baselines: Baselines = new Map();
  let stopped: DivergenceError | undefined;
  try {
    baselines = baselinesOf(problem, lrs, horizon, multistep && start === 'rest', tight);
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    stopped = e;
  }
  const orders = Array.from({ length: K + 2 }, (_, i) => i - 1);
  const work = orders.length * lrs.length;
  let done = 0;

  const { results, divergence = stopped } = mapUntilDivergence(stopped ? [] : orders, (j): OrderValidation => {
    const label = flowLabel(j);
    const f = eomField(problem, j);
    // The first counter term EoM_j leaves out that is not identically zero (a Runge–Kutta method of
    // order p has ξ_0 … ξ_{p−2} = 0): EoM_j misses by η^{m+2} ξ_m per step. m = j + 1 for GD.
    const m = firstNonzero(problem, j + 1);
    const local: number[] = [];
    const global: number[] = [];
    const localRatio: number[] = [];
    const localIntegratorError: number[] = [];
    const globalIntegratorError: number[] = [];
    for (const lr of lrs) {
      const { traj } = baselines.get(lr)!;
      const theta0 = Array.from(traj[0]!);
      const xiNorm = Math.hypot(...problem.compiled.xi[m]!(traj[0]!));
      const buf = new Float64Array(n);
      const field = (_t: number, y: number[]) => Array.from(f(y, lr, buf));
      const run = (times: number[], settings: IntegratorSettings) => flowStates(`${label} (η = ${lr})`, field, theta0, times, settings);
      // Local: one step.
      const one = run([0, lr], tight)[1]!;
      const oneLoose = run([0, lr], loose)[1]!;
      const target = traj[1]!;
      local.push(distance(one, target));
      localIntegratorError.push(errorEstimate(one, oneLoose, 1));
      localRatio.push(distance(one, target) / (lr ** (m + 2) * xiNorm));
      // Global: N = round(T/η) steps.
      const N = traj.length - 1;
      const gd = traj;
      const times = Array.from({ length: N + 1 }, (_, k) => k * lr);
      const flow = run(times, tight);
      const flowLoose = run(times, loose);
      global.push(Math.max(...flow.map((y, k) => distance(y, gd[k]!))));
      globalIntegratorError.push(Math.max(...flow.map((y, k) => errorEstimate(y, flowLoose[k]!, k))));
      options.onProgress?.(++done / work, `${label}, η = ${lr}`);
    }
    // Errors within 10× the integrator's own estimate carry no signal: fit the others only.
    const { slope: localSlope, resolved: okLocal } = resolvedSlope(lrs, local, localIntegratorError);
    const { slope: globalSlope, resolved: okGlobal } = resolvedSlope(lrs, global, globalIntegratorError);
    const atNoiseFloor = lrs.filter((_, i) => !okLocal[i] || !okGlobal[i]);
    const passed = Math.abs(localSlope - (m + 2)) <= tol && Math.abs(globalSlope - (m + 1)) <= tol;
    return {
      order: j,
      label,
      lrs,
      local,
      global,
      localSlope,
      globalSlope,
      expectedLocalSlope: m + 2,
      expectedGlobalSlope: m + 1,
      localRatio,
      localIntegratorError,
      globalIntegratorError,
      atNoiseFloor,
      passed,
    };
  });
  const transients = [...baselines.values()].flatMap((b) => (b.transient ? [b.transient] : []));
  return {
    vars: problem.vars,
    init: problem.initRecord,
    horizon,
    results,
    passed: !divergence && results.every((r) => r.passed),
    warnings,
    method: problem.rule.name,
    params: problem.rule.params,
    leading: Rational.toString(problem.leadingExact),
    ...(multistep ? { start } : {}),
    ...(transients.length ? { transients, skipped: lrs.map((lr) => baselines.get(lr)!.skipped) } : {}),
    ...(divergence ? { divergence } : {}),
  };
}
