/** Run the built `eom` command (npm test builds dist/ first) and capture its streams. */
import { spawnSync } from 'node:child_process';
import { expect, vi } from 'vitest';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The npm bin, as a user runs it: the launcher of the bundled CLI and its code cache (src/cli/eom.cts). */
export const eomBin = fileURLToPath(new URL('../../dist/cli/eom.cjs', import.meta.url));
/** The ES module entry, `node dist/cli/main.js`: the same program unbundled. */
export const eomModuleEntry = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function eom(...args: string[]): CliResult {
  return runEntry(eomBin, args);
}

/** Run a script of the built package (`eomBin`, `eomModuleEntry`) in a fresh node with `nodeFlags`, from the repository root. */
export function runEntry(entry: string, args: readonly string[], nodeFlags: readonly string[] = []): CliResult {
  const r = spawnSync(process.execPath, [...nodeFlags, entry, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A user error: exit 2, one line on stderr starting "eom: error:", no stack trace, nothing on stdout. */
export function expectUserError(r: CliResult, message: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^eom: error: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(message);
}

/**
 * Run `eom` in this process through main() (no spawn: about 1.5 s cheaper per call), capturing
 * what it writes to stdout and stderr. For what only a real process shows (exit codes set by the
 * runtime, signals, pipes), use eom().
 */
export async function eomInProcess(...args: string[]): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
