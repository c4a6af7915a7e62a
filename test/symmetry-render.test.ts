/**
 * The symmetry analysis as text and JSON (src/symmetry/render.ts), on analyses written out by hand
 * here (no analysis is computed), against the expected output typed out column by column: the
 * first column left-aligned, the others right-aligned to their widest cell, two blanks between
 * columns and two in front; errors as toExponential(3), quantities as toPrecision(8).
 */
import { describe, expect, it } from 'vitest';
import { comparisonText, symmetryJson, symmetryText } from '../src/symmetry/render.js';
import type { SymmetryAnalysis } from '../src/symmetry/analysis.js';
import type { QuantityComparison } from '../src/simulate/quantityFlows.js';

/** Two learning rates, GF and EoM_0; EoM_0's slope could not be fitted (NaN). */
function comparison(): QuantityComparison {
  const err = (order: number, label: string, maxError: number) => ({ order, label, maxError, integratorError: 0 });
  return {
    quantity: '1·θ_A',
    horizon: 0.5,
    labels: ['GF', 'EoM_0'],
    rows: [
      {
        lr: 0.1,
        steps: 5,
        gdFinal: 1.25,
        errors: [err(-1, 'GF', 0.004), err(0, 'EoM_0', 0.0002)],
        timeline: [{ step: 0, time: 0, gd: 9, flows: [9, 9] }],
        trace: { time: [0], gd: [9], flows: [[9], [9]] },
      },
      {
        lr: 0.05,
        steps: 10,
        gdFinal: 1.25,
        errors: [err(-1, 'GF', 0.002), err(0, 'EoM_0', 0.00005)],
        timeline: [
          { step: 0, time: 0, gd: 1.5, flows: [1.5, 1.5] },
          { step: 10, time: 0.5, gd: 1.25, flows: [1.2512345678, 1.2500012] },
        ],
        trace: { time: [0, 0.5], gd: [1.5, 1.25], flows: [[1.5, 1.2512345678], [1.5, 1.2500012]] },
      },
    ],
    slopes: [
      { order: -1, label: 'GF', slope: 1.004, expected: 1 },
      { order: 0, label: 'EoM_0', slope: NaN, expected: 2 },
    ],
  };
}

// The comparison above, typed out: the timeline of the last (smallest) η, widths 5, 9, 9, 9;
// then the error table, widths 9 ('predicted'), 5 ('steps'), 8, 8, 8 ('GF/EoM_0'); the ratios are
// 0.004/0.0002 = 20 and 0.002/0.00005 = 40 to three digits; GF's predicted slope is 1, EoM_0's 0 + 2.
const COMPARISON_TEXT = [
  '1·θ_A over time at η = 0.05 (10 steps):',
  '  t             GD         GF      EoM_0',
  '  0.000  1.5000000  1.5000000  1.5000000',
  '  0.500  1.2500000  1.2512346  1.2500012',
  '',
  'max over t ≤ 0.5 of |1·θ_A(flow) − 1·θ_A(GD)|:',
  '  η          steps        GF     EoM_0  GF/EoM_0',
  '  0.1            5  4.000e-3  2.000e-4      20.0',
  '  0.05          10  2.000e-3  5.000e-5      40.0',
  '  slope    ' + '  ' + '     ' + '  ' + '    1.00' + '  ' + '       —' + '  ' + '        ',
  '  predicted' + '  ' + '     ' + '  ' + '       1' + '  ' + '       2' + '  ' + '        ',
  '',
].join('\n');

function analysis(kind: 'scale' | 'translation', withForm: boolean, withComparison: boolean): SymmetryAnalysis {
  return {
    verdict: { holds: true, identity: 'IDENTITY', statement: 'STATEMENT' },
    symmetry: { kind, group: ['a', 'b'] },
    order: 3,
    ...(withForm ? { closedForm: { kind, order: 3, text: 'TEXT', latex: 'LATEX', lambda: 'λ = 1/10' } } : { closedFormNote: 'NOTE' }),
    ...(withComparison ? { comparison: comparison() } : {}),
  };
}

