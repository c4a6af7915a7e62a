/**
 * `eom simulate` and `eom validate` through the built CLI (run `npm run build` first; npm test does).
 * Expected values come from closed forms for the quadratic, the predicted orders of docs/design.md (2.17)–(2.18) (as quoted in
 * src/simulate/validate.ts), and the
 * exit-status contract in the commands' help (0 pass/done, 1 validation failed, 2 bad input, 3 divergence).
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eomBin, repoRoot, type CliResult } from './helpers/cli.js';


/**
 * Like eom() from helpers/cli.ts, but asynchronous so that independent runs can overlap
 * (describe.concurrent), with optional extra environment (EOM_PROGRESS=1 forces progress on a
 * non-terminal stderr).
 */
function run(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [eomBin, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 120_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}
const eom = (...args: string[]) => run(args);

function expectOneLineError(r: CliResult, status: number, message: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stderr).not.toMatch(/internal error/);
}

// L = 1.5x² + xy + y² = ½θᵀAθ, A = [[3, 1], [1, 2]]; closed forms by a hand 2×2 eigen-decomposition.
const QUAD = '1.5*x^2 + x*y + y^2';
const lam = [(5 - Math.sqrt(5)) / 2, (5 + Math.sqrt(5)) / 2];
const vec = lam.map((l) => {
  const n = Math.hypot(1, l - 3);
  return [1 / n, (l - 3) / n]; // (b, λ − a) normalised
});
/** f(A)θ0 for θ0 = (1, −0.5). */
function fA(f: (l: number) => number): number[] {
  const out = [0, 0];
  for (let i = 0; i < 2; i++) {
    const u = vec[i]!;
    const c = f(lam[i]!) * (u[0]! * 1 + u[1]! * -0.5);
    out[0] += c * u[0]!;
    out[1] += c * u[1]!;
  }
  return out;
}

const POLY = '(x^2 + y^2 - 1)^2 + 0.5*x*y^3';
const LADDER = '0.02,0.01,0.005,0.0025';

