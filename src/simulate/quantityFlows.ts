/**
 * A scalar quantity along gradient descent, gradient flow and EoM_K: the one a layer symmetry
 * governs, ‖θ_A‖² (scale invariance) or 1·θ_A (translation invariance). For each learning rate η
 * the flows are integrated over a fixed horizon T (N = T/η steps) and compared with GD's exact
 * iterates: the largest |Q_flow(kη) − Q(θ_k)| over k ≤ N, which should fall as η^{K+2} for EoM_K
 * and as η for GF (docs/design.md (2.18)), and the fitted log-log slopes of those errors.
 *
 * @example
 *   const p = simulationProblem({ loss, init, maxOrder: 1, weightDecay: '0.1' });
 *   compareQuantity(p, normSquared(p.vars, ['w1', 'w2', 'w3']), { lrs: [0.1, 0.05, 0.025], horizon: 10, orders: [0, 1] })
 */
import { logLogSlope } from './fit.js';
import type { SimulationProblem } from './problem.js';
import { flowLabel, simulate } from './trajectories.js';
import type { IntegratorSettings } from './integrator.js';

export interface Quantity {
  /** Its name in tables: "‖θ_A‖²" or "1·θ_A". */
  readonly name: string;
  value(theta: ArrayLike<number>): number;
  /** A bound on |∇Q(θ)|, to turn a position error into an error of Q. */
  gradientNorm(theta: ArrayLike<number>): number;
}

export function normSquared(vars: readonly string[], group: readonly string[]): Quantity {
  const idx = group.map((v) => vars.indexOf(v));
  const value = (t: ArrayLike<number>) => idx.reduce((s, i) => s + t[i]! ** 2, 0);
  return { name: '‖θ_A‖²', value, gradientNorm: (t) => 2 * Math.sqrt(value(t)) };
}

export function groupSum(vars: readonly string[], group: readonly string[]): Quantity {
  const idx = group.map((v) => vars.indexOf(v));
  return { name: '1·θ_A', value: (t) => idx.reduce((s, i) => s + t[i]!, 0), gradientNorm: () => Math.sqrt(idx.length) };
}

export interface QuantityOptions {
  readonly lrs: readonly number[];
  readonly horizon: number;
  /** EoM orders; gradient flow (−1) is always added. */
  readonly orders: readonly number[];
  /** Snapshots of Q kept for the timeline table (default 6). */
  readonly snapshots?: number;
  readonly integrator?: IntegratorSettings;
  readonly onProgress?: (fraction: number, label: string) => void;
}

export interface QuantityError {
  readonly order: number;
  readonly label: string;
  /** max_k |Q_flow(kη) − Q(θ_k)|. */
  readonly maxError: number;
  /** The integrator's share of it (position error estimate × |∇Q|). */
  readonly integratorError: number;
}

export interface QuantityRow {
  readonly lr: number;
  readonly steps: number;
  readonly gdFinal: number;
  readonly errors: QuantityError[];
  /** Q at a few times, for GD and each flow: the experiment's timeline. */
  readonly timeline: { readonly step: number; readonly time: number; readonly gd: number; readonly flows: number[] }[];
  /** Q at every step k (time kη), for GD and each flow (for plots). */
  readonly trace: { readonly time: number[]; readonly gd: number[]; readonly flows: number[][] };
}

export interface QuantityComparison {
  readonly quantity: string;
  readonly horizon: number;
  readonly labels: string[];
  readonly rows: QuantityRow[];
  /** Fitted slope of each flow's error against η (errors at the integrator's noise floor left out). */
  readonly slopes: { readonly order: number; readonly label: string; readonly slope: number; readonly expected: number }[];
}

export function compareQuantity(problem: SimulationProblem, quantity: Quantity, options: QuantityOptions): QuantityComparison {
  const orders = [-1, ...options.orders.filter((o) => o !== -1)];
  const lrs = [...options.lrs];
  if (lrs.length < 2 || new Set(lrs).size !== lrs.length) throw new RangeError('give at least two different learning rates to fit a slope');
  if (!(options.horizon > 0) || !Number.isFinite(options.horizon)) throw new RangeError(`the horizon must be a positive number, got ${options.horizon}`);
  const snapshots = options.snapshots ?? 6;
  const rows = lrs.map((lr, i): QuantityRow => {
    const steps = Math.max(1, Math.round(options.horizon / lr));
    const r = simulate(problem, {
      lr,
      steps,
      orders,
      ...(options.integrator ? { integrator: options.integrator } : {}),
      onProgress: (f, label) => options.onProgress?.((i + f) / lrs.length, `${label}, η = ${lr}`),
    });
    // Q once per recorded position (every step is recorded); errors, timeline and trace read it.
    const gdQ = r.gd.map((t) => quantity.value(t));
    const flowQ = r.flows.map((f) => f.positions.map((p) => quantity.value(p)));
    const errors = r.flows.map((f, j): QuantityError => {
      let maxError = 0;
      let integratorError = 0;
      f.positions.forEach((p, k) => {
        maxError = Math.max(maxError, Math.abs(flowQ[j]![k]! - gdQ[k]!));
        integratorError = Math.max(integratorError, f.integratorError[k]! * quantity.gradientNorm(p));
      });
      return { order: f.order, label: f.label, maxError, integratorError };
    });
    const picks = Array.from({ length: snapshots }, (_, s) => Math.round((s * steps) / Math.max(1, snapshots - 1)));
    const timeline = [...new Set(picks)].map((k) => ({ step: k, time: k * lr, gd: gdQ[k]!, flows: flowQ.map((q) => q[k]!) }));
    const trace = { time: r.recorded.map((k) => k * lr), gd: gdQ, flows: flowQ };
    return { lr, steps, gdFinal: gdQ[steps]!, errors, timeline, trace };
  });
  const slopes = orders.map((order, j) => {
    const ok = rows.map((row) => row.errors[j]!.maxError > 10 * row.errors[j]!.integratorError);
    const xs = lrs.filter((_, i) => ok[i]);
    const ys = rows.map((row) => row.errors[j]!.maxError).filter((_, i) => ok[i]);
    return { order, label: flowLabel(order), slope: xs.length >= 2 ? logLogSlope(xs, ys) : Number.NaN, expected: order + 2 };
  });
  return { quantity: quantity.name, horizon: options.horizon, labels: orders.map(flowLabel), rows, slopes };
}
