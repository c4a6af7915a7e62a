/**
 * The adaptive report's figures as SVG strings: per parameter, the optimiser's iterates from the
 * manifold start and from PyTorch's start beside the GF and EoM_j flows over t = kη; the state's
 * distance from the slow manifold during PyTorch's transient (the error orders are reportPlots'
 * errorPlot).
 *
 * @example
 *   parameterPlot(data, 0) // '<svg class="plot" …>' for the first parameter
 */
import { linePlot, type PlotSeries } from './plot/linePlot.js';
import { seriesStyle } from './plot/palette.js';
import { flowName } from './reportPlots.js';
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
  const series: PlotSeries[] = [
    ...d.flows.map((f, k) => ({ label: flowName(f.order), points: along(f.states), ...seriesStyle(k + 1), lineWidth: 1.6 })),
    { label: `${d.method}, manifold start`, points: along(d.manifold), mark: 'markers', color: MANIFOLD_COLOR },
    { label: `${d.method}, PyTorch's start`, points: along(d.rest), mark: 'markers', color: REST_COLOR },
  ];
  return linePlot({ title: `${v} over t = kη (η = ${d.options.lr}, ${d.options.steps} steps)`, xLabel: 't = kη', yLabel: v, series });
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
    series: [{ label: `e_n, decaying like ${t.rate.toFixed(3)}ⁿ`, points, mark: 'both', color: REST_COLOR }],
  });
}
