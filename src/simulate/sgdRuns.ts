/**
 * The runs every SGD output shares (eom simulate, eom validate and eom report with --batches or
 * --data): the GF and EoM_j flows at the epoch times t = e·mη, and the one-epoch validation of
 * GF, EoM_0 … EoM_K (sgdValidate.ts) on one problem.
 *
 * @example
 *   const flows = sgdEpochFlows(p, 0.05, 10, 2);          // GF, EoM_0, EoM_1, EoM_2 at t = e·mη, e = 0 … 10
 *   flows[1].states[10]                                   // EoM_0 after 10 epochs' time
 *   sgdOrderValidations(p, 2, [0.2, 0.1, 0.05]).map((v) => v.localSlope) // ≈ [2, 3, 4, 5]
 */
import type { IntegratorSettings } from './integrator.js';
import { flowAtTimes } from './integrator.js';
import type { SgdNumericProblem } from './sgdProblem.js';
import { validateSgdEpoch, type SgdEpochValidation } from './sgdValidate.js';

export interface SgdEpochFlow {
  /** −1: gradient flow; j: EoM_j. */
  readonly order: number;
  /** "GF" or "EoM_j". */
  readonly label: string;
  /** states[e]: the flow at t = e·mη. */
  readonly states: number[][];
}

const labelOf = (j: number) => (j < 0 ? 'GF' : `EoM_${j}`);

/**
 * GF and EoM_0 … EoM_K at t = e·mη for e = 0 … epochs.
 *
 * @example
 *   sgdEpochFlows(p, 0.05, 10, 1).map((f) => f.label) // ['GF', 'EoM_0', 'EoM_1']
 */
export function sgdEpochFlows(
  p: SgdNumericProblem,
  lr: number,
  epochs: number,
  K: number,
  integrator: IntegratorSettings = {},
  onProgress?: (label: string) => void,
): SgdEpochFlow[] {
  const times = Array.from({ length: epochs + 1 }, (_, e) => e * p.batchCount * lr);
  const flows: SgdEpochFlow[] = [];
  for (let j = -1; j <= K; j++) {
    onProgress?.(j < 0 ? 'gradient flow' : `EoM_${j}`);
    const field = p.fieldOfOrder(j);
    const buf = new Float64Array(p.vars.length);
    const rhs = (_t: number, y: number[]) => {
      buf.set(y);
      return Array.from(field(buf, lr));
    };
    flows.push({ order: j, label: labelOf(j), states: flowAtTimes(rhs, Array.from(p.init), times, integrator).states });
  }
  return flows;
}

/**
 * One epoch from θ0 against GF and EoM_0 … EoM_K over time mη (local slopes 2, 3, …, K + 3); the
 * ratio to the prediction where ξ_{j+1} is compiled.
 *
 * @example
 *   sgdOrderValidations(p, 1, [0.1, 0.05, 0.025]).every((v) => v.passed) // true for a smooth problem
 */
export function sgdOrderValidations(
  p: SgdNumericProblem,
  K: number,
  lrs: readonly number[],
  integrator: IntegratorSettings = {},
  onProgress?: (label: string) => void,
): SgdEpochValidation[] {
  const results: SgdEpochValidation[] = [];
  for (let j = -1; j <= K; j++) {
    onProgress?.(j < 0 ? 'gradient flow' : `EoM_${j}`);
    const nextXi = p.xi[j + 1] as SgdNumericProblem['xi'][number] | undefined;
    results.push(
      validateSgdEpoch({ gradients: p.gradients, theta0: p.init, sampling: p.sampling }, p.fieldOfOrder(j), j, {
        lrs,
        integrator,
        ...(nextXi ? { nextXi } : {}),
      }),
    );
  }
  return results;
}

/** The largest m whose m! orders are averaged exactly in a shuffle validation. */
export const MAX_EXACT_SHUFFLE_BATCHES = 6;

/**
 * Why an exact one-epoch validation cannot run, or undefined when it can.
 *
 * @example
 *   exactValidationRefusal('shuffle', 8) // 'validating random reshuffling takes the exact mean over all m! orders, …'
 */
export function exactValidationRefusal(sampling: SgdNumericProblem['sampling'], m: number): string | undefined {
  if (sampling !== 'shuffle' || m <= MAX_EXACT_SHUFFLE_BATCHES) return undefined;
  return `validating random reshuffling takes the exact mean over all m! orders, so at most ${MAX_EXACT_SHUFFLE_BATCHES} batches (got ${m})`;
}

/**
 * What a multi-epoch Monte-Carlo mean can and cannot confirm (docs/design.md §3.4, "Several
 * epochs"), stated by every output that shows one.
 */
export const SEVERAL_EPOCHS =
  "EoM_K is exact for the mean epoch map to O(η^(K+3)) per epoch. Over several epochs the spread enters too: an epoch is the mean map Φ̄ plus an order-dependent part δ = O(η²) of mean zero, and E[Φ(Φ'(θ))] differs from Φ̄(Φ̄(θ)) by ½ E D²Φ̄[δ, δ] = O(η⁵) per epoch, so from EoM_2 on the multi-epoch mean drifts from the EoM at the order of its own error.";
