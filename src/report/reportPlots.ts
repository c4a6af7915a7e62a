/**
 * The report's figures as SVG strings: the trajectories in the parameter plane (2 parameters),
 * the distance of each flow to GD over time, and the local and global errors against η on
 * log-log axes with the predicted slopes.
 *
 * @example
 *   distancePlot(data.simulation) // '<svg class="plot" …>'
 */
import { linePlot, type PlotSeries } from './plot/linePlot.js';
import { seriesStyle } from './plot/palette.js';
import type { Point } from './plot/points.js';
import { flowLabel, type SimulationResult } from '../simulate/trajectories.js';
import type { OrderValidation, ValidationResult } from '../simulate/validate.js';

/** What errorPlot reads of one order's validation (validate's and adaptiveValidate's). */
type OrderErrors = Pick<OrderValidation, 'order' | 'lrs' | 'local' | 'global' | 'localSlope' | 'globalSlope' | 'expectedLocalSlope' | 'expectedGlobalSlope' | 'atNoiseFloor'>;

/**
 * Display name of a flow.
 *
 * @example
 *   flowName(-1) // 'GF';  flowName(2) // 'EoM₂'
 */
export const flowName = (order: number) => displayName(flowLabel(order));

/**
 * A flow's label as the report writes it: subscript digits (EoM₂), the one spelling in every
 * table, plot and caption of a report.
 *
 * @example
 *   displayName('EoM_12') // 'EoM₁₂';  displayName('GF') // 'GF'
 */
export const displayName = (label: string) => label.replace(/_(\d+)/g, (_, digits: string) => digits.replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]!));

/**
 * GD iterates as markers, GF and EoM_K as curves, in the plane of two parameters: `axes` (the
 * horizontal one first), by default the only two.
 *
 * @example
 *   trajectoryPlot(simulate(problem, { lr: 0.05, steps: 40 })) // '<svg class="plot" …>'
 *   trajectoryPlot(result, ['w2', 'b'])                       // a projection of a 3-parameter run
 */
export function trajectoryPlot(r: SimulationResult, axes?: readonly [string, string]): string {
  if (!axes && r.vars.length !== 2) throw new RangeError('the trajectory plot needs exactly two parameters, or the two axes to draw');
  const [a, b] = axes ?? (r.vars as [string, string]);
  const i = r.vars.indexOf(a);
  const j = r.vars.indexOf(b);
  if (i < 0 || j < 0 || i === j) throw new RangeError(`the trajectory plot's axes must be two different parameters of ${r.vars.join(', ')}, got ${a}, ${b}`);
  const pair = (p: ArrayLike<number>) => [p[i]!, p[j]!] as const;
  const series: PlotSeries[] = [
    { label: `${r.iterates} (η = ${r.lr}, ${r.steps} steps)`, points: r.gd.map(pair), mark: 'markers', color: '#555555' },
    ...r.flows.map((f, k) => ({ label: flowName(f.order), points: f.positions.map(pair), ...seriesStyle(k + 1), lineWidth: 1.8 })),
  ];
  return linePlot({ title: `Trajectories from θ₀ (t = 0 … ${fmt(r.lr * r.steps)})`, xLabel: a, yLabel: b, series, equalAspect: true });
}

/**
 * ‖θ_flow(kη) − θ_k‖ over t = kη (from the first step: at t = 0 every distance is 0).
 *
 * @example
 *   distancePlot(simulate(problem, { lr: 0.05, steps: 40 })) // '<svg class="plot" …>'
 */
export function distancePlot(r: SimulationResult): string {
  const series: PlotSeries[] = r.flows.map((f, i) => ({
    label: flowName(f.order),
    points: r.recorded.flatMap((k, j) => (k === 0 ? [] : [[k * r.lr, f.distance[j]!] as const])),
    ...seriesStyle(i + 1),
  }));
  const to = r.method === 'gd' ? 'gradient descent' : `the ${r.iterates} iterates${r.start ? ` from ${r.start}` : ''}`;
  return linePlot({ title: `Distance to ${to} (η = ${r.lr})`, xLabel: 't = kη', yLabel: '‖θ_flow(t) − θ_k‖', yScale: 'log', series });
}

