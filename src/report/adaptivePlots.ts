/**
 * The adaptive report's figures as SVG strings: per parameter, the optimiser's iterates from the
 * manifold start and from PyTorch's start beside the GF and EoM_j flows over t = kη, and their distances to the iterates; the state's
 * distance from the slow manifold during PyTorch's transient (the error orders are reportPlots'
 * errorPlot).
 *
 * @example
 *   parameterPlot(data, 0) // '<svg class="plot" …>' for the first parameter
 *   distanceOverTime(data)
 */
import { linePlot, type PlotSeries } from './plot/linePlot.js';
import { seriesStyle } from './plot/palette.js';
import { flowName } from './reportPlots.js';
import { distance } from '../simulate/vectors.js';
import { TOO_FEW_STEPS } from '../simulate/adaptiveValidate.js';
import type { AdaptiveReportData } from './adaptiveReport.js';

const MANIFOLD_COLOR = '#555555';
const REST_COLOR = '#c25400';

/**
 * Parameter i over t: the flows as lines, both runs of the optimiser as markers.
 *
 * @example
 *   parameterPlot(data, 1) // the second parameter's plot
 */
export function parameterPlot(d: AdaptiveReportData, i: number): string {
  const v = d.vars[i]!;
  const along = (traj: readonly Float64Array[]) => traj.map((y, k) => [d.times[k]!, y[i]!] as const);
  // At most about 50 markers per run, so the lines stay visible under them.
  const every = Math.max(1, Math.ceil(d.options.steps / 50));
  const thinned = (traj: readonly Float64Array[]) => along(traj).filter((_, k) => k % every === 0 || k === d.options.steps);
  const series: PlotSeries[] = [
    ...d.flows.map((f, k) => ({ label: flowName(f.order), points: along(f.states), ...seriesStyle(k + 1), lineWidth: 1.6 })),
    { label: `${d.method}, manifold start`, points: thinned(d.manifold), mark: 'markers', color: MANIFOLD_COLOR },
    { label: `${d.method}, PyTorch's start`, points: thinned(d.rest), mark: 'markers', color: REST_COLOR },
  ];
  return linePlot({ title: `${v} over t = kη (η = ${d.options.lr}, ${d.options.steps} steps)`, xLabel: 't = kη', yLabel: v, series });
}

/**
 * ‖θ_flow(kη) − θ_k‖ over t = kη for each flow against the manifold-start iterates, and the
 * highest flow against PyTorch's start (dashed), on a log axis.
 *
 * @example
 *   distanceOverTime(data) // '<svg class="plot" …>'
 */
export function distanceOverTime(d: AdaptiveReportData): string {
  const to = (f: AdaptiveReportData['flows'][number], traj: readonly Float64Array[]) =>
    f.states.flatMap((y, k) => (k === 0 ? [] : [[d.times[k]!, distance(y, traj[k]!)] as const]));
  const top = d.flows[d.flows.length - 1]!;
  const series: PlotSeries[] = [
    ...d.flows.map((f, k) => ({ label: `${flowName(f.order)} − manifold start`, points: to(f, d.manifold), ...seriesStyle(k + 1) })),
    { label: `${flowName(top.order)} − PyTorch's start`, points: to(top, d.rest), color: REST_COLOR, dash: '6 4' },
  ];
  return linePlot({ title: `Distance to the ${d.method} iterates (η = ${d.options.lr})`, xLabel: 't = kη', yLabel: '‖θ_flow(t) − θ_k‖', yScale: 'log', series });
}

/**
 * The relative distance e_n of PyTorch's state (m̂, v̂) from the slow manifold, per step, on a log axis.
 *
 * @example
 *   transientPlot(data) // '<svg class="plot" …>'
 */
export function transientPlot(d: AdaptiveReportData): string {
  const t = d.transient;
  const points = t.offManifold.map((e, n) => [n, e] as const).filter(([, e]) => e > 0 && Number.isFinite(e));
  return linePlot({
    title: `PyTorch's start: the state's distance from the slow manifold (η = ${t.lr})`,
    xLabel: 'step n',
    yLabel: 'e_n (relative)',
    yScale: 'log',
    series: [{ label: Number.isFinite(t.rate) ? `e_n, decaying like ${t.rate.toFixed(3)}ⁿ` : `e_n (${TOO_FEW_STEPS})`, points, mark: 'both', color: REST_COLOR }],
  });
}
