/**
 * Axis scales and ticks from d3-scale. Linear axes use d3's nice ticks. Log axes spanning two
 * decades or more are niced to whole decades, with labelled ticks at the powers of ten (every
 * n-th one when there are many); narrower log axes get a small margin and ticks at the 1-2-5
 * multiples of the powers of ten, so a ladder of learning rates fills its plot.
 *
 * @example
 *   const a = makeAxis('log', [2e-6, 3e-2], [0, 400]);
 *   a.domain // [1e-6, 0.1] (niced to whole decades)
 *   a.ticks.map((t) => t.label) // ['10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²', '10⁻¹']
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { powerOfTen } from './svgText.js';

export type AxisKind = 'linear' | 'log';

export interface Tick {
  readonly value: number;
  readonly label: string;
}

export interface Axis {
  readonly kind: AxisKind;
  readonly domain: readonly [number, number];
  /** Data value → pixel. */
  readonly map: (v: number) => number;
  readonly ticks: Tick[];
}

/** Most labelled ticks per axis before log ticks thin out to every n-th decade. */
const MAX_TICKS = 8;

/**
 * An axis over the extent, mapped to the pixel range. `ticksAt` (at most MAX_EXPLICIT_TICKS values,
 * else ignored) puts the labelled ticks at exactly those values inside the domain, e.g. every
 * learning rate of a ladder, so the extreme ones are labelled too.
 */
export function makeAxis(kind: AxisKind, extent: readonly [number, number], range: readonly [number, number], nice = true, ticksAt?: readonly number[]): Axis {
  const axis = scaledAxis(kind, extent, range, nice);
  if (!ticksAt || ticksAt.length === 0 || ticksAt.length > MAX_EXPLICIT_TICKS) return axis;
  const [a, b] = axis.domain;
  const inside = [...new Set(ticksAt)].filter((v) => v >= a && v <= b && (kind === 'linear' || v > 0)).sort((p, q) => p - q);
  const label = kind === 'log' ? formatLog : (v: number) => String(Number(v.toPrecision(6)));
  return { ...axis, ticks: inside.map((value) => ({ value, label: minus(label(value)) })) };
}

/** Most explicit ticks an axis takes (labels of a ladder of learning rates stay apart). */
const MAX_EXPLICIT_TICKS = 12;

function scaledAxis(kind: AxisKind, extent: readonly [number, number], range: readonly [number, number], nice: boolean): Axis {
  const [lo, hi] = widen(kind, extent);
  if (kind === 'log') {
    const s = scaleLog().domain([lo, hi]).range(range);
    // Whole decades when the data span several; otherwise a 10% margin (in log space) each side,
    // so two octaves of η do not sit in the middle third of an empty decade pair.
    if (nice && Math.log10(hi / lo) >= 2) s.nice();
    else if (nice) {
      const pad = (hi / lo) ** 0.08;
      s.domain([lo / pad, hi * pad]);
    }
    const [a, b] = s.domain() as [number, number];
    return { kind, domain: [a, b], map: (v) => s(v), ticks: logTicks(a, b, s) };
  }
  const s = scaleLinear().domain([lo, hi]).range(range);
  if (nice) s.nice(MAX_TICKS);
  const [a, b] = s.domain() as [number, number];
  const format = s.tickFormat(MAX_TICKS);
  return { kind, domain: [a, b], map: (v) => s(v), ticks: s.ticks(MAX_TICKS).map((value) => ({ value, label: minus(format(value)) })) };
}

/**
 * Powers of ten in [a, b], thinned to at most MAX_TICKS; with fewer than three, 1-2-5 multiples.
 *
 * @example
 *   logTicks(0.004, 0.05).map((t) => t.label) // ['0.005', '0.01', '0.02', '0.05']
 */
export function logTicks(a: number, b: number, s = scaleLog().domain([a, b])): Tick[] {
  const first = Math.ceil(Math.log10(a) - 1e-9);
  const last = Math.floor(Math.log10(b) + 1e-9);
  if (last - first + 1 >= 3) {
    const stride = Math.ceil((last - first + 1) / MAX_TICKS);
    const out: Tick[] = [];
    // Number('1e-5'), not 10 ** -5 = 0.000009999…
    for (let e = first; e <= last; e++) if ((e - first) % stride === 0) out.push({ value: Number(`1e${e}`), label: powerOfTen(e) });
    return out;
  }
  // Less than two decades: the multiples 1, 2, 5 of the powers of ten, or finer ones when those are too few.
  for (const mantissas of [[1, 2, 5], [1, 2, 3, 5, 7], [1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const values = multiplesInside(a, b, mantissas);
    if (values.length >= 3) return values.map((value) => ({ value, label: minus(formatLog(value)) }));
  }
  const format = s.tickFormat(4, '~g');
  return s.ticks(4).map((value) => ({ value, label: minus(format(value)) }));
}

/** m·10^e inside [a, b] for the given mantissas m, ascending. */
function multiplesInside(a: number, b: number, mantissas: readonly number[]): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(a)); e <= Math.ceil(Math.log10(b)); e++) {
    for (const m of mantissas) {
      const v = Number(`${m}e${e}`); // exact decimal: 3e-3, not 3 * 10 ** -3
      if (v >= a * (1 - 1e-12) && v <= b * (1 + 1e-12)) out.push(v);
    }
  }
  return out;
}

/** Plain decimals between 10⁻³ and 10⁴ (0.005, 20), else mantissa×10^e (2×10⁻⁶). */
function formatLog(v: number): string {
  const e = Math.floor(Math.log10(v) + 1e-9);
  if (e >= -3 && e <= 4) return String(Number(v.toPrecision(3)));
  const m = Number((v / 10 ** e).toPrecision(3));
  return m === 1 ? powerOfTen(e) : `${m}×${powerOfTen(e)}`;
}

/** An extent that d3 can scale: a zero-width extent is widened (by 1 linear, one decade log). */
function widen(kind: AxisKind, [lo, hi]: readonly [number, number]): [number, number] {
  if (lo < hi) return [lo, hi];
  if (kind === 'log') return [lo / Math.sqrt(10), lo * Math.sqrt(10)];
  const d = lo === 0 ? 1 : Math.abs(lo) / 2;
  return [lo - d, lo + d];
}

/** Typographic minus sign, as d3-format writes it, normalised to U+2212 everywhere. */
const minus = (s: string) => s.replace(/^-/, '−');
