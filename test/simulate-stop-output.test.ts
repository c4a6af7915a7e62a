/**
 * What a user sees when a run stops: an RMSProp/Adam simulate whose flow the integrator gives up on
 * keeps the rows recorded before it (every format; JSON with a "divergence" field), the message
 * says the integrator stopped (not that the flow diverged) with readable interval ends, `validate
 * --format json` prints what it measured before a divergence, a transient too short to fit prints
 * no NaN, and rmsprop/adam simulate at report's default η.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eomInProcess } from './helpers/cli.js';
import { DivergenceError, mapUntilDivergence, untilDivergence } from '../src/simulate/divergence.js';
import { flowStates, readableTime } from '../src/simulate/integrator.js';
import { ADAPTIVE_REPORT_DEFAULTS } from '../src/cli/adaptiveReportCommand.js';

const ADAM = ['--loss', 'x^4/4 - x^2/2 + x*y + y^2', '--init', 'x=0.5,y=1', '--method', 'adam', '--param', 'beta1=0.5,beta2=0.6,eps=0.01'];
// What the run prints when GF's integrator reaches its step limit on the 19th interval [18η, 19η], η = 0.1.
const STOPPED = 'GF of adam (η = 0.1): the integrator stopped at step 19 (step limit reached on [1.8, 1.9])';

/** PyTorch's Adam (m = v = 0, bias correction) on the loss above, by hand: θ_k for k = 0 … n. */
function handAdam(n: number, lr: number, b1: number, b2: number, eps: number): number[][] {
  // Source: g = (x³ − x + y, x + 2y) for x⁴/4 − x²/2 + xy + y²; torch.optim.Adam's update.
  let [x, y] = [0.5, 1];
  const m = [0, 0];
  const v = [0, 0];
  const out = [[x, y]];
  for (let k = 1; k <= n; k++) {
    const g = [x ** 3 - x + y, x + 2 * y];
    const next = [x, y];
    for (let i = 0; i < 2; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      next[i] = next[i]! - (lr * (m[i]! / (1 - b1 ** k))) / (Math.sqrt(v[i]! / (1 - b2 ** k)) + eps);
    }
    [x, y] = next as [number, number];
    out.push([x, y]);
  }
  return out;
}

/** stderr without the regime warning (printed before the run). */
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('eom: warning:'));

describe('an adam simulate whose flow stops keeps its rows', () => {
  const run = (...extra: string[]) => eomInProcess('simulate', ...ADAM, '--start', 'rest', '--lr', '0.1', '--steps', '200', '--every', '5', '--order', '0', ...extra);
  const hand = handAdam(15, 0.1, 0.5, 0.6, 0.01);

  it('JSON: the rows up to the last recorded step before step 19, the iterates PyTorch\'s, and a "divergence" field', async () => {
    const r = await run('--format', 'json');
    expect(r.status).toBe(3);
    expect(errorLines(r.stderr)).toEqual([`eom: error: ${STOPPED}`]);
    const j = JSON.parse(r.stdout);
    expect(j.rows.map((row: { step: number }) => row.step)).toEqual([0, 5, 10, 15]);
    for (const row of j.rows) {
      expect(row.theta.x).toBeCloseTo(hand[row.step]![0]!, 12);
      expect(row.theta.y).toBeCloseTo(hand[row.step]![1]!, 12);
    }
    expect(j.divergence).toBe(STOPPED);
  }, 120_000);

  it('table and csv: the same rows, then the one-line error (exit 3)', async () => {
    for (const format of ['table', 'csv']) {
      const r = await run('--format', format);
      expect(r.status).toBe(3);
      expect(errorLines(r.stderr)).toEqual([`eom: error: ${STOPPED}`]);
      const steps = r.stdout.trimEnd().split('\n').filter((l) => /^\s*\d+[,\s]/.test(l)).map((l) => Number(l.trim().split(/[,\s]+/)[0]));
      expect(steps).toEqual([0, 5, 10, 15]);
    }
  }, 240_000);
});

