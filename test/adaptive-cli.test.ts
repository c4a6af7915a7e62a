/**
 * `eom derive | simulate | validate --method rmsprop|adam` through the CLI (in process).
 *
 * Expected values by hand: for L = x²/2 (x > 0, ε = 0) the flow is dθ/dt = −1 − η ξ_0 + …; on the
 * slow manifold M = x + η M_1, V = x² + η V_1 with φ_η(x) = x − η + O(η²), and the η-parts of
 * M∘φ = β1 M + (1−β1) g∘φ, V∘φ = β2 V + (1−β2)(g∘φ)² give M_1 = β1/(1−β1), V_1 = 2xβ2/(1−β2). Then
 * M/√V = 1 + (η/x)(β1/(1−β1) − β2/(1−β2)) and, F_0 being constant, ξ_0 = (1/x)(β1/(1−β1) − β2/(1−β2)):
 * at β1 = 9/10, β2 = 999/1000 that is (9 − 999)/x = −990/x; RMSProp (β1 = 0, ρ = 1/2): −1/x.
 */
import { describe, expect, it } from 'vitest';
import { eomInProcess } from './helpers/cli.js';

describe('eom derive --method rmsprop | adam', () => {
  it('adam: the JSON contract with method, params, leading, and ξ_0 = −990/x for x²/2 (by hand)', async () => {
    const r = await eomInProcess('derive', '--loss', 'x^2/2', '--method', 'adam', '--param', 'beta1=0.9,beta2=0.999,eps=0', '--order', '0', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.method).toBe('adam');
    expect(json.params).toEqual({ beta1: '9/10', beta2: '999/1000', eps: '0' });
    expect(json.leading).toBe('1/sqrt(g_i^2)');
    expect(json.validity).toMatch(/every g_i != 0/);
    expect(json.xi[0].components.x).toBe('-990/x');
  });

  it("rmsprop accepts PyTorch's alpha for rho: ξ_0 = −1/x at ρ = 1/2 (by hand)", async () => {
    const r = await eomInProcess('derive', '--loss', 'x^2/2', '--method', 'rmsprop', '--param', 'alpha=0.5,eps=0', '--order', '0', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.params).toEqual({ rho: '1/2', eps: '0' });
    expect(json.xi[0].components.x).toBe('-1/x');
  });

  it('text output names the element-wise leading factor and where the closed forms hold', async () => {
    const r = await eomInProcess('derive', '--loss', 'x^2/2 + x*y + y^2', '--method', 'adam', '--param', 'eps=1/10', '--order', '0');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/leading factor: c_i = 1\/\(sqrt\(g_i\^2\) \+ 1\/10\) \(element-wise\)/);
    expect(r.stdout).toMatch(/valid: everywhere \(eps > 0\)/);
    expect(r.stdout).toMatch(/1\/\(1 - beta1\)/);
  });

  it('bad input: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['derive', '--method', 'adam'], /its EoM needs a loss: eom derive --loss/],
      [['report', '--loss', 'x^2', '--init', 'x=1', '--method', 'adam', '--param', 'beta1=0.5,beta2=0.6,eps=0.1', '--order', '3', '--out', 'never-written.html'], /--order must be from 0 to 2 for an adam report/],
      [['derive', '--loss', 'x^2', '--method', 'adam', '--param', 'beta1=1'], /beta1 = 1 is outside its range/],
      [['derive', '--loss', 'x^2', '--method', 'rmsprop', '--param', 'beta1=0.5'], /no parameter "beta1"/],
      [['simulate', '--loss', 'x^2', '--init', 'x=1', '--method', 'adam'], /needs exact values for beta1, beta2, eps/],
      [['derive', '--loss', 'x^2', '--method', 'adam', '--order', '5'], /--order must be at most 4 for adam/],
      [['validate', '--loss', 'x^2', '--init', 'x=1', '--method', 'adam', '--param', 'beta1=0.5,beta2=0.5,eps=0.1', '--order', '4', '--lrs', '0.01,0.005', '--horizon', '0.1'], /closed forms go up to ξ_4, and this run needs ξ_5/],
    ];
    for (const [args, message] of cases) {
      const r = await eomInProcess(...args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('eom validate / simulate --method adam', () => {
  it('validate passes at orders −1, 0, 1 from the manifold start on a non-convex loss', async () => {
    const r = await eomInProcess('validate', '--loss', 'x^4/4 - x^2/2 + x*y + y^2', '--init', 'x=0.5,y=1', '--method', 'adam', '--param', 'beta1=0.5,beta2=0.6,eps=0.01', '--lrs', '0.002,0.001,0.0005,0.00025', '--horizon', '0.2', '--order', '1', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.passed).toBe(true);
    expect(json.results.map((x: { order: number; passed: boolean }) => [x.order, x.passed])).toEqual([[-1, true], [0, true], [1, true]]);
  }, 60_000);

  it('simulate from rest reports the transient, and warns outside the regime', async () => {
    const r = await eomInProcess('simulate', '--loss', 'x^4/4 - x^2/2 + x*y + y^2', '--init', 'x=0.5,y=1', '--method', 'adam', '--param', 'beta1=0.5,beta2=0.6,eps=0.01', '--lr', '0.05', '--steps', '20', '--every', '10', '--order', '0', '--start', 'rest');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/transient \(η = 0.05\): the state relaxes onto the slow manifold like 0\.\d+\^n; settled after \d+ steps/);
    expect(r.stderr).toMatch(/warning: .*needs it ≪ 1/);
  }, 60_000);
});