describe.concurrent('eom simulate output formats', () => {
  it('csv: a header and steps + 1 rows for --every 1, with full-precision numbers matching the closed forms', async () => {
    const r = await eom('simulate', '--loss', QUAD, '--init', 'x=1,y=-0.5', '--lr', '0.05', '--steps', '20', '--order', '1', '--format', 'csv');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('step,t,GD.x,GD.y,GF.x,GF.y,|GF-GD|,±int GF,EoM_0.x,EoM_0.y,|EoM_0-GD|,±int EoM_0,EoM_1.x,EoM_1.y,|EoM_1-GD|,±int EoM_1');
    expect(lines).toHaveLength(1 + 21);
    lines.slice(1).forEach((line, k) => {
      const c = line.split(',').map(Number);
      expect(c).toHaveLength(16);
      expect(c.every(Number.isFinite)).toBe(true);
      expect(c[0]).toBe(k);
      expect(c[1]).toBeCloseTo(k * 0.05, 14);
      // Source: GD on a quadratic is (I − ηA)^k θ0; gradient flow is exp(−tA)θ0.
      const gd = fA((l) => (1 - 0.05 * l) ** k);
      const gf = fA((l) => Math.exp(-k * 0.05 * l));
      expect(Math.hypot(c[2]! - gd[0]!, c[3]! - gd[1]!)).toBeLessThan(1e-14);
      expect(Math.hypot(c[4]! - gf[0]!, c[5]! - gf[1]!)).toBeLessThan(1e-13);
      expect(c[6]).toBeCloseTo(Math.hypot(gf[0]! - gd[0]!, gf[1]! - gd[1]!), 13);
      // Each order is closer to GD than the one before (docs/design.md (2.18)).
      if (k > 0) expect(c[14]!).toBeLessThan(c[10]!);
      if (k > 0) expect(c[10]!).toBeLessThan(c[6]!);
      // The integrator's error estimates (±int) are far below the distances they accompany.
      for (const i of [7, 11, 15]) expect(c[i]!).toBeGreaterThan(0);
      for (const i of [7, 11, 15]) expect(c[i]!).toBeLessThan(1e-11);
    });
  });

  it('--every n subsamples and keeps the last step (aligned table)', async () => {
    const table = await eom('simulate', '--loss', QUAD, '--init', 'x=1,y=-0.5', '--lr', '0.05', '--steps', '20', '--every', '7', '--order', '0');
    expect(table.status).toBe(0);
    expect(table.stderr).toBe('');
    const rows = table.stdout.trimEnd().split('\n');
    expect(rows[0]!.trim().split(/\s{2,}/)).toEqual(['step', 't', 'GD.x', 'GD.y', 'GF.x', 'GF.y', '|GF-GD|', '±int GF', 'EoM_0.x', 'EoM_0.y', '|EoM_0-GD|', '±int EoM_0']);
    expect(rows.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['0', '7', '14', '20']);
    // Aligned: every line as wide as the header.
    for (const row of rows) expect(row.length).toBe(rows[0]!.length);
    // Row 20: t = 1 and GD.x = ((I − ηA)^20 θ0)_x to the printed 10 significant digits.
    const last = rows[4]!.trim().split(/\s+/).map(Number);
    expect(last[1]).toBe(1);
    expect(last[2]).toBeCloseTo(fA((l) => (1 - 0.05 * l) ** 20)[0]!, 9);
  });

  it('json: gd and flows (orders −1..K) with positions and distances', async () => {
    const r = await eom('simulate', '--loss', QUAD, '--init', 'x=1,y=-0.5', '--lr', '0.05', '--steps', '12', '--every', '5', '--order', '2', '--format', 'json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ loss: QUAD, vars: ['x', 'y'], init: { x: 1, y: -0.5 }, lr: 0.05, steps: 12, recorded: [0, 5, 10, 12], warnings: [] });
    expect(j.gd).toHaveLength(4);
    expect(j.flows.map((f: { order: number; label: string }) => [f.order, f.label])).toEqual([
      [-1, 'GF'],
      [0, 'EoM_0'],
      [1, 'EoM_1'],
      [2, 'EoM_2'],
    ]);
    for (const f of j.flows as { positions: number[][]; distance: number[]; evaluations: number }[]) {
      expect(f.positions).toHaveLength(4);
      expect(f.distance).toHaveLength(4);
      expect(f.distance[0]).toBe(0);
      expect(f.evaluations).toBeGreaterThan(0);
      f.positions.forEach((p, i) => expect(f.distance[i]).toBeCloseTo(Math.hypot(p[0]! - j.gd[i][0], p[1]! - j.gd[i][1]), 15));
    }
    // Source: GD closed form (I − ηA)^12 θ0.
    const gd12 = fA((l) => (1 - 0.05 * l) ** 12);
    expect(Math.hypot(j.gd[3][0] - gd12[0]!, j.gd[3][1] - gd12[1]!)).toBeLessThan(1e-14);
    // The distances shrink with the order (global error O(η^{K+2}), docs/design.md (2.18)).
    const final = j.flows.map((f: { distance: number[] }) => f.distance[3]);
    for (let i = 1; i < final.length; i++) expect(final[i]).toBeLessThan(0.3 * final[i - 1]);
  });

  it('warns on stderr when η·|λ|max ≥ 1 without touching the csv on stdout', async () => {
    // Source: H = 2I for x² + y², so η·|λ|max = 2·0.6 = 1.2.
    const r = await eom('simulate', '--loss', 'x^2 + y^2', '--init', 'x=1,y=1', '--lr', '0.6', '--steps', '3', '--order', '0', '--format', 'csv');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('eom: warning: η·|λ|max(H(θ0)) = 1.20 ≥ 1: the EoM series in η is not expected to converge here\n');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 4);
    expect(lines[0]!.startsWith('step,t,')).toBe(true);
    // Source: GD on x² + y² is θ_k = (1 − 2η)^k θ0 = (−0.2)^k.
    expect(Number(lines[3]!.split(',')[2])).toBeCloseTo(0.04, 15);
  });
});