describe('the shared stopping machinery', () => {
  it('untilDivergence reruns up to the last multiple of `every` before the earliest divergence', () => {
    const asked: number[] = [];
    // A run that diverges at step 13 when it gets that far, and at step 9 when asked for 10 steps or fewer.
    const { result, divergence } = untilDivergence(100, 5, (n) => {
      asked.push(n);
      if (n >= 13) throw new DivergenceError('A', 13, 'x');
      if (n >= 9) throw new DivergenceError('B', 9, 'y');
      return n;
    });
    expect(asked).toEqual([100, 10, 5]);
    expect([result, divergence?.trajectory, divergence?.step]).toEqual([5, 'B', 9]);
  });

  it('mapUntilDivergence keeps the results before the first divergence, and rethrows anything else', () => {
    const f = (j: number) => {
      if (j === 1) throw new DivergenceError('EoM_1', 3, 'z');
      return 10 * j;
    };
    const { results, divergence } = mapUntilDivergence([-1, 0, 1, 2], f);
    expect(results).toEqual([-10, 0]);
    expect(divergence?.message).toBe('EoM_1 diverged at step 3: z');
    expect(() => mapUntilDivergence([1], () => { throw new RangeError('no'); })).toThrow(RangeError);
  });

  it('an integrator that stops says so, with readable interval ends', () => {
    expect(readableTime(19 * 0.1)).toBe('1.9'); // 1.9000000000000001 in floating point
    expect(readableTime(1e-7)).toBe('1e-7');
    // y' = y² from 1 blows up at t = 1; with 5 steps per interval the integrator gives up on [0.9, 1.2].
    const times = [0, 0.3, 0.6, 0.9, 1.2];
    expect(() => flowStates('F', (_t, y) => [y[0]! ** 2], [1], times, { maxSteps: 5 })).toThrow(/^F: the integrator stopped at step \d \(step limit reached on \[\d\.\d, \d\.\d\]\)$/);
  });
});

describe('validate --format json states a divergence beside what it measured', () => {
  it('gradient descent: the inputs, no orders, passed false and the divergence, then exit 3', async () => {
    // Source: GD on x⁴ from x = 3 at η = 0.5 goes 3 → −51 → 265251 → ≈ −3.7e16 (blow-up at step 3).
    const r = await eomInProcess('validate', '--loss', 'x^4', '--init', 'x=3', '--lrs', '0.5,0.25', '--horizon', '2', '--order', '0', '--format', 'json');
    expect(r.status).toBe(3);
    const j = JSON.parse(r.stdout);
    expect([j.loss, j.init, j.horizon, j.results, j.passed]).toEqual(['x^4', { x: 3 }, 2, [], false]);
    expect(j.divergence).toBe('gradient descent diverged at step 3: |θ| reached 3.73e+16 (blow-up)');
    expect(errorLines(r.stderr)).toEqual([`eom: error: ${j.divergence}`]);
  });

  it('adam: the same, with the integrator stop', async () => {
    const r = await eomInProcess('validate', ...ADAM, '--lrs', '0.1,0.05', '--horizon', '2', '--order', '0', '--format', 'json');
    expect(r.status).toBe(3);
    const j = JSON.parse(r.stdout);
    expect([j.method, j.horizon, j.results, j.passed, j.divergence]).toEqual(['adam', 2, [], false, STOPPED]);
  }, 120_000);
});

describe('a transient too short to fit shows no NaN and claims no settling', () => {
  const A = ['--loss', 'x^4+y^2', '--init', 'x=1,y=1', '--method', 'adam', '--param', 'beta1=0.9,beta2=0.99,eps=0.1', '--start', 'rest', '--lr', '0.1'];
  const dir = mkdtempSync(join(tmpdir(), 'eom-stop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('simulate: text says so, JSON has rate and settled null', async () => {
    const text = await eomInProcess('simulate', ...A, '--steps', '4');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('transient (η = 0.1): too few steps to measure the relaxation rate\n');
    expect(text.stdout).not.toMatch(/NaN|settled/);
    const json = await eomInProcess('simulate', ...A, '--steps', '4', '--format', 'json');
    expect(JSON.parse(json.stdout).transient).toEqual({ rate: null, settled: null });
  });

  it('report: the page says so', async () => {
    const out = join(dir, 'adam.html');
    const r = await eomInProcess('report', ...A, '--steps', '4', '--lrs', '0.002,0.001', '--out', out);
    expect(r.status).toBe(0);
    const page = readFileSync(out, 'utf8').replace(/base64,[A-Za-z0-9+/=]+/g, '');
    expect(page).toContain('At η = 0.1: too few steps to measure the relaxation rate');
    expect(page).not.toMatch(/NaN|has settled after/);
  }, 120_000);
});

describe('rmsprop and adam simulate at report\'s default η', () => {
  it('without --lr, adam runs at 0.001 (report\'s default) and gradient descent at 0.1', async () => {
    const adam = JSON.parse((await eomInProcess('simulate', ...ADAM, '--steps', '2', '--order', '0', '--format', 'json')).stdout);
    expect(adam.lr).toBe(0.001);
    expect(adam.lr).toBe(ADAPTIVE_REPORT_DEFAULTS.lr);
    expect(adam.rows[1].t).toBe(0.001);
    const gd = JSON.parse((await eomInProcess('simulate', '--loss', 'x^2', '--init', 'x=1', '--steps', '2', '--order', '0', '--format', 'json')).stdout);
    expect(gd.lr).toBe(0.1);
  });

  it('--help says so', async () => {
    const r = await eomInProcess('simulate', '--help');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('learning rate η (default 0.1; rmsprop and adam: 0.001, as eom report)');
  });
});
