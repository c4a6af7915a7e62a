/**
 * Every `$ eom …` (or `$ npx eom …`) example in README.md, docs/*.md and docs/tutorials/*.md is run
 * through the npm bin, and the output the page shows under it must be what the command prints
 * (stdout and stderr together, as a terminal shows them). Pages may abridge: a shown line containing
 * "…" matches any text in its place, and the shown lines need only appear in order (a page may leave
 * lines out). The truth is the program itself; this test is what keeps the pages from drifting.
 *
 * Commands run from a scratch folder holding a link to derivations/, so files they write (--out,
 * > file) land there, never in the repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eomBin, repoRoot } from './helpers/cli.js';

interface Example {
  page: string;
  line: number;
  command: string;
  shown: string[];
}

const PAGES = ['README.md', ...['docs', join('docs', 'tutorials')].flatMap((d) => readdirSync(join(repoRoot, d)).filter((f) => f.endsWith('.md')).map((f) => join(d, f)))];

/** The examples of one page: the command (continuation lines joined) and the lines shown under it. */
function examples(page: string): Example[] {
  const lines = readFileSync(join(repoRoot, page), 'utf8').split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)\$ (?:npx )?eom (.*)$/.exec(lines[i]!);
    if (!m) continue;
    const indent = m[1]!;
    const start = i;
    let command = m[2]!;
    while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
    const shown: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      if (next.trim() === '' || next.startsWith('```') || /^\s*\$ /.test(next) || !next.startsWith(indent)) break;
      shown.push(next.slice(indent.length));
      i++;
    }
    out.push({ page, line: start + 1, command, shown });
  }
  return out;
}

/** `shown` appears in `actual` in order, a "…" in a shown line standing for any text. */
function appearsIn(shown: readonly string[], actual: readonly string[]): string | undefined {
  let at = 0;
  for (const s of shown) {
    if (s.trim() === '…' || s.trim() === '...') continue;
    const pattern = new RegExp(`^${s.trimEnd().split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    while (at < actual.length && !pattern.test(actual[at]!.trimEnd())) at++;
    if (at === actual.length) return s;
    at++;
  }
  return undefined;
}

const all = PAGES.flatMap(examples);
const work = mkdtempSync(join(tmpdir(), 'eom-docs-'));
symlinkSync(join(repoRoot, 'derivations'), join(work, 'derivations'), 'dir');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the examples in the documentation', () => {
  it('are found (every page with `$ eom` lines)', () => {
    expect(all.length).toBeGreaterThan(60);
  });

  it.each(all.map((e) => [`${e.page}:${e.line}`, e] as const))('%s', (_, e) => {
    const r = spawnSync('bash', ['-c', `eom() { "${process.execPath}" "${eomBin}" "$@"; }; eom ${e.command}`], { cwd: work, encoding: 'utf8', timeout: 60_000, env: { ...process.env, EOM_PROGRESS: '0' } });
    const actual = `${r.stdout}${r.stderr}`.split('\n');
    expect(r.status === 0 || /^eom: error: /m.test(r.stderr), `${e.command}: exit ${r.status}\n${r.stderr}`).toBe(true);
    const missing = appearsIn(e.shown, actual);
    expect(missing, `shown under "$ eom ${e.command}" but not printed:\n${missing}\n--- printed:\n${actual.slice(0, 40).join('\n')}`).toBeUndefined();
  });
});
