/**
 * SGD through the CLI (in process): `eom derive --method sgd` / `--batches`, `eom validate` and
 * `eom simulate` with --batches. Expected values: Smith et al.'s ξ_0 = (1/(2m)) Σ_k H_k g_k
 * (ICLR 2021); the hand computation of ξ_0 for the three batches below; the predicted local
 * slopes 2 and j + 3 of one epoch against the EoM flows (src/simulate/sgdValidate.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eomInProcess, type CliResult } from './helpers/cli.js';

function expectUserError(r: CliResult, message: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^eom: error: /);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

// L_1 = (x−1)² + y², L_2 = (x+1)² + xy, L_3 = y⁴. By hand: H_1 g_1 = (4(x−1), 4y),
// H_2 g_2 = (5x + 2y + 4, 2x + y + 2), H_3 g_3 = (0, 48y⁵), so (1/6) Σ_k H_k g_k =
// (3/2 x + 1/3 y, 8y⁵ + 1/3 x + 5/6 y + 1/3).
const BATCHES = '(x-1)^2 + y^2; (x+1)^2 + x*y; y^4';
// A non-convex problem with 3 batches in 2 parameters (the validation bar).
const NONCONVEX = '(x-1)^2*y^2 + x^4/4; (y+1)^2 + x*y; x^2*y - y';

describe('eom derive for SGD', () => {
  it('the abstract series keeps m symbolic and states Smith et al.’s law', async () => {
    const r = await eomInProcess('derive', '--method', 'sgd', '--order', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ξ_0 = 1/(2*m) Σ_k H_k g_k\n');
    expect(r.stdout).toContain('# parameters: m (symbolic)');
    const json = JSON.parse((await eomInProcess('derive', '--method', 'sgd', '--batch-count', '4', '--sampling', 'cyclic', '--order', '0', '--format', 'json')).stdout);
    expect(json.method).toBe('sgd');
    expect(json.sampling).toBe('cyclic');
    expect(json.batches).toBe(4);
    expect(json.params).toEqual({ m: '4' });
    const terms = json.xi[0].terms.map((t: { text: string; coefficient: string }) => `${t.coefficient} ${t.text}`);
    expect(terms.sort()).toEqual(['-1/8 Σ_{j<k} H_k g_j', '1/8 Σ_k H_k g_k', '1/8 Σ_{j<k} H_j g_k']);
  });

  it('every format of the abstract series renders', async () => {
    for (const format of ['latex', 'index', 'markdown']) {
      const r = await eomInProcess('derive', '--method', 'sgd', '--order', '1', '--format', format);
      expect(r.status, format).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(100);
    }
    const tex = (await eomInProcess('derive', '--method', 'sgd', '--order', '0', '--format', 'latex', '--standalone')).stdout;
    expect(tex).toContain('\\frac{1}{2 m} \\sum_{k} H_{k} g_{k}');
    expect(tex).toContain('\\documentclass');
  });

  it('closed forms for batch losses: ξ_0 as computed by hand, with the batches stated', async () => {
    const r = await eomInProcess('derive', '--batches', BATCHES, '--order', '0', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ method: 'sgd', batches: 3, sampling: 'shuffle', batchLosses: ['(x-1)^2 + y^2', '(x+1)^2 + x*y', 'y^4'], vars: ['x', 'y'], order: 0 });
    expect(json.xi[0].components).toEqual({ x: '3/2*x + 1/3*y', y: '8*y^5 + 1/3*x + 5/6*y + 1/3' });
    const text = (await eomInProcess('derive', '--batches', BATCHES, '--order', '0', '--sampling', 'cyclic')).stdout;
    expect(text).toContain('batches: m = 3, cyclic: (x-1)^2 + y^2; (x+1)^2 + x*y; y^4');
  });

  it('closed forms from a small data file, with the file stated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eom-sgd-'));
    const file = join(dir, 'rows.csv');
    // Two rows, batch size 1: L_1 = (w − 1)², L_2 = (2w − 1)². By hand: g_1 = 2(w − 1), H_1 = 2;
    // g_2 = 4(2w − 1), H_2 = 8; ξ_0 = (1/4)(H_1 g_1 + H_2 g_2) = (1/4)(4w − 4 + 64w − 32) = 17w − 9.
    writeFileSync(file, 'x,y\n1,1\n2,1\n');
    const r = await eomInProcess('derive', '--loss', '(w*x - y)^2', '--data', file, '--batch-size', '1', '--order', '0', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ method: 'sgd', batches: 2, data: { file, rows: 2, batchSize: 1 }, sampling: 'shuffle' });
    expect(json.xi[0].components).toEqual({ w: '17*w - 9' });
    expectUserError(await eomInProcess('derive', '--loss', '(w*x - y)^2', '--data', file, '--batch-size', '3'), /does not divide the 2 rows/);
    expectUserError(await eomInProcess('derive', '--loss', '(w*x - y)^2', '--data', join(dir, 'none.csv'), '--batch-size', '1'), /cannot read/);
    expectUserError(await eomInProcess('derive', '--loss', '(w*x - y)^2', '--data', file), /--data needs --batch-size/);
  });

  it('refuses what SGD cannot take, in one line', async () => {
    expectUserError(await eomInProcess('derive', '--method', 'sgd', '--loss', 'x^2'), /--batches/);
    expectUserError(await eomInProcess('derive', '--batches', 'x^2;; y^2'), /each non-empty/);
    expectUserError(await eomInProcess('derive', '--batches', 'x^2; y^2', '--method', 'heavy-ball'), /does not go with --method heavy-ball/);
    expectUserError(await eomInProcess('derive', '--method', 'sgd', '--batch-count', '0'), /positive integer or "m"/);
    expectUserError(await eomInProcess('derive', '--method', 'sgd', '--order', '4'), /at most 3/);
    expectUserError(await eomInProcess('derive', '--method', 'sgd', '--sampling', 'random'), /--sampling must be one of shuffle, cyclic/);
    expectUserError(await eomInProcess('derive', '--batches', 'x^2; y^2 +', '--order', '0'), /batch 2: /);
    expectUserError(await eomInProcess('derive', '--batches', 'x^2; y^2', '--batch-count', '2'), /--batch-count is the number of --batches/);
    expectUserError(await eomInProcess('report', '--method', 'sgd', '--loss', 'x^2', '--init', 'x=1', '--out', '/tmp/eom-sgd-never.html'), /SGD needs its batch losses: --batches/);
  });
});

describe('eom validate and simulate for SGD', () => {
  for (const sampling of ['shuffle', 'cyclic']) {
    it(`${sampling}: one epoch against GF and EoM_0…EoM_2 on a non-convex problem with 3 batches passes`, async () => {
      const r = await eomInProcess('validate', '--batches', NONCONVEX, '--sampling', sampling, '--init', 'x=0.5,y=0.3', '--lrs', '0.02,0.01,0.005,0.0025', '--order', '2', '--format', 'json');
      expect(r.status).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.passed).toBe(true);
      expect(json.orders.map((o: { expectedLocalSlope: number }) => o.expectedLocalSlope)).toEqual([2, 3, 4, 5]);
      for (const o of json.orders) {
        expect(Math.abs(o.localSlope - o.expectedLocalSlope)).toBeLessThan(0.1);
        // the error is the first omitted term, m η^(j+3) ‖ξ_(j+1)(θ0)‖, to within a few per cent at the smallest η
        expect(Math.abs(o.localRatio.at(-1) - 1)).toBeLessThan(0.03);
      }
    });
  }

  it('warns when η·|λ|max ≥ 1 for some batch (H_2 = [[0, 1], [1, 2]] has λmax = 1 + √2)', async () => {
    const r = await eomInProcess('validate', '--batches', NONCONVEX, '--init', 'x=0.5,y=0.3', '--lrs', '0.5,0.45', '--order', '0');
    expect(r.stderr).toMatch(/warning: η·\|λ\|max = 1\.\d+ ≥ 1/);
  });

  it('simulate: per-epoch means with standard errors beside the EoM flows', async () => {
    const r = await eomInProcess('simulate', '--batches', NONCONVEX, '--init', 'x=0.5,y=0.3', '--lr', '0.02', '--epochs', '3', '--runs', '400', '--order', '1', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.epochs).toHaveLength(4);
    const last = json.epochs[3];
    expect(last.time).toBeCloseTo(3 * 3 * 0.02, 12);
    // EoM_1 is closer to the mean than GF by far, and within a few standard errors plus its O(η^4) error
    expect(last.flows.EoM_1.distance).toBeLessThan(last.flows.GF.distance / 20);
    expect(last.flows.EoM_1.distance).toBeLessThan(5 * Math.max(...last.standardError) + 1e-5);
    expectUserError(await eomInProcess('simulate', '--batches', NONCONVEX, '--init', 'x=0.5,y=0.3', '--runs', '1'), /--runs must be/);
  });
});
