/**
 * Every CLI entry point driven with random names, numbers and paths (issue 15): whatever the
 * input, no crash and no stack trace; an exit status of 0–3; bad input is exit 2 with exactly one
 * line on stderr and nothing on stdout. Runs in this process through main() (no spawns).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eomInProcess } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eom-prop-'));
const lossFile = join(dir, 'loss.txt');
writeFileSync(lossFile, '(x - 1)^2\n + y^2 # two lines\n');
const badJson = join(dir, 'bad.json');
writeFileSync(badJson, '{"name": "x", "inputs": {"loss": "x^2", "values": {"__proto__": "2"}}, "claims": []}');

const PROTO = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const name = fc.oneof(fc.constantFrom(...PROTO, 'x', 'y', 'a', 'lambda', 'θ', 'e', 'pi', 'sin', 'NaN', 'x y', ''), fc.string({ maxLength: 6 }));
const num = fc.oneof(
  fc.constantFrom('0.5', '1/3', '-2', '0', '1e-3', '0.1', 'NaN', 'Infinity', '0x10', '1/0', '1e400', 'abc', '', ' 1 '),
  fc.double({ noNaN: false }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);
/** Paths that read harmlessly; nothing here is ever written except inside `dir`. */
const readPath = fc.oneof(
  fc.constantFrom('/dev/zero', '/dev/null', dir, '/nonexistent/x', lossFile, badJson, '-nope', 'derivations/published-xi0-xi1.json'),
  fc.string({ maxLength: 8 }).map((p) => (p === '-' ? '--' : p)), // '-' is stdin, which a test must not wait on
);
const outPath = fc.constantFrom('/dev/null', '/dev/zero', dir, '/nonexistent/r.html', join(dir, 'r.html'), join(dir, 'sub', 'r.svg'));
const loss = fc.oneof(
  name.map((n) => `${n}^2 + y^2`),
  fc.tuple(name, name).map(([n, m]) => `${n}*x^2 + log(1 + exp(-x*${m}))`),
  fc.constantFrom('x^2 + y^2', 'floor(x)', 'x^1e300', 'x^2 +\n y^2', 'θ^2', '(x^10)^10', 'x/0', ''),
  fc.string({ maxLength: 12 }),
);
const opt = <T extends string>(flag: string, value: fc.Arbitrary<T>) => fc.option(value.map((v) => [flag, v]), { nil: undefined });
const flat = (parts: (string[] | undefined)[]) => parts.flatMap((p) => p ?? []);
const assignments = fc.tuple(name, num, name, num).map(([a, x, b, y]) => `${a}=${x},${b}=${y}`);
const lossOptions = fc.tuple(
  fc.oneof(loss.map((l) => ['--loss', l]), readPath.map((p) => ['--loss-file', p])),
  opt('--vars', fc.array(name, { maxLength: 3 }).map((v) => v.join(','))),
  opt('--set', fc.tuple(name, num).map(([n, v]) => `${n}=${v}`)),
  opt('--weight-decay', fc.oneof(name, num)),
);

const commands = {
  derive: fc
    .tuple(lossOptions, opt('--order', fc.constantFrom('0', '1', 'abc', '50', '-1')), opt('--format', fc.constantFrom('text', 'json', 'latex', 'markdown', 'pdf')))
    .map(([l, ...rest]) => ['derive', ...flat([...l, ...rest])]),
  simulate: fc
    .tuple(lossOptions, opt('--init', assignments), opt('--lr', num), opt('--steps', fc.constantFrom('1', '2', '0', 'x')), opt('--format', fc.constantFrom('table', 'json', 'csv')))
    .map(([l, ...rest]) => ['simulate', ...flat([...l, ...rest]), '--order', '0']),
  validate: fc
    .tuple(lossOptions, opt('--init', assignments), opt('--lrs', fc.tuple(num, num).map(([a, b]) => `${a},${b}`)))
    .map(([l, ...rest]) => ['validate', ...flat([...l, ...rest]), '--order', '0', '--horizon', '0.2']),
  symmetry: fc
    .tuple(lossOptions, opt('--kind', fc.oneof(fc.constantFrom('scale', 'translation'), name)), opt('--group', fc.array(name, { maxLength: 2 }).map((g) => g.join(','))))
    .map(([l, ...rest]) => ['symmetry', ...flat([...l, ...rest]), '--order', '0']),
  report: fc
    .tuple(lossOptions, opt('--init', assignments), opt('--axes', fc.tuple(name, name).map(([a, b]) => `${a},${b}`)), opt('--out', outPath))
    .map(([l, ...rest]) => ['report', ...flat([...l, ...rest]), '--order', '0', '--steps', '2', '--lrs', '0.2,0.1']),
  // At least one path, inside the scratch folder: none (or ".") would run every shipped derivation.
  check: fc.tuple(fc.array(fc.oneof(fc.constantFrom('/nonexistent/x', badJson, lossFile) /* /dev/zero: issue 15 item 6 */, fc.string({ maxLength: 8 }).map((p) => join(dir, p))), { minLength: 1, maxLength: 2 }), opt('--only', name)).map(([paths, only]) => ['check', ...paths, ...flat([only])]),
};

describe('every command, random input: no crash, one-line errors', () => {
  it.each(Object.entries(commands))('%s', async (_command, args) => {
    await fc.assert(
      fc.asyncProperty(args, async (argv) => {
        const r = await eomInProcess(...argv);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at |Error: /);
        expect([0, 1, 2, 3]).toContain(r.status);
        if (r.status === 2) {
          expect(r.stdout).toBe('');
          expect(r.stderr).toMatch(/^eom: error: [^\n]*\n$/);
        }
      }),
      { numRuns: 25 },
    );
  }, 600_000);
});
