/**
 * `eom symmetry` through the CLI's main() in this process (helpers/cli.ts: eomInProcess).
 *
 * Independent truths: the generators θ·∇L and 1·∇L computed by hand at the sample point; the
 * translation rate of gradient descent, log(1 − ηλ)/η = −λ Σ_j (ηλ)^j/(j+1) (the Taylor series of
 * −log(1 − x)/x: coefficients 1, 1/2, 1/3, …; docs/design.md (2.24)); the predicted error slopes 1 (GF) and
 * K + 2 (EoM_K) of docs/design.md (2.18).
 */
import { describe, expect, test } from 'vitest';
import { eomInProcess, expectUserError } from './helpers/cli.js';

/** Scale-invariant in (w1, w2): homogeneous of degree 0. */
const SCALE_LOSS = 'w1*w2/(w1^2 + w2^2) + 0.5*w1^2/(w1^2 + w2^2)';

/** The error table of the text output: one row per η, then the fitted slopes. */
function errorTable(stdout: string): { rows: { lr: number; errors: number[]; ratio: number }[]; slopes: number[]; labels: string[] } {
  const lines = stdout.split('\n');
  const head = lines.findIndex((l) => /^\s+η\s+steps/.test(l));
  expect(head, stdout).toBeGreaterThan(0);
  const labels = lines[head]!.trim().split(/\s+/).slice(2, -1);
  const rows: { lr: number; errors: number[]; ratio: number }[] = [];
  let i = head + 1;
  for (; /^\s+\d/.test(lines[i]!); i++) {
    const cells = lines[i]!.trim().split(/\s+/).map(Number);
    rows.push({ lr: cells[0]!, errors: cells.slice(2, -1), ratio: cells[cells.length - 1]! });
  }
  const slopeLine = lines[i]!.trim().split(/\s+/);
  expect(slopeLine[0]).toBe('slope');
  return { rows, slopes: slopeLine.slice(1).map(Number), labels };
}

describe('eom symmetry: refusals', () => {
  test('a loss that is not scale-invariant is refused with the identity and its sample value', async () => {
    // Source: θ·∇(w1) = w1, the first term being homogeneous of degree 0; the sample point is w1 = 0.3.
    const r = await eomInProcess('symmetry', '--loss', `${SCALE_LOSS} + w1`, '--kind', 'scale');
    expectUserError(r, /the loss is not scale-invariant in w1, w2: the identity θ_A·∇L = w1·∂L\/∂w1 \+ w2·∂L\/∂w2 = 0 does not hold/);
    expect(r.stderr).toMatch(/at w1=0\.3, w2=-0\.7 it is 0\.300000\)/);
  });

  test('a loss that is not translation-invariant is refused with 1_A·∇L and its sample value', async () => {
    // Source: 1·∇(logsumexp(z1, z2) + z1²) = 1 + 2z1 = 1.6 at z1 = 0.3 (softmax sums to 1).
    const r = await eomInProcess('symmetry', '--loss', 'logsumexp(z1, z2) + z1^2', '--kind', 'translation');
    expectUserError(r, /the loss is not translation-invariant in z1, z2: the identity 1_A·∇L = ∂L\/∂z1 \+ ∂L\/∂z2 = 0 does not hold/);
    expect(r.stderr).toMatch(/at z1=0\.3, z2=-0\.7 it is 1\.60000\)/);
  });

  test('a group name that is not a parameter is refused', async () => {
    expectUserError(await eomInProcess('symmetry', '--loss', 'logsumexp(z1, z2) - z1', '--kind', 'translation', '--group', 'z1,q'), /"q" is not a parameter of the loss \(parameters: z1, z2\)/);
  });
});

