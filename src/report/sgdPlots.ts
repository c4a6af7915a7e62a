/**
 * The SGD report's figures as SVG strings: per parameter, the Monte-Carlo mean iterate per epoch
 * with error bars (± its standard error; the spread of single runs in grey) beside the GF and EoM_j
 * flows at t = e·mη; the distance of each flow to the mean; and the one-epoch errors against η.
 *
 * @example
 *   meanPlot(data, 0)      // '<svg class="plot" …>' for the first parameter
 *   distanceToMeanPlot(data)
 */
import { linePlot, type PlotSeries } from './plot/linePlot.js';
import { seriesStyle } from './plot/palette.js';
import { displayName, orderPlot } from './reportPlots.js';
import { distanceToMean, type SgdReportData } from './sgdReport.js';
import type { SgdEpochValidation } from '../simulate/sgdValidate.js';

const MEAN_COLOR = '#555555';
const SPREAD_COLOR = '#c4c4c4';

/**
 * The flows as lines, the per-epoch mean as markers with its error bars, for parameter i.
 *
 * @example
 *   meanPlot(data, 1) // the second parameter's plot
 */
export function meanPlot(d: SgdReportData, i: number): string {
  const v = d.vars[i]!;
  const shuffle = d.sampling === 'shuffle';
  const at = (e: number) => d.times[e]!;
  const mean = d.monteCarlo.trajectory.map((s) => [at(s.epoch), s.mean[i]!] as const);
  const series: PlotSeries[] = [
    ...d.flows.map((f, k) => ({ label: displayName(f.label), points: f.states.map((y, e) => [at(e), y[i]!] as const), ...seriesStyle(k + 1), lineWidth: 1.6 })),
  ];
  if (shuffle) {
    series.push({ label: 'spread of single runs (± s)', points: mean, mark: 'markers', color: SPREAD_COLOR, errorBars: d.monteCarlo.trajectory.map((s) => s.spread[i]!) });
    series.push({ label: `mean of ${d.monteCarlo.runs} runs (± s.e.)`, points: mean, mark: 'markers', color: MEAN_COLOR, errorBars: d.monteCarlo.trajectory.map((s) => s.standardError[i]!) });
  } else {
    series.push({ label: 'SGD, cyclic order', points: mean, mark: 'markers', color: MEAN_COLOR });
  }
  return linePlot({ title: `${v} per epoch (η = ${d.options.lr}, ${d.batchCount} batches)`, xLabel: 't = e·mη', yLabel: v, series });
}

/**
 * ‖θ_flow(e·mη) − mean_e‖ per flow (from epoch 1), with the norm of the standard error for shuffle.
 *
 * @example
 *   distanceToMeanPlot(data) // '<svg class="plot" …>' on a log axis
 */
export function distanceToMeanPlot(d: SgdReportData): string {
  const traj = d.monteCarlo.trajectory.filter((s) => s.epoch > 0);
  const series: PlotSeries[] = d.flows.map((f, k) => ({
    label: displayName(f.label),
    points: traj.map((s) => [d.times[s.epoch]!, distanceToMean(f, s)] as const),
    ...seriesStyle(k + 1),
    mark: 'both' as const,
  }));
  if (d.sampling === 'shuffle') {
    series.push({ label: '‖standard error of the mean‖', points: traj.map((s) => [d.times[s.epoch]!, Math.hypot(...s.standardError)] as const), color: MEAN_COLOR, dash: '3 3', lineWidth: 1.2 });
  }
  const to = d.sampling === 'shuffle' ? 'the mean SGD iterate' : 'the SGD iterate';
  return linePlot({ title: `Distance to ${to} after each epoch (η = ${d.options.lr})`, xLabel: 't = e·mη', yLabel: '‖θ_flow(t) − mean_e‖', yScale: 'log', series });
}

/**
 * One epoch from θ0 against each flow over time mη, on log-log axes with the fitted and predicted slopes.
 *
 * @example
 *   sgdOrderPlot(sgdOrderValidations(p, 1, [0.1, 0.05])) // '<svg class="plot" …>'
 */
export function sgdOrderPlot(results: readonly SgdEpochValidation[]): string {
  const rows = results.map((r) => ({ order: r.order, lrs: r.lrs, errors: r.local, fitted: r.localSlope, predicted: r.expectedLocalSlope, atNoiseFloor: r.atNoiseFloor }));
  return orderPlot(rows, 'One epoch from θ₀, against η', '‖θ_flow(mη) − E[θ after one epoch]‖');
}
