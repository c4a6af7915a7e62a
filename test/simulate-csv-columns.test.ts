/**
 * `eom simulate --format csv`: every column has its own name, so a CSV reader (pandas, R) keeps
 * them all; the integrator's estimate of each flow is named after the flow. The text table keeps
 * the same names, aligned.
 */
import { describe, expect, it } from 'vitest';
import { eomInProcess } from './helpers/cli.js';

const RUN = ['simulate', '--loss', 'x^2 + x*y + y^2', '--init', 'x=1,y=-0.5', '--lr', '0.05', '--steps', '4', '--every', '2', '--order', '1'];

describe('eom simulate column names', () => {
  it('csv: no name twice; ±int names its flow', async () => {
    const r = await eomInProcess(...RUN, '--format', 'csv');
    expect(r.status).toBe(0);
    const header = r.stdout.split('\n')[0]!.split(',');
    expect(new Set(header).size).toBe(header.length);
    expect(header.filter((h) => h.startsWith('±int'))).toEqual(['±int GF', '±int EoM_0', '±int EoM_1']);
    // Each estimate follows its own flow's distance column.
    for (const flow of ['GF', 'EoM_0', 'EoM_1']) expect(header.indexOf(`±int ${flow}`)).toBe(header.indexOf(`|${flow}-GD|`) + 1);
  });

  it('table: the same names, right-aligned over their columns', async () => {
    const r = await eomInProcess(...RUN);
    expect(r.status).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]!.trim().split(/\s{2,}/).filter((h) => h.startsWith('±int'))).toEqual(['±int GF', '±int EoM_0', '±int EoM_1']);
    for (const row of rows) expect(row.length).toBe(rows[0]!.length);
  });
});
