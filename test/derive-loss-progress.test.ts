/**
 * `eom derive --loss … --progress`: one line per built closed form on stderr (a log, whatever stderr
 * is), for gradient descent's tree route and for Adam's slow-manifold route; without --progress, and
 * stderr not a terminal, nothing; stdout is the same either way.
 */
import { describe, expect, it } from 'vitest';
import { eomInProcess } from './helpers/cli.js';

const LOSS = 'x^4/4 - x^2/2 + x*y + y^2';

describe('derive --loss --progress', () => {
  it('writes one line per order, ξ_0 … ξ_K, and leaves stdout unchanged (gradient descent)', async () => {
    const logged = await eomInProcess('derive', '--loss', LOSS, '--order', '2', '--progress');
    const quiet = await eomInProcess('derive', '--loss', LOSS, '--order', '2');
    expect(logged.status).toBe(0);
    expect(logged.stdout).toBe(quiet.stdout);
    expect(quiet.stderr).toBe('');
    const lines = logged.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, k) => expect(line).toMatch(new RegExp(`^eom: ξ_${k} of 2 built \\(\\d+(\\.\\d)? s so far\\)${k < 2 ? `; building ξ_${k + 1}…` : ''}$`)));
  });

  it('writes one line per order for Adam (the slow-manifold route)', async () => {
    const r = await eomInProcess('derive', '--loss', LOSS, '--method', 'adam', '--param', 'beta1=0.9,beta2=0.999,eps=1e-8', '--order', '1', '--progress');
    expect(r.status).toBe(0);
    expect(r.stderr.trimEnd().split('\n').map((l) => l.replace(/\(.*\)/, '(…)'))).toEqual([
      'eom: ξ_0 of 1 built (…); building ξ_1…',
      'eom: ξ_1 of 1 built (…)',
    ]);
  });
});
