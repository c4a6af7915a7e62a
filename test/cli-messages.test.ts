/**
 * Messages a new user meets (found by trying the tool as one): commander's suggestions on the same
 * one line as our errors, the exit status kept when stderr's reader has gone, and a forced progress
 * line (EOM_PROGRESS=1) written to a log as plain lines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Progress } from '../src/cli/progress.js';
import { eomBin, eomInProcess, repoRoot } from './helpers/cli.js';

describe('usage errors', () => {
  it('a mistyped option or command: one line, the suggestion after a space, exit 2', async () => {
    const option = await eomInProcess('derive', '--ordr', '2');
    expect(option.status).toBe(2);
    expect(option.stderr).toBe("eom: error: unknown option '--ordr' (Did you mean --order?)\n");
    const command = await eomInProcess('deriv');
    expect(command.status).toBe(2);
    expect(command.stderr).toBe("eom: error: unknown command 'deriv' (Did you mean derive?)\n");
  });

  it('keeps exit status 2 when the reader of stderr has gone (eom … 2>&1 | true)', () => {
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${eomBin}" derive --loss "x^2+" 2>&1 | true; echo \${PIPESTATUS[0]}`], { encoding: 'utf8', cwd: repoRoot });
      expect(r.stdout.trim()).toBe('2');
    }
  });
});

describe('export pytorch --help says what export takes', () => {
  it('no element-wise methods and exact hyperparameters only; derive --help keeps the full list', async () => {
    const help = (await eomInProcess('export', 'pytorch', '--help')).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('not rmsprop, adam (element-wise: not a B-series)');
    expect(help).toContain('hyperparameters, exact values only');
    expect(help).not.toContain('kept as a symbol');
    const derive = (await eomInProcess('derive', '--help')).stdout.replace(/\s+/g, ' ');
    expect(derive).toContain('rmsprop, adam (with --loss)');
    expect(derive).toContain('kept as a symbol (beta)');
  });
});

describe('a progress line forced onto a log (EOM_PROGRESS=1)', () => {
  const saved = process.env['EOM_PROGRESS'];
  afterEach(() => {
    if (saved === undefined) delete process.env['EOM_PROGRESS'];
    else process.env['EOM_PROGRESS'] = saved;
  });
  const stream = (isTTY: boolean) => {
    let text = '';
    return { isTTY, write: (s: string) => ((text += s), true), text: () => text };
  };

  it('writes each new message as a plain line, a repeated one once, and no escapes', () => {
    process.env['EOM_PROGRESS'] = '1';
    const log = stream(false);
    const p = new Progress({ delayMs: 0 }, log as unknown as NodeJS.WriteStream);
    p.update('solving ξ_1…');
    p.update('solving ξ_1…');
    p.update('solving ξ_2…');
    p.done();
    expect(log.text()).toBe('solving ξ_1…\nsolving ξ_2…\n');
  });

  it('on a terminal, rewrites one line in place and clears it at the end', () => {
    const tty = stream(true);
    const p = new Progress({ delayMs: 0 }, tty as unknown as NodeJS.WriteStream);
    p.update('a');
    p.update('b');
    p.done();
    expect(tty.text()).toBe('\r\x1b[2Ka\r\x1b[2Kb\r\x1b[2K');
  });

  it('says nothing on a log unless forced', () => {
    delete process.env['EOM_PROGRESS'];
    const log = stream(false);
    new Progress({ delayMs: 0 }, log as unknown as NodeJS.WriteStream).update('x');
    expect(log.text()).toBe('');
  });
});

describe('options that do not apply are refused, not ignored', () => {
  it.each([
    [['derive', '--sampling', 'cyclic'], /--sampling is for SGD/],
    [['derive', '--loss', 'x^2', '--batch-count', '3'], /--batch-count is for SGD/],
    [['simulate', '--loss', 'x^2', '--init', 'x=1', '--sampling', 'cyclic'], /--sampling is for SGD/],
    [['simulate', '--loss', 'x^2', '--init', 'x=1', '--epochs', '3'], /--epochs is for SGD/],
    [['simulate', '--loss', 'x^2', '--init', 'x=1', '--runs', '5'], /--runs is for SGD/],
    [['validate', '--loss', 'x^2', '--init', 'x=1', '--sampling', 'cyclic'], /--sampling is for SGD/],
    [['report', '--example', 'quartic', '--sampling', 'cyclic', '--out', 'never-written.html'], /--sampling is for SGD/],
    [['simulate', '--batches', 'x^2; (x-1)^2', '--init', 'x=1', '--start', 'rest'], /--start is for methods with a state/],
    [['validate', '--batches', 'x^2; (x-1)^2', '--init', 'x=1', '--start', 'rest'], /--start is for methods with a state/],
  ])('eom %j', async (args, message) => {
    const r = await eomInProcess(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('the same options are taken where they apply, and defaults never count as given', async () => {
    expect((await eomInProcess('derive', '--method', 'sgd', '--sampling', 'cyclic', '--order', '0')).status).toBe(0);
    expect((await eomInProcess('simulate', '--loss', 'x^2', '--init', 'x=1', '--steps', '2', '--order', '0')).status).toBe(0);
  });
});

describe('--out -', () => {
  it('is refused in one line, not written as a file named "-"', async () => {
    for (const args of [
      ['report', '--example', 'quartic', '--out', '-'],
      ['export', 'pytorch', '--order', '1', '--out', '-'],
      ['symmetry', '--loss', 'x^2 + y^2', '--kind', 'scale', '--init', 'x=1,y=1', '--plot', '-'],
    ]) {
      const r = await eomInProcess(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/ - is not a file name/);
      expect(existsSync(join(repoRoot, '-'))).toBe(false);
    }
  });
});
