/** `eom export pytorch`: help, one-line errors with exit 2, stdout or --out, no overwrite without --force. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eomInProcess, expectUserError } from './helpers/cli.js';

describe('eom export pytorch', () => {
  it('has --help for export and for pytorch', async () => {
    const top = await eomInProcess('export', '--help');
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/pytorch/);
    const r = await eomInProcess('export', 'pytorch', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--order <K>/);
    expect(r.stdout).toMatch(/--force/);
  });

  it('writes the module to stdout', async () => {
    const r = await eomInProcess('export', 'pytorch', '--order', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^"""Counter terms/);
    expect(r.stdout).toContain('eom export pytorch --order 1 --method gd');
    expect(r.stdout).toContain('def counter_terms(loss_fn, params, order=ORDER):');
  });

  it.each([
    [['--order', '-1'], /--order must be a non-negative integer/],
    [['--order', 'two'], /--order must be a non-negative integer/],
    [['--order', '9'], /--order must be at most 8/],
    [[], /required option '-k, --order <K>'/],
    [['--order', '1', '--method', 'adamw'], /--method must be one of gd, heavy-ball, .*; got "adamw"/],
    [['--order', '1', '--method', 'adam'], /adam acts element-wise .*eom derive --loss, eom simulate, eom validate and eom report take it/],
    [['--order', '3', '--method', 'sgd'], /--order must be at most 2 for --method sgd export/],
    [['--order', '1', '--method', 'heavy-ball'], /needs exact values for beta \(e\.g\. --param beta=0\.9\)/],
    [['--order', '1', '--method', 'heavy-ball', '--param', 'beta=0.9"'], /not an exact number/],
    [['--order', '1', '--param', 'beta=0.9'], /method "gd" has no parameter "beta"/],
    [['--order', '1', '--out', 'no/such/folder/x.py'], /does not exist/],
  ])('refuses %j on one line with exit 2', async (args, message) => {
    expectUserError(await eomInProcess('export', 'pytorch', ...args), message);
  });

  it('refuses an unknown export target', async () => {
    expectUserError(await eomInProcess('export', 'onnx'), /unknown command 'onnx'/);
  });

  it('writes --out, refuses to overwrite it, and overwrites with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eom-export-cli-'));
    const out = join(dir, 'eom_terms.py');
    expect((await eomInProcess('export', 'pytorch', '--order', '0', '--out', out)).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('ORDER = 0');
    writeFileSync(out, 'keep me');
    expectUserError(await eomInProcess('export', 'pytorch', '--order', '2', '--out', out), /exists; add --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await eomInProcess('export', 'pytorch', '--order', '2', '--method', 'extragradient', '--out', out, '--force');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('METHOD = "extragradient"');
  });
});
