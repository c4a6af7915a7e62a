/**
 * A report of a loss with more than two parameters says why it has no trajectory plot and how to
 * get one (--axes), instead of leaving the plot out silently; with --axes it draws it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eomInProcess } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eom-axes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const args = ['--loss', 'x^2 + 2*y^2 + 3*z^2 + x*y*z', '--init', 'x=0.5,y=0.4,z=0.3', '--lr', '0.05', '--steps', '20', '--order', '0'];

describe('eom report with three parameters', () => {
  it('without --axes: a note naming --axes in place of the trajectory plot', async () => {
    const out = join(dir, 'three.html');
    expect((await eomInProcess('report', ...args, '--out', out)).status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('No trajectory plot: it shows two of the 3 parameters, named with --axes (e.g. --axes x,y).');
    expect(html).not.toContain('iterates (grey dots) and the flows started at θ₀');
  });

  it('with --axes x,z: the plot, and no note', async () => {
    const out = join(dir, 'axes.html');
    expect((await eomInProcess('report', ...args, '--axes', 'x,z', '--out', out)).status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('iterates (grey dots) and the flows started at θ₀');
    expect(html).not.toContain('No trajectory plot');
  });
});
