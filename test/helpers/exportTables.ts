/**
 * Generated export modules loaded by Debian's python3 without torch (test/python/export_tables.py
 * puts a stub in sys.modules): the docstring, the tables and the floats derived from them, as JSON.
 * About 50 ms a call, so tests can build their modules inside `it` and read them back each time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cli.js';
import { runPythonJson } from './python.js';

/** What export_tables.py reads from one module (Fractions as [numerator, denominator] strings). */
export interface ModuleTables {
  __doc__: string;
  __all__: string[];
  EOMKIT_VERSION: string;
  METHOD: string;
  PARAMS?: Record<string, [string, string]>;
  ORDER: number;
  LEADING?: [string, string];
  TREES: unknown[];
  XI: unknown[][];
  MODIFIED_LOSS_WEIGHT?: [string, string];
  _LEADING?: number;
  _XI?: [number, number][][];
  _MODIFIED_LOSS_WEIGHT?: number;
  SAMPLING?: string;
  LABEL_SUM?: string;
  MAX_BATCHES?: number[];
  functions: string[];
  'float types': string[];
}

/** Python source per module name → its tables, all read by one python3 process. */
export function moduleTables(sources: Record<string, string>): Record<string, ModuleTables> {
  const dir = mkdtempSync(join(tmpdir(), 'eom-export-tables-'));
  for (const [name, source] of Object.entries(sources)) writeFileSync(join(dir, `${name}.py`), source);
  return runPythonJson([join(repoRoot, 'test/python/export_tables.py'), dir, ...Object.keys(sources)], 60_000) as unknown as Record<string, ModuleTables>;
}

/** A tree of TREES written out: g for the single node, [a,b,..] (sorted) for the derivative applied to its subtrees. */
export function treeShape(trees: readonly (readonly number[])[], i: number): string {
  const children = trees[i]!;
  return children.length === 0 ? 'g' : `[${children.map((c) => treeShape(trees, c)).sort().join(',')}]`;
}
