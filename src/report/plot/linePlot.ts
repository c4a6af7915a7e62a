/**
 * A line/scatter plot as an SVG string (no DOM): axes with ticks and titles, a legend at the
 * right, linear or log axes. Lines are d3-shape paths; markers are one path of small circles per
 * series, so every series that has data is a `<path>` with a non-empty `d`. Points an axis cannot
 * show (NaN, ±∞, ≤ 0 on a log axis) are left out, the line breaks there, and the legend says so.
 *
 * @example
 *   linePlot({
 *     title: 'error', xLabel: 'η', yLabel: 'error', xScale: 'log', yScale: 'log',
 *     series: [{ label: 'GF', points: [[0.1, 1e-2], [0.05, 2.5e-3]], mark: 'both' }],
 *   }) // '<svg class="plot" …>…</svg>'
 */
import { line } from 'd3-shape';
import { makeAxis, type Axis, type AxisKind } from './axis.js';
import { seriesStyle } from './palette.js';
import { usablePoints, type Point } from './points.js';
import { coord, escapeXml } from './svgText.js';

export interface PlotSeries {
  readonly label: string;
  readonly points: readonly Point[];
  /** A line through the points (default), markers at the points, or both. */
  readonly mark?: 'line' | 'markers' | 'both';
  /** Colour and dash pattern; default: the series' place in the palette. */
  readonly color?: string;
  readonly dash?: string;
  readonly lineWidth?: number;
  /** Error bars: a half-width per point, drawn as a vertical segment from y − e to y + e (none where e is 0). */
  readonly errorBars?: readonly number[];
}

export interface PlotSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xScale?: AxisKind;
  readonly yScale?: AxisKind;
  readonly series: readonly PlotSeries[];
  /** Same data units per pixel on both axes (a parameter plane). */
  readonly equalAspect?: boolean;
  /** Labelled x ticks at exactly these values (e.g. the learning rates of a ladder) instead of the axis' own. */
  readonly xTicks?: readonly number[];
}

const WIDTH = 860;
const HEIGHT = 460;
const MARGIN = { left: 84, right: 290, top: 42, bottom: 58 };
const LEGEND_X = WIDTH - MARGIN.right + 22;
const MARKER_R = 2.6;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

