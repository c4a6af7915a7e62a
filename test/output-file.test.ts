/**
 * --out / --plot (src/cli/outputFile.ts): only regular files are written; a symlink is written
 * through to its target (and stderr says so); a replaced file keeps its mode and owner; a read-only
 * file is refused unless --force. The tests run as root in CI, where writing a read-only file
 * succeeds: the refusal must come from the mode bits, and these tests hold either way.
 */
import { chmodSync, chownSync, existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedTarget, writeAtomically } from '../src/cli/outputFile.js';
import { eom, expectUserError } from './helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eom-out-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;
const fifo = (name: string) => {
  const p = join(dir, name);
  const r = spawnSync('mkfifo', [p]);
  expect(r.status, 'mkfifo').toBe(0);
  return p;
};
const file = (name: string, content: string, m = 0o644) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, m);
  return p;
};

describe('checkedTarget refuses what is not a regular file, before any work', () => {
  it.each([
    ['/dev/null', /--out \/dev\/null is a character device, not a regular file/],
    ['/dev/zero', /--out \/dev\/zero is a character device, not a regular file/],
  ])('%s', (path, message) => {
    expect(() => checkedTarget(path)).toThrow(message);
    expect(statSync(path).isCharacterDevice()).toBe(true);
  });

  it('a FIFO', () => {
    const p = fifo('pipe');
    expect(() => checkedTarget(p, '--plot')).toThrow(/--plot .*pipe is a FIFO \(named pipe\), not a regular file/);
    expect(lstatSync(p).isFIFO()).toBe(true);
  });

  it('a folder', () => {
    expect(() => checkedTarget(dir)).toThrow(/is a folder; give a file name/);
  });

  it('a symlink to nothing, and a symlink loop', () => {
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'no-such-file'), dangling);
    expect(() => checkedTarget(dangling)).toThrow(/dangling is a symlink to a file that does not exist/);
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop);
    expect(() => checkedTarget(loop)).toThrow(/loop is a symlink to itself \(a loop\)/);
  });

  it('a read-only file unless forced (as root too: the mode bits decide)', () => {
    const p = file('readonly.txt', 'keep me', 0o444);
    expect(() => checkedTarget(p)).toThrow(/readonly\.txt is read-only \(mode 444\); add --force to replace it/);
    expect(checkedTarget(p, '--out', { force: true })).toBe(p);
  });
});

describe('writeAtomically', () => {
  it('keeps the mode of the file it replaces', () => {
    const p = file('private.html', 'old', 0o600);
    writeAtomically(p, 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(mode(p)).toBe(0o600);
    const q = file('group.html', 'old', 0o664);
    writeAtomically(q, 'new');
    expect(mode(q)).toBe(0o664);
  });

  it('keeps a forced read-only file read-only', () => {
    const p = file('forced.txt', 'old', 0o444);
    writeAtomically(checkedTarget(p, '--out', { force: true }), 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(mode(p)).toBe(0o444);
  });

  it.runIf(process.geteuid?.() === 0)('keeps the owner and group of the file it replaces (root)', () => {
    const p = file('owned.txt', 'old');
    chownSync(p, 4321, 4322);
    writeAtomically(p, 'new');
    expect(statSync(p).uid).toBe(4321);
    expect(statSync(p).gid).toBe(4322);
  });

  it('writes through a symlink, which stays a symlink, and says so', () => {
    const real = file('real.svg', 'old', 0o640);
    const link = join(dir, 'link.svg');
    symlinkSync('real.svg', link);
    const notes: string[] = [];
    const target = checkedTarget(link, '--plot', { note: (l) => notes.push(l) });
    expect(target).toBe(real);
    expect(notes).toEqual([`eom: --plot ${link} is a symlink: writing to its target ${real}`]);
    writeAtomically(link, 'new', '--plot');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real.svg');
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(mode(real)).toBe(0o640);
  });

  it('refuses a FIFO that appeared after the check', () => {
    const p = fifo('late-pipe');
    expect(() => writeAtomically(p, 'x')).toThrow(/late-pipe is a FIFO/);
    expect(lstatSync(p).isFIFO()).toBe(true);
  });
});

describe('the commands', () => {
  const REPORT = ['report', '--loss', 'x^2 + 3*y^2 + x*y', '--init', 'x=1,y=-0.5', '--order', '0', '--lr', '0.05', '--steps', '10', '--lrs', '0.1,0.05'];
  const SYMMETRY = ['symmetry', '--loss', 'logsumexp(z1, z2) - z1', '--kind', 'translation', '--weight-decay', '0.1', '--order', '0', '--init', 'z1=1,z2=0', '--lrs', '0.1,0.05', '--horizon', '1'];

  it('refuse a FIFO, a device and a read-only file with one line, exit 2', () => {
    const p = fifo('cli-pipe');
    const ro = file('cli-readonly.html', 'keep', 0o444);
    expectUserError(eom(...REPORT, '--out', p), /--out .*cli-pipe is a FIFO \(named pipe\), not a regular file/);
    expectUserError(eom(...REPORT, '--out', '/dev/null'), /--out \/dev\/null is a character device/);
    expectUserError(eom(...REPORT, '--out', ro), /cli-readonly\.html is read-only \(mode 444\); add --force/);
    expectUserError(eom(...SYMMETRY, '--plot', p), /--plot .*cli-pipe is a FIFO/);
    expectUserError(eom(...SYMMETRY, '--plot', ro), /--plot .*cli-readonly\.html is read-only/);
    expect(readFileSync(ro, 'utf8')).toBe('keep');
    expect(lstatSync(p).isFIFO()).toBe(true);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('--force replaces a read-only file and keeps its mode', { timeout: 240_000 }, () => {
    const ro = file('forced.html', 'keep', 0o440);
    const r = eom(...REPORT, '--out', ro, '--force');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(ro, 'utf8').startsWith('<!DOCTYPE html>')).toBe(true);
    expect(mode(ro)).toBe(0o440);
    expect(existsSync(ro)).toBe(true);
  });

  it('--help of both commands lists --force', () => {
    for (const c of ['report', 'symmetry']) expect(eom(c, '--help').stdout).toMatch(/--force\s+replace a read-only output file/);
  });
});
