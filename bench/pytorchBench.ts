/**
 * The exported PyTorch module's cost on real networks: counter_terms(order=0) and (order=1)
 * against one gradient (loss + backward) on two MLPs, timed by Debian's python3 + torch in
 * bench/pytorch_timing.py (one thread). Targets: ξ_0 ≤ 4×, ξ_0..ξ_1 ≤ 15× a gradient.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solveCounterTerms } from '../src/derive/solver.js';
import { gradientDescent } from '../src/derive/updateRule.js';
import { pytorchModule } from '../src/export/pytorchModule.js';
import { Rational } from '../src/series/fraction.js';

export interface PytorchCase {
  mlp: string;
  parameters: number;
  gradientMs: number;
  xi0Ms: number;
  xi1Ms: number;
  xi0Ratio: number;
  xi1Ratio: number;
}
export type PytorchFigures = { torch: string; cases: PytorchCase[] } | { skipped: string };

const SCRIPT = fileURLToPath(new URL('../../bench/pytorch_timing.py', import.meta.url));

export function pytorchFigures(): PytorchFigures {
  const dir = mkdtempSync(join(tmpdir(), 'eom-bench-torch-'));
  const xi = solveCounterTerms(1);
  writeFileSync(
    join(dir, 'eom_terms.py'),
    pytorchModule({ method: 'gd', description: gradientDescent.description, params: new Map(), leading: Rational.one, order: 1, xi, version: 'bench' }),
  );
  const r = spawnSync('/usr/bin/python3', [SCRIPT, dir], { encoding: 'utf8', timeout: 1_800_000 });
  if (r.status !== 0) return { skipped: `/usr/bin/python3 with torch failed (apt-get install python3-torch): ${(r.stderr ?? '').trim().split('\n').pop()}` };
  return JSON.parse(r.stdout) as PytorchFigures;
}

export function pytorchSection(f: PytorchFigures): string[] {
  const lines = ['## Exported PyTorch module (`eom export pytorch`): cost against one gradient', ''];
  if ('skipped' in f) return [...lines, `Skipped: ${f.skipped}`, ''];
  lines.push(
    `torch ${f.torch}, float64, one thread; medians of per-round ratios within one process.`,
    '',
    '| MLP (tanh) | parameters | gradient (loss + backward) | ξ_0 | ξ_0 / gradient (target ≤ 4) | ξ_0, ξ_1 | (ξ_0, ξ_1) / gradient (target ≤ 15) |',
    '|---|---|---|---|---|---|---|',
  );
  for (const c of f.cases) {
    lines.push(
      `| ${c.mlp} | ${c.parameters} | ${c.gradientMs.toFixed(2)} ms | ${c.xi0Ms.toFixed(2)} ms | ${c.xi0Ratio.toFixed(1)} | ${c.xi1Ms.toFixed(2)} ms | ${c.xi1Ratio.toFixed(1)} |`,
    );
  }
  lines.push(
    '',
    'counter_terms computes g with its graph, then one reverse pass per argument of each distinct',
    'subtree: ξ_0 is one Hessian-vector product; ξ_1 adds H²g and ∇³L[g, g], a third-order pass.',
    'On a small network the per-call overhead of autograd dominates both figures.',
    '',
  );
  return lines;
}