export function linePlot(spec: PlotSpec): string {
  const xKind = spec.xScale ?? 'linear';
  const yKind = spec.yScale ?? 'linear';
  const kinds = { xLog: xKind === 'log', yLog: yKind === 'log' };
  const cleaned = spec.series.map((s) => ({ s, ...usablePoints(s.points, kinds) }));
  const all = cleaned.flatMap((c) => [...c.points.filter((p): p is Point => p !== null), ...barEnds(c.points, c.s.errorBars, kinds.yLog).flat()]);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  let xExt = extent(all.map((p) => p[0]), xKind);
  let yExt = extent(all.map((p) => p[1]), yKind);
  if (spec.equalAspect && !kinds.xLog && !kinds.yLog) [xExt, yExt] = equalAspect(xExt, yExt, plotW, plotH);
  const x = makeAxis(xKind, xExt, [MARGIN.left, MARGIN.left + plotW], !spec.equalAspect, spec.xTicks);
  const y = makeAxis(yKind, yExt, [MARGIN.top + plotH, MARGIN.top], !spec.equalAspect);

  const parts: string[] = [
    `<svg class="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(spec.title)}" ${FONT}>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="600" fill="#111">${escapeXml(spec.title)}</text>`,
    ...grid(x, y, plotW, plotH),
  ];
  const legend: string[] = [];
  const notes: string[] = [];
  const markers: string[] = []; // drawn after every line, so lines never hide the data points
  cleaned.forEach(({ s, points, dropped }, i) => {
    const style = { ...seriesStyle(i), ...(s.color ? { color: s.color } : {}), ...(s.dash !== undefined ? { dash: s.dash } : {}) };
    const mark = s.mark ?? 'line';
    const width = s.lineWidth ?? 2;
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    const kept = points.filter((p): p is Point => p !== null);
    if (dropped) notes.push(`${s.label}: ${dropped} point${dropped > 1 ? 's' : ''} left out (${kinds.xLog || kinds.yLog ? 'not finite or not positive on a log axis' : 'not finite'})`);
    if (kept.length === 0) {
      notes.push(`${s.label}: nothing to plot`);
      return;
    }
    if (mark !== 'markers') {
      const d = linePath(points, x, y);
      parts.push(`<path class="series" d="${d}" fill="none" stroke="${style.color}" stroke-width="${width}"${dash} stroke-linejoin="round" stroke-linecap="round"/>`);
    }
    if (mark !== 'line') markers.push(`<path class="markers" d="${markerPath(kept, x, y)}" fill="${style.color}" stroke="none"/>`);
    const bars = barEnds(points, s.errorBars, kinds.yLog);
    if (bars.length) markers.push(`<path class="error-bars" d="${bars.map(([lo, hi]) => `M${coord(x.map(lo[0]))},${coord(y.map(lo[1]))}V${coord(y.map(hi[1]))}`).join('')}" stroke="${style.color}" stroke-width="1.4" fill="none"/>`);
    legend.push(legendEntry(legend.length, s.label, style.color, mark === 'markers' ? '' : style.dash, mark, width));
  });
  parts.push(...markers, ...frame(x, y, plotW, plotH, spec), ...legend);
  notes.forEach((n, i) => parts.push(`<text x="${LEGEND_X}" y="${coord(MARGIN.top + 24 * legend.length + 18 + 16 * i)}" font-size="11" fill="#8a3b00">${escapeXml(n)}</text>`));
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * The d of a line through the usable points; null points break the line.
 *
 * @example
 *   linePath([[0, 0], null, [10, 5]], x, y) // 'M0,100ZM100,50' (x: [0,10] → [0,100], y: [0,10] → [100,0])
 */
export function linePath(points: readonly (Point | null)[], x: Axis, y: Axis): string {
  const gen = line<Point | null>()
    .defined((p) => p !== null)
    .x((p) => x.map(p![0]))
    .y((p) => y.map(p![1]));
  return roundPath(gen([...points]) ?? '');
}

/**
 * One path of circles of radius r, each drawn as two arcs.
 *
 * @example
 *   markerPath([[0, 0]], x, y, 2) // 'M-2,100a2,2 0 1,0 4,0a2,2 0 1,0 -4,0'
 */
export function markerPath(points: readonly Point[], x: Axis, y: Axis, r = MARKER_R): string {
  return points
    .map((p) => {
      const cx = x.map(p[0]);
      const cy = y.map(p[1]);
      return `M${coord(cx - r)},${coord(cy)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    })
    .join('');
}

/**
 * The two ends of each error bar that the y axis can show: (x, y − e) and (x, y + e) where e > 0.
 *
 * @example
 *   barEnds([[1, 2], null], [0.5, 1], false) // [[[1, 1.5], [1, 2.5]]]
 */
export function barEnds(points: readonly (Point | null)[], bars: readonly number[] | undefined, yLog: boolean): [Point, Point][] {
  if (!bars) return [];
  return points.flatMap((p, i) => {
    const e = bars[i] ?? 0;
    if (p === null || !(e > 0) || !Number.isFinite(e) || (yLog && p[1] - e <= 0)) return [];
    return [[[p[0], p[1] - e], [p[0], p[1] + e]] as [Point, Point]];
  });
}

/** d3-shape writes full-precision numbers; two decimals of a pixel are plenty. */
const roundPath = (d: string) => d.replace(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g, (n) => coord(Number(n)));

function extent(values: number[], kind: AxisKind): [number, number] {
  if (values.length === 0) return kind === 'log' ? [1, 10] : [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (kind === 'linear' && hi > lo) {
    // A margin, but never across zero: times from t = 0 do not get a negative axis.
    const pad = 0.04 * (hi - lo);
    lo = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
    hi = hi <= 0 ? Math.min(0, hi + pad) : hi + pad;
  }
  return [lo, hi];
}

/** Widen the narrower extent so one data unit is the same number of pixels on both axes. */
function equalAspect(x: [number, number], y: [number, number], w: number, h: number): [[number, number], [number, number]] {
  const dx = Math.max(x[1] - x[0], 1e-12);
  const dy = Math.max(y[1] - y[0], 1e-12);
  const unit = Math.max(dx / w, dy / h);
  const grow = ([a, b]: [number, number], span: number): [number, number] => {
    const mid = (a + b) / 2;
    return [mid - span / 2, mid + span / 2];
  };
  return [grow(x, unit * w), grow(y, unit * h)];
}

function grid(x: Axis, y: Axis, w: number, h: number): string[] {
  const out: string[] = [];
  for (const t of x.ticks) out.push(`<line x1="${coord(x.map(t.value))}" x2="${coord(x.map(t.value))}" y1="${MARGIN.top}" y2="${MARGIN.top + h}" stroke="#e4e4e4"/>`);
  for (const t of y.ticks) out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${coord(y.map(t.value))}" y2="${coord(y.map(t.value))}" stroke="#e4e4e4"/>`);
  return out;
}

function frame(x: Axis, y: Axis, w: number, h: number, spec: PlotSpec): string[] {
  const bottom = MARGIN.top + h;
  const out = [`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#444"/>`];
  for (const t of x.ticks) {
    const px = coord(x.map(t.value));
    out.push(`<line x1="${px}" x2="${px}" y1="${bottom}" y2="${bottom + 5}" stroke="#444"/>`);
    out.push(`<text x="${px}" y="${bottom + 20}" font-size="13" text-anchor="middle" fill="#222">${escapeXml(t.label)}</text>`);
  }
  for (const t of y.ticks) {
    const py = coord(y.map(t.value));
    out.push(`<line x1="${MARGIN.left - 5}" x2="${MARGIN.left}" y1="${py}" y2="${py}" stroke="#444"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${py}" dy="0.35em" font-size="13" text-anchor="end" fill="#222">${escapeXml(t.label)}</text>`);
  }
  out.push(`<text x="${coord(MARGIN.left + w / 2)}" y="${HEIGHT - 12}" font-size="14" text-anchor="middle" fill="#111">${escapeXml(spec.xLabel)}</text>`);
  const cy = coord(MARGIN.top + h / 2);
  out.push(`<text x="18" y="${cy}" font-size="14" text-anchor="middle" transform="rotate(-90 18 ${cy})" fill="#111">${escapeXml(spec.yLabel)}</text>`);
  return out;
}

function legendEntry(i: number, label: string, color: string, dash: string, mark: 'line' | 'markers' | 'both', width: number): string {
  const yy = MARGIN.top + 8 + 24 * i;
  const x0 = LEGEND_X;
  const sample: string[] = [];
  if (mark !== 'markers') sample.push(`<path d="M${x0},${yy}h30" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''} fill="none"/>`);
  if (mark !== 'line') sample.push(`<path d="M${x0 + 15 - 3.5},${yy}a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0" fill="${color}"/>`);
  return `<g class="legend-entry">${sample.join('')}<text x="${x0 + 38}" y="${yy}" dy="0.35em" font-size="13" fill="#111">${escapeXml(label)}</text></g>`;
}
