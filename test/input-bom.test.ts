/**
 * Files saved with a UTF-8 byte-order mark (as Windows editors write them) read as without one:
 * --loss-file, --tableau and --data. Truth: the same command with the same file minus its BOM.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eomInProcess } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eom-bom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BOM = '\uFEFF';
/** The path of `text` written twice, with and without a BOM. */
const pair = (name: string, text: string) => {
  const plain = join(dir, name);
  const marked = join(dir, `bom-${name}`);
  writeFileSync(plain, text);
  writeFileSync(marked, BOM + text);
  return { plain, marked };
};

describe('a leading byte-order mark', () => {
  it('--loss-file', async () => {
    const f = pair('loss.txt', 'x^2*y + y^4 # a comment\n');
    const want = await eomInProcess('derive', '--loss-file', f.plain, '--order', '1');
    expect(want.status).toBe(0);
    expect(await eomInProcess('derive', '--loss-file', f.marked, '--order', '1')).toEqual(want);
  });

  it('--tableau', async () => {
    const f = pair('heun.json', JSON.stringify({ name: 'heun', a: [[0, 0], [1, 0]], b: ['1/2', '1/2'] }));
    const want = await eomInProcess('derive', '--tableau', f.plain, '--order', '2');
    expect(want.status).toBe(0);
    expect(await eomInProcess('derive', '--tableau', f.marked, '--order', '2')).toEqual(want);
  });

  it('--data', async () => {
    const f = pair('rows.csv', 'x,y\n1,1\n2,1\n');
    const args = (file: string) => ['derive', '--loss', '(w*x - y)^2', '--data', file, '--batch-size', '1', '--order', '0', '--format', 'json'];
    const want = await eomInProcess(...args(f.plain));
    expect(want.status).toBe(0);
    const got = await eomInProcess(...args(f.marked));
    expect(JSON.parse(got.stdout).xi).toEqual(JSON.parse(want.stdout).xi);
  });
});