describe('comparisonText', () => {
  it('prints the timeline of the smallest η and the error table with slopes, column by column', () => {
    expect(comparisonText(comparison())).toBe(COMPARISON_TEXT);
  });

  it('the ratio column divides gradient flow by the last (highest-order) flow', () => {
    const c = comparison();
    const three: QuantityComparison = {
      ...c,
      labels: ['GF', 'EoM_0', 'EoM_1'],
      rows: c.rows.map((r) => ({
        ...r,
        timeline: r.timeline.map((p) => ({ ...p, flows: [...p.flows, p.gd] })),
        errors: [...r.errors, { order: 1, label: 'EoM_1', maxError: r.errors[0]!.maxError / 500, integratorError: 0 }],
      })),
      slopes: [...c.slopes, { order: 1, label: 'EoM_1', slope: 2.996, expected: 3 }],
    };
    const lines = comparisonText(three).split('\n');
    const table = lines.slice(lines.indexOf('max over t ≤ 0.5 of |1·θ_A(flow) − 1·θ_A(GD)|:') + 1);
    expect(table[0]!.trim().split(/\s+/)).toEqual(['η', 'steps', 'GF', 'EoM_0', 'EoM_1', 'GF/EoM_1']);
    // 0.004/500 = 8e-6, 0.002/500 = 4e-6; GF over it is 500 in both rows; EoM_1 is predicted at 1 + 2
    expect(table[1]!.trim().split(/\s+/)).toEqual(['0.1', '5', '4.000e-3', '2.000e-4', '8.000e-6', '500']);
    expect(table[2]!.trim().split(/\s+/)).toEqual(['0.05', '10', '2.000e-3', '5.000e-5', '4.000e-6', '500']);
    expect(table[3]!.trim().split(/\s+/)).toEqual(['slope', '1.00', '—', '3.00']);
    expect(table[4]!.trim().split(/\s+/)).toEqual(['predicted', '1', '2', '3']);
  });
});

describe('symmetryText', () => {
  it('a scale closed form, with the line saying what the invariants are, then the comparison', () => {
    expect(symmetryText(analysis('scale', true, true))).toBe(
      'symmetry: STATEMENT\n  proved exactly: IDENTITY\n\n' +
        'EoM_3 with weight decay (λ = 1/10), exact:\n  TEXT\n' +
        '  ⟨F(τa), F(τb)⟩ are scalar invariants of L: g = ∇L, H = ∇²L, ∇³L[·,·] …\n' +
        '\n' +
        COMPARISON_TEXT,
    );
  });

  it('a translation closed form has no invariants line; without a comparison the text ends there', () => {
    expect(symmetryText(analysis('translation', true, false))).toBe(
      'symmetry: STATEMENT\n  proved exactly: IDENTITY\n\nEoM_3 with weight decay (λ = 1/10), exact:\n  TEXT\n',
    );
  });

  it('without a closed form: the note instead', () => {
    expect(symmetryText(analysis('scale', false, false))).toBe('symmetry: STATEMENT\n  proved exactly: IDENTITY\n\nNOTE\n');
    expect(symmetryText(analysis('translation', false, true))).toBe('symmetry: STATEMENT\n  proved exactly: IDENTITY\n\nNOTE\n\n' + COMPARISON_TEXT);
  });
});

describe('symmetryJson', () => {
  it('a closed form: text, LaTeX and λ; no note; no comparison is null', () => {
    expect(symmetryJson(analysis('scale', true, false), 'LOSS')).toStrictEqual({
      loss: 'LOSS',
      symmetry: { kind: 'scale', group: ['a', 'b'] },
      verified: { statement: 'STATEMENT', identity: 'IDENTITY' },
      order: 3,
      closedForm: { text: 'TEXT', latex: 'LATEX', lambda: 'λ = 1/10' },
      comparison: null,
    });
  });

  it('no closed form: null and the note; the comparison as it is', () => {
    const a = analysis('translation', false, true);
    expect(symmetryJson(a, 'L2')).toStrictEqual({
      loss: 'L2',
      symmetry: { kind: 'translation', group: ['a', 'b'] },
      verified: { statement: 'STATEMENT', identity: 'IDENTITY' },
      order: 3,
      closedForm: null,
      note: 'NOTE',
      comparison: comparison(),
    });
  });
});
