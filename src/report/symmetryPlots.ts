/**
 * Plots of the quantity a layer symmetry governs (simulate/quantityFlows.ts): its value over time
 * under GD (markers), gradient flow and EoM_K (lines), and each flow's deviation |Q_flow − Q_GD|
 * over time on a log axis — gradient flow's error and the counter terms' correction at a glance.
 *
 * @example
 *   writeFileSync('norm.svg', quantityPlots(analysis.comparison!, 0))
 */
import type { QuantityComparison } from '../simulate/quantityFlows.js';
import { linePlot, seriesStyle, type PlotSeries } from './plot/index.js';
import { displayName } from './reportPlots.js';

/** Both panels for the learning rate `lrIndex` of the comparison, stacked in one SVG. */
export function quantityPlots(c: QuantityComparison, lrIndex = 0): string {
  const row = c.rows[lrIndex];
  if (!row) throw new RangeError(`no learning rate number ${lrIndex} in the comparison`);
  const { time, gd, flows } = row.trace;
  const labels = c.labels.map(displayName);
  const values: PlotSeries[] = [
    { label: 'GD', points: time.map((t, k) => [t, gd[k]!] as const), mark: 'markers' },
    ...labels.map((label, j): PlotSeries => ({ label, points: time.map((t, k) => [t, flows[j]![k]!] as const) })),
  ];
  // The same colour and dash for a flow in both panels (GD is style 0 above).
  const deviations: PlotSeries[] = labels.map((label, j) => ({
    label: `|${label} − GD|`,
    ...seriesStyle(j + 1),
    points: time.slice(1).map((t, i) => [t, Math.abs(flows[j]![i + 1]! - gd[i + 1]!)] as const),
  }));
  const top = linePlot({ title: `${c.quantity} over time, η = ${row.lr}`, xLabel: 't = kη', yLabel: c.quantity, series: values });
  const bottom = linePlot({ title: `deviation from gradient descent, η = ${row.lr}`, xLabel: 't = kη', yLabel: `|Δ${c.quantity}|`, yScale: 'log', series: deviations });
  return stack([top, bottom]);
}

/** Stack whole SVG plots vertically in one SVG document (each keeps its own viewBox). */
function stack(svgs: readonly string[]): string {
  const sizes = svgs.map((s) => {
    const m = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(s);
    if (!m) throw new Error('internal: a plot without a viewBox');
    return { w: Number(m[1]), h: Number(m[2]) };
  });
  const width = Math.max(...sizes.map((s) => s.w));
  let y = 0;
  const parts = svgs.map((s, i) => {
    const placed = s.replace('<svg ', `<svg x="0" y="${y}" width="${sizes[i]!.w}" height="${sizes[i]!.h}" `);
    y += sizes[i]!.h;
    return placed;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${y}" width="${width}" height="${y}">${parts.join('')}</svg>\n`;
}