describe.concurrent('eom validate', () => {
  it('json: the contract, every slope within ±0.3, local ratio → 1, passed = true and exit 0', async () => {
    const r = await eom('validate', '--loss', POLY, '--init', 'x=0.8,y=0.4', '--order', '3', '--lrs', LADDER, '--format', 'json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ loss: POLY, method: 'gd', params: {}, leading: '1', vars: ['x', 'y'], init: { x: 0.8, y: 0.4 }, horizon: 1, passed: true });
    expect(j).not.toHaveProperty('start'); // one-step rules have no start to choose
    expect(j.results.map((o: { order: number }) => o.order)).toEqual([-1, 0, 1, 2, 3]);
    for (const o of j.results) {
      for (const key of ['order', 'lrs', 'local', 'global', 'localSlope', 'globalSlope', 'expectedLocalSlope', 'expectedGlobalSlope', 'localRatio', 'passed']) {
        expect(o).toHaveProperty(key);
      }
      expect(o.lrs).toEqual([0.02, 0.01, 0.005, 0.0025]);
      expect(o.local).toHaveLength(4);
      expect(o.global).toHaveLength(4);
      // Source: docs/design.md (2.17)–(2.18) — local slope j + 3, global slope j + 2.
      expect(o.expectedLocalSlope).toBe(o.order + 3);
      expect(o.expectedGlobalSlope).toBe(o.order + 2);
      expect(Math.abs(o.localSlope - o.expectedLocalSlope)).toBeLessThanOrEqual(0.3);
      expect(Math.abs(o.globalSlope - o.expectedGlobalSlope)).toBeLessThanOrEqual(0.3);
      expect(Math.abs(o.localRatio[3] - 1)).toBeLessThan(0.05);
      expect(o.passed).toBe(true);
    }
  });

  it('text: errors per η, fitted slopes against predictions, a verdict; exit 0', async () => {
    const r = await eom('validate', '--loss', POLY, '--init', 'x=0.8,y=0.4', '--order', '1', '--lrs', LADDER);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^loss: \(x\^2 \+ y\^2 - 1\)\^2 \+ 0\.5\*x\*y\^3\ninit: x=0\.8, y=0\.4 {4}horizon T = 1\n/);
    expect(r.stdout).toMatch(/local error .*local\/predicted .*global error/);
    expect(r.stdout).toMatch(/fitted slopes \(predicted\):/);
    for (const [label, loc, glob] of [['GF', 2, 1], ['EoM_0', 3, 2], ['EoM_1', 4, 3]] as const) {
      const m = new RegExp(`^  ${label} +local (\\S+) \\(${loc}\\) +global (\\S+) \\(${glob}\\) +pass$`, 'm').exec(r.stdout);
      expect(m, label).not.toBeNull();
      expect(Math.abs(Number(m![1]) - loc)).toBeLessThanOrEqual(0.3);
      expect(Math.abs(Number(m![2]) - glob)).toBeLessThanOrEqual(0.3);
    }
    expect(r.stdout.trimEnd().endsWith('passed: every fitted slope is within tolerance of its prediction')).toBe(true);
  });

  it('a ladder too coarse for the loss: passed = false in json, exit 1, and the η·|λ|max warning on stderr', async () => {
    // Source: the ladder 0.2 … 0.025 on this loss has η·|λ|max(H(θ0)) ≈ 1.21 at η = 0.2 and GF's global slope ≈ 1.38
    // (without --lrs the default ladder is scaled below it: test/cli-default-ladder.test.ts).
    const r = await eom('validate', '--loss', POLY, '--init', 'x=0.8,y=0.4', '--order', '1', '--format', 'json', '--lrs', '0.2,0.1,0.05,0.025');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('eom: warning: η = 0.2: η·|λ|max(H(θ0)) = 1.21 ≥ 1: the EoM series in η is not expected to converge here\n');
    const j = JSON.parse(r.stdout);
    expect(j.passed).toBe(false);
    expect(j.results[0].lrs).toEqual([0.2, 0.1, 0.05, 0.025]);
    expect(j.results.some((o: { passed: boolean }) => !o.passed)).toBe(true);
    // passed is exactly "every slope within 0.3".
    for (const o of j.results) {
      const ok = Math.abs(o.localSlope - o.expectedLocalSlope) <= 0.3 && Math.abs(o.globalSlope - o.expectedGlobalSlope) <= 0.3;
      expect(o.passed).toBe(ok);
    }
  });
});

