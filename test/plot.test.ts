/**
 * The SVG plot module: tick placement, coordinate mapping, escaping, and values a log axis
 * cannot show. Expected values are worked out by hand from the definitions (a log axis maps
 * log10(v) linearly onto the pixel range; a linear axis maps v linearly).
 */
import { describe, expect, it } from 'vitest';
import { escapeXml, linePath, linePlot, logTicks, makeAxis, markerPath, powerOfTen, usablePoints } from '../src/report/plot/index.js';
import { displayName, errorPlot, flowName, slopeLine } from '../src/report/reportPlots.js';

describe('log axes', () => {
  it('put ticks at every power of ten of a many-decade domain', () => {
    // 10⁻⁹ … 10⁻²: eight decades, at most eight ticks → every one.
    expect(logTicks(1e-9, 1e-2).map((t) => t.value)).toEqual([1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    expect(logTicks(1e-9, 1e-2).map((t) => t.label)).toEqual(['10⁻⁹', '10⁻⁸', '10⁻⁷', '10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²']);
  });

  it('thin out to every second decade beyond eight', () => {
    // 10⁻¹² … 10⁰ is 13 powers: stride ⌈13/8⌉ = 2 → 10⁻¹², 10⁻¹⁰, …, 10⁰.
    expect(logTicks(1e-12, 1).map((t) => t.label)).toEqual(['10⁻¹²', '10⁻¹⁰', '10⁻⁸', '10⁻⁶', '10⁻⁴', '10⁻²', '10⁰']);
  });

  it('use 1-2-5 multiples on a narrow domain', () => {
    // [0.004, 0.05] holds 0.005, 0.01, 0.02, 0.05 of the 1-2-5 sequence (and no other).
    expect(logTicks(0.004, 0.05).map((t) => t.value)).toEqual([0.005, 0.01, 0.02, 0.05]);
    expect(logTicks(0.004, 0.05).map((t) => t.label)).toEqual(['0.005', '0.01', '0.02', '0.05']);
  });

  it('map by log10: the geometric midpoint to the pixel midpoint', () => {
    const a = makeAxis('log', [0.01, 1], [0, 200]);
    expect(a.domain).toEqual([0.01, 1]); // two whole decades: nice leaves it
    expect(a.map(0.1)).toBeCloseTo(100, 10); // log10 0.1 = −1, halfway between −2 and 0
    expect(a.map(0.01)).toBeCloseTo(0, 10);
    expect(a.map(1)).toBeCloseTo(200, 10);
  });

  it('widen a many-decade domain to whole decades', () => {
    expect(makeAxis('log', [2e-6, 3e-2], [0, 1]).domain).toEqual([1e-6, 0.1]);
  });

  it('survive a single value (zero-width extent)', () => {
    const a = makeAxis('log', [1e-3, 1e-3], [0, 100]);
    expect(a.domain[0]).toBeLessThan(1e-3);
    expect(a.domain[1]).toBeGreaterThan(1e-3);
    expect(a.ticks.length).toBeGreaterThan(0);
  });
});

describe('paths', () => {
  const x = makeAxis('linear', [0, 10], [0, 100], false);
  const y = makeAxis('linear', [0, 10], [100, 0], false);

  it('map data to pixels (y grows downwards)', () => {
    // (0,0) → (0,100); (5,10) → (50,0); (10,5) → (100,50).
    expect(linePath([[0, 0], [5, 10], [10, 5]], x, y)).toBe('M0,100L50,0L100,50');
  });

  it('break the line at a gap instead of drawing through it', () => {
    expect(linePath([[0, 0], null, [10, 5], [10, 10]], x, y)).toBe('M0,100ZM100,50L100,0');
  });

  it('draw one circle per marker', () => {
    const d = markerPath([[0, 0], [5, 5]], x, y, 2);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.startsWith('M-2,100a2,2 0 1,0 4,0')).toBe(true); // circle of radius 2 centred at (0,100)
  });
});

describe('values a log axis cannot show', () => {
  it('become gaps and are counted', () => {
    const r = usablePoints([[1, 1], [2, 0], [3, -1], [4, NaN], [5, Infinity], [6, 2]], { xLog: false, yLog: true });
    expect(r.dropped).toBe(4);
    expect(r.points.map((p) => p !== null)).toEqual([true, false, false, false, false, true]);
    expect(usablePoints([[0, 1]], { xLog: true, yLog: false }).dropped).toBe(1);
    expect(usablePoints([[0, -1]], { xLog: false, yLog: false }).dropped).toBe(0);
  });

  it('leave no NaN in the SVG, a non-empty path, and a note', () => {
    const svg = linePlot({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      xScale: 'log',
      yScale: 'log',
      series: [
        { label: 'some bad', points: [[0.1, 1e-3], [0.2, NaN], [0.3, 0], [0.4, 1e-2], [-1, 1]] },
        { label: 'all bad', points: [[0.1, 0], [0.2, -1]] },
      ],
    });
    expect(svg).not.toMatch(/NaN|Infinity/);
    const ds = [...svg.matchAll(/<path class="(?:series|markers)" d="([^"]*)"/g)].map((m) => m[1]);
    expect(ds).toHaveLength(1); // the all-bad series draws nothing
    expect(ds.every((d) => d!.length > 0)).toBe(true);
    expect(svg).toContain('some bad: 3 points left out');
    expect(svg).toContain('all bad: nothing to plot');
  });
});

describe('text', () => {
  it('is escaped everywhere', () => {
    expect(escapeXml(`a<b>&"c"'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&#39;');
    const svg = linePlot({ title: '<script>alert(1)</script>', xLabel: 'x & y', yLabel: '"q"', series: [{ label: '<b>', points: [[0, 1], [1, 2]] }] });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('x &amp; y');
  });

  it('writes powers of ten with superscripts', () => {
    expect(powerOfTen(-12)).toBe('10⁻¹²');
    expect(powerOfTen(3)).toBe('10³');
  });
});

describe('plots', () => {
  it('give markers and lines a distinct colour or dash per series, inside a viewBox', () => {
    const svg = linePlot({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        { label: 'a', points: [[0, 0], [1, 1]] },
        { label: 'b', points: [[0, 1], [1, 0]] },
        { label: 'c', points: [[0, 0.5], [1, 0.5]], mark: 'markers' },
      ],
    });
    expect(svg).toMatch(/^<svg class="plot"[^>]* viewBox="0 0 \d+ \d+"/);
    const strokes = [...svg.matchAll(/<path class="series" d="[^"]+" fill="none" stroke="([^"]+)"[^>]*?(?:stroke-dasharray="([^"]+)")?/g)].map((m) => `${m[1]}|${m[2] ?? ''}`);
    expect(new Set(strokes).size).toBe(2);
    expect(svg).toContain('<path class="markers"');
  });

  it('draw the predicted slope through the points’ geometric centre', () => {
    // Points on y = 3x² lie on the slope-2 line through their centre: its ends are the extreme points.
    const line = slopeLine([[0.1, 0.03], [0.2, 0.12], [0.4, 0.48]], 2)!;
    expect(line[0]![0]).toBe(0.1);
    expect(line[0]![1]).toBeCloseTo(0.03, 14);
    expect(line[1]![0]).toBe(0.4);
    expect(line[1]![1]).toBeCloseTo(0.48, 14);
  });
});

/** The labels of the x ticks of a linePlot SVG (centred under the frame), in order. */
const xTickLabels = (svg: string) => [...svg.matchAll(/<text x="[\d.]+" y="\d+" font-size="13" text-anchor="middle" fill="#222">([^<]*)<\/text>/g)].map((m) => m[1]);

describe('axes of the report', () => {
  it('a time axis from t = 0 does not pad to negative t', () => {
    // t = 0.05 … 5 (the distance plot starts at the first step): the 4% margin stops at zero.
    const svg = linePlot({ title: 't', xLabel: 't', yLabel: 'd', series: [{ label: 'a', points: Array.from({ length: 100 }, (_, k) => [0.05 * (k + 1), k] as const) }] });
    const labels = xTickLabels(svg);
    expect(Number(labels[0])).toBe(0);
    expect(labels.some((l) => l.startsWith('−'))).toBe(false);
    // From exactly 0 as well, and a quantity that never goes negative keeps a non-negative y axis.
    const a = makeAxis('linear', [0, 5.2], [0, 100]);
    expect(a.domain[0]).toBe(0);
    const fromZero = linePlot({ title: 't', xLabel: 't', yLabel: 'q', series: [{ label: 'q', points: [[0, 0.1], [10, 3]] }] });
    expect(xTickLabels(fromZero).some((l) => l.startsWith('−'))).toBe(false);
    // Data below zero still get their margin.
    const both = makeAxis('linear', [-1.04, 1.04], [0, 100]);
    expect(both.domain[0]).toBeLessThan(-1);
  });

  it('a ladder of learning rates labels every rate, the extreme ones included', () => {
    const lrs = [0.04, 0.02, 0.01, 0.005];
    const svg = linePlot({ title: 'e', xLabel: 'η', yLabel: 'err', xScale: 'log', yScale: 'log', xTicks: lrs, series: [{ label: 'GF', points: lrs.map((h) => [h, h * h] as const), mark: 'both' }] });
    expect(xTickLabels(svg)).toEqual(['0.005', '0.01', '0.02', '0.04']);
    // Without them, the 1-2-5 ticks leave 0.04 unlabelled (the reason for xTicks).
    const plain = linePlot({ title: 'e', xLabel: 'η', yLabel: 'err', xScale: 'log', yScale: 'log', series: [{ label: 'GF', points: lrs.map((h) => [h, h * h] as const) }] });
    expect(xTickLabels(plain)).not.toContain('0.04');
  });

  it('the error plots of the report label every learning rate of the ladder', () => {
    const lrs = [0.2, 0.1, 0.05, 0.025];
    const result = { order: 0, label: 'EoM_0', lrs, local: lrs.map((h) => h ** 3), global: lrs.map((h) => h ** 2), localSlope: 3, globalSlope: 2, expectedLocalSlope: 3, expectedGlobalSlope: 2, atNoiseFloor: [] };
    const v = { horizon: 1, results: [result] } as unknown as Parameters<typeof errorPlot>[0];
    for (const kind of ['local', 'global'] as const) expect(xTickLabels(errorPlot(v, kind))).toEqual(['0.025', '0.05', '0.1', '0.2']);
  });

  it('flows are written EoM₀ … in every plot, table and caption of a report', () => {
    expect(flowName(0)).toBe('EoM₀');
    expect(flowName(12)).toBe('EoM₁₂');
    expect(flowName(-1)).toBe('GF');
    expect(displayName('EoM_3')).toBe('EoM₃');
  });
});
