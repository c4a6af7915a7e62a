/**
 * How `eom derive --loss … --weight-decay λ` states λ: exact, as every value of the JSON contract
 * (README: "exact values are strings, rationals, no decimals"), and readably in the text header.
 * Truth: 0.01 = 1/100 and 0.125 = 1/8 exactly; a name is kept as given.
 */
import { describe, expect, it } from 'vitest';
import { eomInProcess } from './helpers/cli.js';

const derive = async (wd: string, format = 'text') => eomInProcess('derive', '--loss', 'x^2 + y^2', '--weight-decay', wd, '--order', '0', '--format', format);

describe('--weight-decay in derive --loss output', () => {
  it.each([
    ['0.01', '1/100'],
    ['1/100', '1/100'],
    ['0.125', '1/8'],
    ['2e-3', '1/500'],
  ])('%s is stated as %s in JSON and in the text header', async (given, exact) => {
    const json = JSON.parse((await derive(given, 'json')).stdout) as { weightDecay: string };
    expect(json.weightDecay).toBe(exact);
    expect((await derive(given)).stdout).toContain(`weight decay: λ/2 ‖θ‖² added, λ = ${exact}\n`);
  });

  it('a name is kept as given, in JSON and text', async () => {
    expect(JSON.parse((await derive('lam', 'json')).stdout).weightDecay).toBe('lam');
    expect((await derive('lam')).stdout).toContain('weight decay: lam/2 ‖θ‖² added\n');
  });

  it('the closed form itself carries the exact value: ξ_0 = ½ H g = ½(2 + λ)²θ with λ = 1/100', async () => {
    const json = JSON.parse((await derive('0.01', 'json')).stdout) as { xi: { components: Record<string, string> }[] };
    // ½ (201/100)² x = 40401/20000 x
    expect(json.xi[0]!.components['x']).toBe('40401/20000*x');
  });
});
