/**
 * examples/pytorch (reduced: a 5-step trajectory): the local errors of GF and EoM_0 … EoM_2 on a
 * 1185-parameter MLP, with the field of the exported module, fall with slopes 2, 3, 4, 5 in η
 * (the truncation order of the EoM, Miyagawa NeurIPS 2022), and match the predicted size
 * η^{j+3}‖ξ_{j+1}(θ0)‖. The committed module is the one `eom export` writes today.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradientDescent, rational, solveCounterTerms } from '../src/index.js';
import { pytorchModule } from '../src/export/index.js';
import { repoRoot } from './helpers/cli.js';
import { requireTorch, runPythonJson } from './helpers/python.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const current = pytorchModule({
  method: 'gd',
  description: gradientDescent.description,
  params: new Map(),
  leading: rational(1),
  order: 3,
  xi: solveCounterTerms(3),
  version,
  command: 'eom export pytorch --order 3', // the documented command, as `eom export` states it
});

describe('examples/pytorch', () => {
  it('the committed eom_terms.py is current (regenerate: npx eom export pytorch --order 3 --out examples/pytorch/eom_terms.py --force)', () => {
    expect(readFileSync(join(repoRoot, 'examples/pytorch/eom_terms.py'), 'utf8')).toBe(current);
  });

  it('measures local-error slopes 2, 3, 4, 5 (±0.2) for GF, EoM_0, EoM_1, EoM_2 and draws the figures', () => {
    requireTorch();
    const dir = mkdtempSync(join(tmpdir(), 'eom-example-'));
    writeFileSync(join(dir, 'eom_terms.py'), current);
    const r = runPythonJson([join(repoRoot, 'examples/pytorch/mlp_eom.py'), '--quick', '--module', dir, '--out', dir]) as {
      parameters: number;
      slopes: Record<string, number>;
      ratios: Record<string, number>;
    };
    expect(r.parameters).toBeGreaterThanOrEqual(1000);
    ['GF', 'EoM_0', 'EoM_1', 'EoM_2'].forEach((name, j) => {
      expect(Math.abs(r.slopes[name]! - (j + 2)), `${name} slope ${r.slopes[name]}`).toBeLessThan(0.2);
      expect(Math.abs(r.ratios[name]! - 1), `${name} measured/predicted`).toBeLessThan(0.1);
    });
    const plot = spawnSync(process.execPath, [join(repoRoot, 'examples/pytorch/plot.mjs'), dir], { encoding: 'utf8', cwd: repoRoot });
    expect(plot.status, plot.stderr).toBe(0);
    for (const svg of ['distance.svg', 'local-errors.svg']) {
      expect(readFileSync(join(dir, svg), 'utf8').match(/class="series"/g)).toHaveLength(4);
    }
  }, 300_000);
});
