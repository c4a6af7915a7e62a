/**
 * The local error order of an SGD EoM, measured (as validate.ts does for gradient descent): one
 * epoch from θ0 — the cyclic epoch, or the exact mean over all m! orders for shuffle — against the
 * flow of a field dθ/dt = F(θ, η) over time mη (an epoch is m steps of time η each), over a ladder
 * of learning rates. If F is the EoM_j field −g − η Σ_{k≤j} η^k ξ_k, it misses −η^{j+2} ξ_{j+1} for
 * time mη, so
 *     ‖θ_EoM_j(mη) − E[θ_epoch]‖ = m η^{j+3} ‖ξ_{j+1}(θ0)‖ + O(η^{j+4}),
 * local slope j + 3 (gradient flow, j = −1: slope 2), and the ratio to the prediction tends to 1
 * when ξ_{j+1} is given. Each error carries the integrator's estimate (the same flow at 100× the
 * tolerance); errors within 10× that estimate are left out of the fit (fit.ts: resolvedSlope).
 *
 * @example
 *   const v = validateSgdEpoch(
 *     { gradients: grads, theta0: [1, 0.5], sampling: 'shuffle' },
 *     (theta, eta) => eom0(theta, eta),       // −g − η (1/(2m)) Σ_k H_k g_k
 *     0,
 *   );
 *   v.localSlope   // ≈ 3
 *   v.passed       // true
 */
import { DEFAULT_LRS } from './defaults.js';
import { resolvedSlope } from './fit.js';
import { DEFAULT_INTEGRATOR, errorEstimate, flowStates, looser, type IntegratorSettings } from './integrator.js';
import { sgdBatchOrder, sgdEpochMap, type SgdBatchGradient, type SgdSampling } from './sgdEpochs.js';
import { distance } from './vectors.js';

/** What one SGD epoch is: the batch gradients, the start and the sampling. */
export interface SgdEpochProblem {
  readonly gradients: readonly SgdBatchGradient[];
  readonly theta0: ArrayLike<number>;
  readonly sampling: SgdSampling;
  /** Cyclic only: the batch order (default 0 … m−1). */
  readonly order?: readonly number[];
}

/** An EoM field (θ, η) ↦ dθ/dt; a compiled FieldFunction fits. */
export type SgdField = (theta: Float64Array, eta: number) => ArrayLike<number>;

export interface SgdValidateOptions {
  /** Learning rates (default 0.2, 0.1, 0.05, 0.025). */
  readonly lrs?: readonly number[];
  /** The slope passes when within this distance of order + 3 (default 0.3). */
  readonly slopeTolerance?: number;
  readonly integrator?: IntegratorSettings;
  /** ξ_{order+1}, the first term the field leaves out: gives the ratio to the predicted error. */
  readonly nextXi?: (theta: Float64Array) => ArrayLike<number>;
  /** Shown in divergence messages (default "EoM_order", "gradient flow" for −1). */
  readonly label?: string;
}

export interface SgdEpochValidation {
  readonly order: number;
  readonly label: string;
  readonly sampling: SgdSampling;
  readonly batches: number;
  readonly lrs: number[];
  /** ‖flow(mη) − epoch map(θ0)‖ per η */
  readonly local: number[];
  readonly localIntegratorError: number[];
  readonly localSlope: number;
  readonly expectedLocalSlope: number;
  /** local / (m η^{order+3} ‖ξ_{order+1}(θ0)‖) per η, when nextXi is given; tends to 1. */
  readonly localRatio?: number[];
  /** Learning rates left out of the fit (error within 10× the integrator's estimate). */
  readonly atNoiseFloor: number[];
  readonly passed: boolean;
}

/**
 * Measure the local error slope of `field` as the EoM of order `order` (−1: gradient flow) of
 * one SGD epoch (see the file comment).
 *
 * @example
 *   validateSgdEpoch({ gradients: grads, theta0: [1], sampling: 'cyclic' }, gradientFlow, -1).localSlope // ≈ 2
 */
export function validateSgdEpoch(
  problem: SgdEpochProblem,
  field: SgdField,
  order: number,
  options: SgdValidateOptions = {},
): SgdEpochValidation {
  const lrs = [...(options.lrs ?? DEFAULT_LRS)];
  const tol = options.slopeTolerance ?? 0.3;
  const m = problem.gradients.length;
  if (!Number.isInteger(order) || order < -1) throw new RangeError(`order must be an integer ≥ −1, got ${order}`);
  if (new Set(lrs).size !== lrs.length || lrs.length < 2) throw new RangeError('give at least two different learning rates, each once, to fit a slope');
  for (const lr of lrs) if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`learning rates must be positive numbers, got ${lr}`);
  if (problem.sampling === 'cyclic') sgdBatchOrder(problem.order, m);
  const label = options.label ?? (order === -1 ? 'gradient flow' : `EoM_${order}`);
  const tight = { ...DEFAULT_INTEGRATOR, ...options.integrator };
  const loose = looser(tight);
  const theta0 = Array.from(problem.theta0);
  const n = theta0.length;

  const local: number[] = [];
  const localIntegratorError: number[] = [];
  const localRatio: number[] = [];
  for (const lr of lrs) {
    const target = sgdEpochMap(problem.gradients, theta0, lr, problem.sampling, problem.order);
    const buf = new Float64Array(n);
    const rhs = (_t: number, y: number[]) => {
      buf.set(y);
      return Array.from(field(buf, lr));
    };
    const run = (settings: IntegratorSettings) => flowStates(`${label} (η = ${lr})`, rhs, theta0, [0, m * lr], settings)[1]!;
    const end = run(tight);
    local.push(distance(end, target));
    localIntegratorError.push(errorEstimate(end, run(loose), 1));
    if (options.nextXi) {
      const xi = options.nextXi(Float64Array.from(theta0));
      localRatio.push(distance(end, target) / (m * lr ** (order + 3) * Math.hypot(...Array.from(xi))));
    }
  }
  const { slope: localSlope, resolved } = resolvedSlope(lrs, local, localIntegratorError);
  const expectedLocalSlope = order + 3;
  return {
    order,
    label,
    sampling: problem.sampling,
    batches: m,
    lrs,
    local,
    localIntegratorError,
    localSlope,
    expectedLocalSlope,
    ...(options.nextXi ? { localRatio } : {}),
    atNoiseFloor: lrs.filter((_, i) => !resolved[i]),
    passed: Math.abs(localSlope - expectedLocalSlope) <= tol,
  };
}