describe.concurrent('momentum through the CLI', () => {
  it('validate --method heavy-ball --param beta=0.5 --start rest: json names the method, c = 1/(1−β) = 2, the transient and the skipped steps', async () => {
    // η·λmax/(1−β)² ≤ 0.1 on POLY at (0.8, 0.4) (λmax ≈ 6.03): the series' regime.
    const r = await eom('validate', '--loss', POLY, '--init', 'x=0.8,y=0.4', '--method', 'heavy-ball', '--param', 'beta=0.5', '--start', 'rest', '--order', '0', '--lrs', '0.004,0.002,0.001', '--horizon', '0.5', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ method: 'heavy-ball', params: { beta: '1/2' }, leading: '2', start: 'rest', passed: true });
    expect(j.transients).toHaveLength(3);
    for (const t of j.transients) expect(Math.abs(t.rate / 0.5 - 1)).toBeLessThan(0.1); // decays like β^n
    expect(j.skipped.every((s: number) => s > 0)).toBe(true);
  });

  it('simulate --method nesterov: the text header names the method and its parameter', async () => {
    const r = await eom('simulate', '--loss', POLY, '--init', 'x=0.8,y=0.4', '--method', 'nesterov', '--param', 'momentum=0.9', '--lr', '0.0001', '--steps', '4', '--order', '0');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('method: nesterov, beta = 9/10; F = −c·g − η Σ η^k ξ_k with c = 10; start: manifold (past iterates on the EoM flow)');
    expect(r.stdout).toMatch(/^step +t +nesterov\.x +nesterov\.y +GF\.x/m);
  });
});

/** The run with its "eom: warning:" lines (printed before the work starts) removed from stderr. */
function withoutWarnings<R extends { stderr: string }>(r: R): R {
  return { ...r, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('eom: warning:')).join('\n') };
}

describe.concurrent('divergence through the CLI', () => {
  it('simulate: the rows before the divergence on stdout, then exit 3 and one line naming the trajectory and step', async () => {
    // Source: GD on x⁴ from x = 3 at η = 0.5 goes 3 → −51 → 265251 → ≈ −3.7e16, past the blow-up limit at step 3.
    const r = await eom('simulate', '--loss', 'x^4', '--init', 'x=3', '--lr', '0.5', '--steps', '10', '--order', '0');
    // Source: H(3) = 12·9 = 108, so η·λmax = 54 ≥ 1: the convergence warning comes first, before the run.
    expect(r.stderr).toMatch(/^eom: warning: η·\|λ\|max\(H\(θ0\)\) = 54\.0 ≥ 1/);
    expectOneLineError({ ...withoutWarnings(r), stdout: '' }, 3, /^eom: error: gradient descent diverged at step 3: \|θ\| reached 3\.73e\+16 \(blow-up\)\n$/);
    const rows = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    expect(rows.map((c) => [Number(c[0]), Number(c[2])])).toEqual([[0, 3], [1, -51], [2, 265251]]);
  });

  it('simulate --format json: the recorded steps before the divergence and a "divergence" field', async () => {
    const r = await eom('simulate', '--loss', 'x^4', '--init', 'x=3', '--lr', '0.5', '--steps', '10', '--every', '2', '--order', '0', '--format', 'json');
    expect(r.status).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.recorded).toEqual([0, 2]); // every 2nd step, up to the last recorded one before step 3
    expect(j.gd).toEqual([[3], [265251]]);
    expect(j.flows.map((f: { positions: number[][] }) => f.positions.length)).toEqual([2, 2]);
    expect(j.divergence).toMatch(/^gradient descent diverged at step 3: /);
  });

  it('simulate: a divergence at the first step still prints the starting row', async () => {
    // Source: η = 10⁸ sends x = 3 to 3 − 10⁸·108 ≈ −1.1e10, past the limit 10⁸·(1 + 3) at step 1.
    const r = await eom('simulate', '--loss', 'x^4', '--init', 'x=3', '--lr', '1e8', '--steps', '5', '--order', '0', '--format', 'csv');
    expect(r.status).toBe(3);
    expect(r.stdout.trimEnd().split('\n')).toEqual(['step,t,GD.x,GF.x,|GF-GD|,±int GF,EoM_0.x,|EoM_0-GD|,±int EoM_0', expect.stringMatching(/^0,0,3,3,0,[^,]+,3,0,[^,]+$/)]);
    expect(withoutWarnings(r).stderr).toMatch(/^eom: error: gradient descent diverged at step 1: /);
  });

  it('validate: exit 3 as well', async () => {
    const r = await eom('validate', '--loss', 'x^4', '--init', 'x=3', '--lrs', '0.5,0.25', '--horizon', '2', '--order', '0');
    expect(r.stderr).toMatch(/^eom: warning: η = 0\.5: /);
    expectOneLineError(withoutWarnings(r), 3, /^eom: error: gradient descent diverged at step \d+: /);
  });
});