/**
 * Errors against η on log-log axes: measured errors as markers joined by a thin line, and a dashed
 * line of the predicted slope through the measured points' centre (the geometric means of the fitted
 * points, which the least-squares line also passes through). Fitted and predicted slopes in the legend.
 *
 * @example
 *   errorPlot(validate(problem, { order: 2 }), 'local') // '<svg class="plot" …>'
 */
export function errorPlot(v: Pick<ValidationResult, 'horizon'> & { readonly results: readonly OrderErrors[] }, kind: 'local' | 'global'): string {
  const rows = v.results.map((r) => ({
    order: r.order,
    lrs: r.lrs,
    errors: kind === 'local' ? r.local : r.global,
    fitted: kind === 'local' ? r.localSlope : r.globalSlope,
    predicted: kind === 'local' ? r.expectedLocalSlope : r.expectedGlobalSlope,
    atNoiseFloor: r.atNoiseFloor,
  }));
  const what = kind === 'local' ? 'Local error: one step from θ₀' : `Global error: max over t ≤ T = ${v.horizon}`;
  return orderPlot(rows, `${what}, against η`, kind === 'local' ? '‖θ_flow(η) − θ₁‖' : 'max_k ‖θ_flow(kη) − θ_k‖');
}

/** One flow's measured errors over a learning-rate ladder, with its fitted and predicted slopes. */
export interface OrderRow {
  /** −1: gradient flow; j: EoM_j. */
  readonly order: number;
  readonly lrs: readonly number[];
  readonly errors: readonly number[];
  readonly fitted: number;
  readonly predicted: number;
  /** Learning rates left out of the fit. */
  readonly atNoiseFloor: readonly number[];
}

/**
 * Errors against η on log-log axes, one flow per row (see errorPlot).
 *
 * @example
 *   orderPlot([{ order: -1, lrs: [0.1, 0.05], errors: [1e-2, 2.5e-3], fitted: 2, predicted: 2, atNoiseFloor: [] }], 'one epoch', 'error')
 */
export function orderPlot(rows: readonly OrderRow[], title: string, yLabel: string): string {
  const series: PlotSeries[] = [];
  rows.forEach((r, i) => {
    const style = seriesStyle(i + 1);
    const points = r.lrs.map((lr, j) => [lr, r.errors[j]!] as const);
    series.push({ label: `${flowName(r.order)}: fitted ${r.fitted.toFixed(2)}`, points, mark: 'both', color: style.color, dash: '', lineWidth: 1.2 });
    const line = slopeLine(fittedPoints(r, points), r.predicted);
    if (line) series.push({ label: `${flowName(r.order)}: predicted ${r.predicted}`, points: line, color: style.color, dash: '6 4', lineWidth: 1.6 });
  });
  return linePlot({ title, xLabel: 'learning rate η', yLabel, xScale: 'log', yScale: 'log', series, xTicks: rows[0]?.lrs ?? [] });
}

/** The points the slope was fitted to (not at the integrator's noise floor), positive only. */
function fittedPoints(r: { readonly atNoiseFloor: readonly number[] }, points: readonly Point[]): Point[] {
  return points.filter((p) => !r.atNoiseFloor.includes(p[0]) && p[0] > 0 && p[1] > 0 && Number.isFinite(p[1]));
}

/**
 * The line y = c·x^slope through the geometric centre of the points, over their x range.
 *
 * @example
 *   slopeLine([[0.1, 1e-3], [0.05, 1.25e-4]], 3) // [[0.05, 1.25e-4], [0.1, 1e-3]] (these points lie on it)
 */
export function slopeLine(points: readonly Point[], slope: number): Point[] | undefined {
  if (points.length === 0) return undefined;
  const lx = points.reduce((s, p) => s + Math.log(p[0]), 0) / points.length;
  const ly = points.reduce((s, p) => s + Math.log(p[1]), 0) / points.length;
  const xs = points.map((p) => p[0]);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const at = (x: number) => Math.exp(ly + slope * (Math.log(x) - lx));
  return lo === hi ? undefined : [[lo, at(lo)], [hi, at(hi)]];
}

const fmt = (x: number) => String(Number(x.toPrecision(6)));
