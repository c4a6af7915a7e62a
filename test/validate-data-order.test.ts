/**
 * `eom validate --loss … --data …` at its default order (2, as for every validate): the data path
 * compiles ξ_0 … ξ_2 only, so EoM_2 is validated by its local slope alone (no ratio to ξ_3), and
 * asking for more is refused in one line. The slopes are the predicted ones (docs/design.md §3.4:
 * local error of GF O(η²), of EoM_j O(η^{j+3})): the independent truth is the order of the method.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eomInProcess, expectUserError } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eom-validate-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'rows.csv');
writeFileSync(file, 'x,y\n1,0.5\n-0.5,1\n2,-1\n0.25,2\n');
const base = ['validate', '--loss', '(w*x - y)^2/2 + w^4/8', '--data', file, '--batch-size', '2', '--init', 'w=0.7', '--sampling', 'cyclic', '--lrs', '0.04,0.02,0.01,0.005', '--format', 'json'];

describe('eom validate --data', () => {
  it('runs at the default order: GF, EoM_0, EoM_1, EoM_2, with the predicted local slopes', async () => {
    const r = await eomInProcess(...base);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { orders: { order: number; localSlope: number; expectedLocalSlope: number; localRatio: number | null }[]; passed: boolean };
    expect(json.orders.map((o) => o.order)).toEqual([-1, 0, 1, 2]);
    for (const o of json.orders) expect(o.expectedLocalSlope).toBe(o.order < 0 ? 2 : o.order + 3);
    for (const o of json.orders) expect(Math.abs(o.localSlope - o.expectedLocalSlope)).toBeLessThan(0.3);
    expect(json.orders.at(-1)!.localRatio).toBeNull(); // no ξ_3 with --data
    expect(json.orders[1]!.localRatio).not.toBeNull();
    expect(json.passed).toBe(true);
  });

  it('refuses --order 3 with --data in one line', async () => {
    expectUserError(await eomInProcess(...base, '--order', '3'), /at most 2 with --data/);
  });
});