describe.concurrent('bad input: exit 2 with one line', () => {
  const S = ['simulate', '--loss', 'x^2 + y^2'];
  const V = ['validate', '--loss', 'x^2 + y^2', '--init', 'x=1,y=1'];
  it.each([
    [[...S, '--init', 'x=1'], /^eom: error: --init: no value for "y" \(give every parameter: x=…,y=…\)\n$/],
    [[...S, '--init', 'x=1,y=2,z=3'], /^eom: error: --init: "z" is not a parameter of the loss \(parameters: x, y\)\n$/],
    [[...S, '--init', 'x1,y=2'], /--init takes name=value pairs separated by commas, got "x1"/],
    [[...S, '--init', 'x=1,y=abc'], /--init y must be a finite number \(0\.5, 1e-3, 1\/3\), got "abc"/],
    [[...S, '--init', 'x=1,y=1', '--lr', 'fast'], /--lr must be a finite number \(0\.5, 1e-3, 1\/3\), got "fast"/],
    [[...S, '--init', 'x=1,y=1', '--steps', '2.5'], /--steps must be an integer, got "2.5"/],
    [[...V, '--lrs', '0.1,,0.05'], /--lrs must be a comma-separated list of numbers, got "0.1,,0.05"/],
    [['validate', '--loss', 'a*x^2 + y^2', '--vars', 'x,y', '--init', 'x=1,y=1'], /^eom: error: the constant a needs a value to simulate \(--set a=…\)\n$/],
  ])('%j', async (args, message) => {
    expectOneLineError(await eom(...args), 2, message);
  });

  it.each([
    [['simulate', '--loss', 'x^2 + y^2', '--init', 'x=1,y=1', '--method', 'heavy-ball'], /^eom: error: eom simulate needs exact values for beta \(e\.g\. --param beta=0\.9\)\n$/],
    [[...V, '--method', 'nesterov', '--param', 'beta'], /^eom: error: eom validate needs exact values for beta/],
    [[...V, '--method', 'heavy-ball', '--param', 'beta=0.5', '--start', 'sideways'], /^eom: error: --start must be one of manifold, rest; got "sideways"\n$/],
    [[...V, '--method', 'heavy-ball', '--param', 'beta=1'], /^eom: error: .*heavy-ball/],
  ])('momentum: %j', async (args, message) => {
    expectOneLineError(await eom(...args), 2, message);
  });

  it('a constant given with --set simulates', async () => {
    const r = await eom('simulate', '--loss', 'a*x^2 + y^2', '--vars', 'x,y', '--set', 'a=3/2', '--init', 'x=1,y=1', '--lr', '0.1', '--steps', '2', '--order', '0', '-f', 'csv');
    expect(r.status).toBe(0);
    // Source: GD on 1.5x² + y²: x ← (1 − 0.3)x, y ← (1 − 0.2)y.
    const row = r.stdout.trimEnd().split('\n')[3]!.split(',').map(Number);
    expect(row[2]).toBeCloseTo(0.49, 15);
    expect(row[3]).toBeCloseTo(0.64, 15);
  });
});

describe.concurrent('progress never pollutes stdout', () => {
  // A short run: EOM_PROGRESS=1 forces the progress line on a pipe and EOM_PROGRESS_DELAY_MS=0 shows it at once
  // (by default it waits about a second).
  const long = ['simulate', '--loss', POLY, '--init', 'x=0.8,y=0.4', '--lr', '0.01', '--steps', '600', '--order', '2', '--every', '300'];
  const forced = { EOM_PROGRESS: '1', EOM_PROGRESS_DELAY_MS: '0' };

  it('positive control: with --format table the progress line goes to stderr, the table to stdout', async () => {
    const r = await run(long, forced);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^simulating (GF|EoM_\d)… \d+%$/m); // EOM_PROGRESS=1 on a pipe: plain lines (README)
    expect(r.stdout).not.toMatch(/\r|\x1b|simulating/);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1 + 3);
  }, 60_000);

  it.each(['json', 'csv'])('--format %s: stdout is only the document and stderr is empty', async (format) => {
    const r = await run([...long, '--format', format], forced);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/\r|\x1b|simulating/);
    if (format === 'json') expect(JSON.parse(r.stdout).recorded).toEqual([0, 300, 600]);
    else expect(r.stdout.trimEnd().split('\n').map((l) => l.split(',')[0])).toEqual(['step', '0', '300', '600']);
  }, 60_000);
});