describe('eom symmetry: closed forms and comparisons', () => {
  test('translation with a symbolic λ: the rate is the series of log(1 − ηλ)/η', async () => {
    // Source: −log(1 − x)/x = 1 + x/2 + x²/3 + x³/4 + x⁴/5 + …, x = ηλ; EoM_3's rate has η^0..η^4 (ξ_0..ξ_3 give η^1..η^4).
    const r = await eomInProcess('symmetry', '--loss', 'logsumexp(z1, z2, z3) - z1', '--kind', 'translation', '--weight-decay', 'lambda', '--order', '3');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/proved exactly: 1_A·∇L = ∂L\/∂z1 \+ ∂L\/∂z2 \+ ∂L\/∂z3 = 0/);
    expect(r.stdout).toMatch(/EoM_3 with weight decay \(λ[^)]*lambda\), exact:/);
    expect(r.stdout).toContain('d(1·θ)/dt = -(λ + 1/2 ηλ² + 1/3 η²λ³ + 1/4 η³λ⁴ + 1/5 η⁴λ⁵)(1·θ)');
    // no --init: no comparison
    expect(r.stdout).not.toMatch(/over time/);
  });

  test('scale with weight decay 0.1: slopes near 1, 2, 3 and GF/EoM_1 growing as η shrinks', async () => {
    const r = await eomInProcess('symmetry', '--loss', SCALE_LOSS, '--kind', 'scale', '--weight-decay', '0.1', '--init', 'w1=1,w2=0.5', '--order', '1');
    expect(r.status, r.stderr).toBe(0);
    // Source: docs/design.md (2.22) (GF −2λ‖θ‖², EoM_0 −(2λ + ηλ²)‖θ‖² + η‖g‖²); the η² term as derived in test/symmetry-rates.test.ts by hand.
    expect(r.stdout).toContain('d‖θ‖²/dt = -(2λ + ηλ² + 2/3 η²λ³)‖θ‖² + η‖g‖² + η²⟨g, H g⟩');
    expect(r.stdout).toMatch(/‖θ_A‖² over time at η = 0\.025 \(400 steps\)/);
    const t = errorTable(r.stdout);
    expect(t.labels).toEqual(['GF', 'EoM_0', 'EoM_1']);
    expect(t.rows.map((row) => row.lr)).toEqual([0.1, 0.05, 0.025]);
    // Source: docs/design.md (2.18): GF's error falls as η, EoM_K's as η^{K+2}.
    [1, 2, 3].forEach((expected, j) => expect(Math.abs(t.slopes[j]! - expected), `slope of ${t.labels[j]}`).toBeLessThan(0.3));
    for (let i = 1; i < t.rows.length; i++) expect(t.rows[i]!.ratio).toBeGreaterThan(t.rows[i - 1]!.ratio);
    for (const row of t.rows) expect(row.errors[2]!).toBeLessThan(row.errors[0]!);
  });

  test('a scale group that is not every parameter: no closed form, the comparison still runs', async () => {
    const r = await eomInProcess('symmetry', '--loss', `${SCALE_LOSS} + v^2`, '--kind', 'scale', '--group', 'w1,w2', '--weight-decay', '0.1', '--init', 'w1=1,w2=0.5,v=0.3', '--order', '0');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^no closed form: .*v is outside the group \(the comparison with --init still runs\)$/m);
    expect(r.stdout).not.toMatch(/EoM_0 with weight decay/);
    const t = errorTable(r.stdout);
    expect(t.labels).toEqual(['GF', 'EoM_0']);
    [1, 2].forEach((expected, j) => expect(Math.abs(t.slopes[j]! - expected), `slope of ${t.labels[j]}`).toBeLessThan(0.3));
  });

  test('--format json: the verified identity, the closed form and the comparison', async () => {
    const r = await eomInProcess(
      'symmetry',
      '--loss', 'logsumexp(z1, z2, z3) - z1',
      '--kind', 'translation',
      '--weight-decay', 'lambda', '--set', 'lambda=0.1',
      '--order', '1',
      '--init', 'z1=0.3,z2=-1.1,z3=0.9',
      '--format', 'json',
    );
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.symmetry).toEqual({ kind: 'translation', group: ['z1', 'z2', 'z3'] });
    expect(json.verified.identity).toBe('1_A·∇L = ∂L/∂z1 + ∂L/∂z2 + ∂L/∂z3 = 0');
    expect(json.order).toBe(1);
    expect(json.closedForm.text).toBe('d(1·θ)/dt = -(λ + 1/2 ηλ² + 1/3 η²λ³)(1·θ)');
    expect(json.comparison.labels).toEqual(['GF', 'EoM_0', 'EoM_1']);
    // Source: GD multiplies 1·θ by (1 − ηλ) each step (docs/design.md (2.23)): 1·θ_N = (1 − ηλ)^N 1·θ_0, 1·θ_0 = 0.1.
    for (const row of json.comparison.rows as { lr: number; steps: number; gdFinal: number }[]) {
      expect(row.gdFinal).toBeCloseTo(0.1 * (1 - 0.1 * row.lr) ** row.steps, 12);
    }
    const slopes = (json.comparison.slopes as { slope: number }[]).map((s) => s.slope);
    [1, 2, 3].forEach((expected, j) => expect(Math.abs(slopes[j]! - expected)).toBeLessThan(0.3));
  });

  test('--help has examples', async () => {
    const r = await eomInProcess('symmetry', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n\s+eom symmetry --loss/);
    expect(r.stdout).toMatch(/Exit status: 0 done, 2 bad input or a symmetry that does not hold/);
  });
});
