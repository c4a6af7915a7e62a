/**
 * The default learning-rate ladder of `eom validate` and `eom report` is scaled to the loss: when the
 * top rung of 0.2, 0.1, 0.05, 0.025 has η·|λ|max(H(θ0)) > 0.2 (outside the regime where the fitted
 * error slopes are the asymptotic ones), the ladder starts at the largest 1, 2 or 5 × 10^k under
 * that bound instead, and a note on stderr says so. RMSProp and Adam default to their small-η ladder
 * and horizon (those of their report). --lrs and --horizon are always taken as given.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LRS, LADDER_REGIME, scaledLadder } from '../src/simulate/defaults.js';
import { eomInProcess } from './helpers/cli.js';

describe('scaledLadder', () => {
  it('keeps the default ladder while its top rung is in the regime, and for degenerate scales', () => {
    for (const s of [0, -3, 0.5, 1, NaN, Infinity]) expect(scaledLadder(s)).toEqual([0.2, 0.1, 0.05, 0.025]);
    expect(DEFAULT_LRS).toEqual([0.2, 0.1, 0.05, 0.025]);
  });

  it('x^4 at x = 1 (|λ|max = L″(1) = 12): 0.01 is the largest of 1, 2, 5 × 10^k with 12η ≤ 0.2', () => {
    expect(scaledLadder(12)).toEqual([0.01, 0.005, 0.0025, 0.00125]);
    expect(scaledLadder(1.0001)).toEqual([0.1, 0.05, 0.025, 0.0125]); // 0.2/1.0001 < 0.2: the next nice number down
    expect(scaledLadder(4)).toEqual([0.05, 0.025, 0.0125, 0.00625]); // 0.2/4 = 0.05 exactly
    expect(scaledLadder(2000)).toEqual([1e-4, 5e-5, 2.5e-5, 1.25e-5]);
  });

  it('for any scale s > 1: the top rung is 1, 2 or 5 × 10^k, in the regime, within 2.5× of its bound, and each rung halves', () => {
    fc.assert(
      fc.property(fc.double({ min: 1.000001, max: 1e9, noNaN: true }), (s) => {
        const lrs = scaledLadder(s);
        const top = lrs[0]!;
        const mantissa = top / 10 ** Math.floor(Math.log10(top) + 1e-9);
        expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
        expect(top * s).toBeLessThanOrEqual(LADDER_REGIME * (1 + 1e-12));
        expect(top * s).toBeGreaterThan(LADDER_REGIME / 2.5 - 1e-12);
        lrs.slice(1).forEach((lr, i) => expect(lr).toBe(lrs[i]! / 2));
      }),
    );
  });
});

describe('eom validate and eom report without --lrs', () => {
  it('validate x^4 from x = 1 passes on the scaled ladder, with a note; the unscaled ladder given by --lrs fails its slopes', async () => {
    const scaled = await eomInProcess('validate', '--loss', 'x^4', '--init', 'x=1', '--order', '1');
    expect(scaled.status).toBe(0);
    expect(scaled.stderr).toBe('eom: note: learning rates 0.01, 0.005, 0.0025, 0.00125: the default ladder scaled so that η·|λ|max(H(θ0)) ≤ 0.2 at the largest (--lrs sets them)\n');
    expect(scaled.stdout).toMatch(/^EoM_0 +0\.01 /m);
    const given = await eomInProcess('validate', '--loss', 'x^4', '--init', 'x=1', '--order', '1', '--lrs', '0.2,0.1,0.05,0.025');
    expect(given.status).toBe(1);
    expect(given.stderr).not.toMatch(/note/);
  });

  it('validate keeps the default ladder, silently, where it is in the regime', async () => {
    const r = await eomInProcess('validate', '--loss', 'x^2/2 + y^2/4', '--init', 'x=1,y=1', '--order', '0');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^EoM_0 +0\.2 /m);
  });

  it('validate --method adam without --lrs and --horizon uses the small-η ladder 0.002 … 0.00025 and T = 0.2, and passes', async () => {
    // Before: the gradient-descent ladder 0.2 … 0.025 over T = 1, where Adam's EoM_0 diverges (η = 0.025, step 36).
    const r = await eomInProcess('validate', '--loss', 'x^4/4 - x^2/2 + x*y + y^2', '--init', 'x=0.5,y=1', '--method', 'adam', '--param', 'beta1=0.5,beta2=0.6,eps=0.01', '--order', '0', '--format', 'json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.horizon).toBe(0.2);
    expect(j.results[0].lrs).toEqual([0.002, 0.001, 0.0005, 0.00025]);
    expect(j.passed).toBe(true);
  });

  it('report scales its error-order ladder the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eom-ladder-'));
    try {
      const r = await eomInProcess('report', '--loss', 'x^4', '--init', 'x=1', '--order', '0', '--lr', '0.01', '--out', join(dir, 'r.html'));
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/^eom: note: learning rates 0\.01, 0\.005, 0\.0025, 0\.00125: the default ladder scaled/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
