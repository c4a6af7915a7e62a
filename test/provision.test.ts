/**
 * scripts/provision.sh, the "pretest" step of `npm test`: it installs the Debian packages the tests
 * need when they are missing (as root, or through sudo) and otherwise stops with the exact command.
 * It runs here against a fake PATH (fake chromium, pdflatex, id, sudo and apt-get that only log), so
 * nothing is installed; the interpreter checked for torch is given through PYTHON.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

const script = join(repoRoot, 'scripts', 'provision.sh');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Machine {
  readonly present: readonly ('chromium' | 'pdflatex')[];
  readonly torch: boolean;
  readonly uid: number;
  readonly sudo: 'none' | 'passwordless' | 'password';
}

/** A fake machine: a bin folder with the commands it has, and a log of what apt-get and sudo were asked. */
function run(m: Machine) {
  const bin = mkdtempSync(join(tmpdir(), 'eom-provision-'));
  dirs.push(bin);
  const log = join(bin, 'log');
  const exe = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  for (const p of m.present) exe(p, 'exit 0');
  exe('id', `echo ${m.uid}`);
  exe('apt-get', `echo "apt-get $*" >> ${log}`);
  exe('env', `shift; exec "$@"`); // env DEBIAN_FRONTEND=… apt-get …: drop the assignment, run the command
  if (m.sudo !== 'none') exe('sudo', m.sudo === 'password' ? 'exit 1' : `echo "sudo $*" >> ${log}; [ "$1" = -n ] && shift; exec "$@"`);
  exe('true', 'exit 0');
  exe('python3', m.torch ? 'exit 0' : 'exit 1');
  const start = Date.now();
  const r = spawnSync('/bin/bash', [script], { encoding: 'utf8', env: { PATH: bin, PYTHON: join(bin, 'python3') } });
  return { status: r.status, stderr: r.stderr, seconds: (Date.now() - start) / 1000, log: existsSync(log) ? readFileSync(log, 'utf8') : '' };
}

const ALL = ['chromium', 'pdflatex'] as const;

describe('scripts/provision.sh', () => {
  it('does nothing, quickly and without apt, when every package is there', () => {
    const r = run({ present: ALL, torch: true, uid: 1000, sudo: 'none' });
    expect(r.status).toBe(0);
    expect(r.log).toBe('');
    expect(r.stderr).toBe('');
    expect(r.seconds).toBeLessThan(10);
  });

  it('as root: apt-get update once, then installs exactly the missing packages', () => {
    const r = run({ present: ['pdflatex'], torch: false, uid: 0, sudo: 'none' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.log).toBe('apt-get update -qq\napt-get install -y -qq --no-install-recommends chromium python3-torch\n');
  });

  it('through sudo when it needs no password', () => {
    const r = run({ present: ['chromium'], torch: true, uid: 1000, sudo: 'passwordless' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.log).toContain('apt-get install -y -qq --no-install-recommends texlive-latex-base texlive-latex-recommended\n');
    expect(r.log).toMatch(/^sudo -n true\nsudo apt-get update -qq\napt-get update -qq\nsudo env DEBIAN_FRONTEND=noninteractive apt-get install/);
  });

  it.each(['none', 'password'] as const)('otherwise stops with the exact command to run (sudo: %s)', (sudo) => {
    const r = run({ present: [], torch: false, uid: 1000, sudo });
    expect(r.status).toBe(1);
    expect(r.log).not.toContain('apt-get');
    expect(r.stderr).toContain('missing: chromium texlive-latex-base texlive-latex-recommended python3-torch');
    expect(r.stderr).toContain('  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium texlive-latex-base texlive-latex-recommended python3-torch\n');
  });

  it('is the step before the tests of npm test, and CI calls npm ci then npm test (one list of packages)', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['pretest']).toBe('bash scripts/provision.sh');
    const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm ci\nnpm test\n/m);
    expect(ci).not.toMatch(/apt-get|chromium|texlive/);
  });
});
