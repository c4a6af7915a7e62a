/**
 * Debian's python3 with python3-torch (torch 1.13), for the PyTorch export's tests. A missing torch
 * is a failure that says how to install it, never a skip.
 */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Throws unless /usr/bin/python3 can import torch. */
export function requireTorch(): void {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    throw new Error(`${PYTHON} cannot import torch: apt-get install python3-torch (${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()})`);
  }
}

/** Run a python script; its stdout must be one JSON value. */
export function runPythonJson(args: string[], timeoutMs = 600_000): Record<string, unknown> {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`python ${args[0]} failed (status ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
