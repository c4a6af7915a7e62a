/**
 * `eom check` through the CLI's main() in this process (helpers/cli.ts: eomInProcess). Derivation files are written to a
 * temporary folder; the shipped derivations are run in-process by test/derivations.test.ts.
 *
 * Independent truths: ξ_0 = ½Hg (Miyagawa, NeurIPS 2022), so ξ_0 − ⅓Hg = ⅙Hg ≠ 0; the exit
 * statuses and formats documented in `eom check --help`.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { eomInProcess, expectUserError } from './helpers/cli.js';
import { MAX_DERIVATION_BYTES } from '../src/check/load.js';

const dir = mkdtempSync(join(tmpdir(), 'eomkit-check-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};

const derivation = (name: string, expression: string) => ({
  name,
  title: `${name} title`,
  source: 'Miyagawa, NeurIPS 2022',
  inputs: { abstract: true },
  claims: [{ kind: 'symbolic', name: `${name} claim`, expression }],
});

mkdirSync(join(dir, 'both'));
const passing = write(join('both', 'a-pass.json'), derivation('xi-zero', 'xi(0) - 1/2*H*g'));
const failing = write(join('both', 'b-fail.json'), derivation('xi-zero-wrong', 'xi(0) - 1/3*H*g'));
mkdirSync(join(dir, 'nothing'));
write(join('nothing', 'readme.txt'), 'no derivations here');
const malformed = write('malformed.json', '{ "name": "x", ');
const badLoss = write('bad-loss.json', { ...derivation('bad-loss', 'g'), inputs: { loss: 'x^' } });
const badField = write('bad-field.json', { ...derivation('bad-field', 'g'), claims: [{ kind: 'symbolic', name: 'c', expression: 'g', for: { k: [2, 0] } }] });

describe('eom check', () => {
  test('a passing derivation: exit 0, a pass line, the summary', async () => {
    const r = await eomInProcess('check', passing);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${passing}: xi-zero title (Miyagawa, NeurIPS 2022)`);
    expect(r.stdout).toMatch(/^ {2}pass {2}xi-zero claim: exact: xi\(0\) - 1\/2\*H\*g = 0$/m);
    expect(r.stdout).toMatch(/^1 passed, 0 failed \(1 derivation\)$/m);
  });

  test('a failing claim: exit 1, a FAIL line with the residual ⅙Hg', async () => {
    // Source: ξ_0 = ½Hg (Miyagawa 2022), so ξ_0 − ⅓Hg leaves ⅙ H g.
    const r = await eomInProcess('check', failing);
    expect(r.status).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.includes('FAIL'));
    expect(line).toBeDefined();
    expect(line).toMatch(/FAIL {2}xi-zero-wrong claim: xi\(0\) - 1\/3\*H\*g ≠ 0; residual .*1\/6/);
    expect(line).toMatch(/H g/);
    expect(r.stdout).toMatch(/^0 passed, 1 failed \(1 derivation\)$/m);
  });

  test('--format json over a folder: passed, derivations, claims (exit 1 when one fails)', async () => {
    const r = await eomInProcess('check', join(dir, 'both'), '--format', 'json');
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.passed).toBe(false);
    // files in a folder run in name order
    expect(json.derivations.map((d: { name: string; passed: boolean }) => [d.name, d.passed])).toEqual([
      ['xi-zero', true],
      ['xi-zero-wrong', false],
    ]);
    const [ok, bad] = json.derivations as { file: string; source: string; claims: { name: string; kind: string; passed: boolean; detail: string; cases: number }[] }[];
    expect(ok!.file).toBe(passing);
    expect(ok!.source).toBe('Miyagawa, NeurIPS 2022');
    expect(ok!.claims).toEqual([{ name: 'xi-zero claim', kind: 'symbolic', passed: true, detail: 'exact: xi(0) - 1/2*H*g = 0', cases: 1 }]);
    expect(bad!.claims[0]!.passed).toBe(false);
    expect(bad!.claims[0]!.detail).toMatch(/residual .*1\/6/);
  });

  test('--only runs the named derivations; an unknown name is refused with the known ones', async () => {
    const only = await eomInProcess('check', join(dir, 'both'), '--only', 'xi-zero');
    expect(only.status, only.stderr).toBe(0);
    expect(only.stdout).not.toContain('xi-zero-wrong');
    expect(only.stdout).toMatch(/^1 passed, 0 failed \(1 derivation\)$/m);
    expectUserError(await eomInProcess('check', join(dir, 'both'), '--only', 'xi-zero,nope'), /--only: no derivation named "nope" \(known: xi-zero, xi-zero-wrong\)/);
  });

  test('malformed JSON, a bad field, a bad loss, a missing path, a folder without .json: exit 2, one line', async () => {
    expectUserError(await eomInProcess('check', malformed), /malformed\.json: not valid JSON/);
    expectUserError(await eomInProcess('check', badLoss), /bad-loss\.json: inputs: cannot parse the loss/);
    expectUserError(await eomInProcess('check', badField), /bad-field\.json: claims\[0\]\.for\.k: must be \[from, to\] with from ≤ to/);
    expectUserError(await eomInProcess('check', join(dir, 'missing.json')), /missing\.json: no such file or folder/);
    expectUserError(await eomInProcess('check', join(dir, 'nothing')), /nothing: the folder has no \.json derivation files/);
  });

  test('a claim beyond the order limit is a malformed file (exit 2), not a failed claim', async () => {
    const beyond = write('beyond.json', derivation('beyond', 'xi(11)'));
    expectUserError(await eomInProcess('check', beyond), /beyond\.json: claims\[0\] \("beyond claim"\): claims go up to order 10, got 11$/m);
    const loop = write('beyond-loop.json', { ...derivation('beyond-loop', 'g'), claims: [{ kind: 'symbolic', name: 'loop', expression: 'xi(k) - xi(k)', for: { k: [9, 12] } }] });
    expectUserError(await eomInProcess('check', loop), /beyond-loop\.json: claims\[0\] \("loop"\): claims go up to order 10, got 11/);
    const concrete = write('beyond-loss.json', { ...derivation('beyond-loss', 'g'), inputs: { loss: 'x^4' }, claims: [derivation('x', 'g').claims[0], { kind: 'symbolic', name: 'far', expression: 'xi(12)' }] });
    expectUserError(await eomInProcess('check', concrete), /beyond-loss\.json: claims\[1\] \("far"\): claims go up to order 10, got 12/);
    const trees = write('big-trees.json', derivation('big-trees', 'H^64*g'));
    expectUserError(await eomInProcess('check', trees), /big-trees\.json: claims\[0\] \("big-trees claim"\): the claim builds trees with 15 nodes/);
  });

  test('SGD inputs: a true law exits 0, a wrong one 1, malformed batches and an order beyond 4 exit 2 with one line', async () => {
    // Smith et al. (ICLR 2021): random reshuffling has ξ_0 = 1/(2m) Σ_k H_k g_k; GD's ½Hg is wrong for two different batches.
    const sgd = (name: string, expression: string, inputs: Record<string, unknown> = {}) =>
      write(`${name}.json`, { ...derivation(name, expression), inputs: { batches: ['x^2*y', '(x - y)^3'], sampling: 'shuffle', ...inputs } });
    const ok = await eomInProcess('check', sgd('sgd-smith', 'xi(0) - 1/(2*m)*(Hb(1)*gb(1) + Hb(2)*gb(2))'));
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/pass {2}sgd-smith claim: exact/);
    const wrong = await eomInProcess('check', sgd('sgd-gd', 'xi(0) - 1/2*H*g'));
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/FAIL {2}sgd-gd claim: xi\(0\) - 1\/2\*H\*g ≠ 0; residual component x: /);
    expectUserError(await eomInProcess('check', sgd('sgd-empty', 'g', { batches: [] })), /sgd-empty\.json: inputs\.batches: must be a list of at least 1$/m);
    expectUserError(await eomInProcess('check', sgd('sgd-loss', 'g', { loss: 'x^2' })), /sgd-loss\.json: inputs: give "batches" or "loss", not both/);
    expectUserError(await eomInProcess('check', sgd('sgd-sampling', 'g', { sampling: 'sometimes' })), /sgd-sampling\.json: inputs\.sampling: must be "shuffle" or "cyclic"$/m);
    expectUserError(await eomInProcess('check', sgd('sgd-m', 'g', { batches: ['m*x^2', 'x'], vars: ['x'] })), /sgd-m\.json: inputs: "m" is the number of batches in SGD claims; rename it in the batch losses$/m);
    expectUserError(await eomInProcess('check', sgd('sgd-far', 'xi(5)')), /sgd-far\.json: claims\[0\] \("sgd-far claim"\): ξ_5 is beyond the order 4 these counter terms were built for$/m);
  });

  test('only regular files up to 1 MiB are read: devices, FIFOs and huge files are refused up front', async () => {
    expectUserError(await eomInProcess('check', '/dev/zero'), /^eom: error: \/dev\/zero: not a regular file; derivations are \.json files$/m);
    const fifo = join(dir, 'pipe.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expectUserError(await eomInProcess('check', fifo), /pipe\.json: not a regular file/);
    mkdirSync(join(dir, 'odd'));
    mkdirSync(join(dir, 'odd', 'folder.json'));
    expectUserError(await eomInProcess('check', join(dir, 'odd')), /folder\.json: not a regular file/);
    // Valid JSON of 1 MiB + 1 byte (leading spaces): refused by its size, not parsed.
    const huge = write('huge.json', ' '.repeat(MAX_DERIVATION_BYTES + 1 - JSON.stringify(derivation('huge', 'g')).length) + JSON.stringify(derivation('huge', 'g')));
    expectUserError(await eomInProcess('check', huge), /huge\.json: 1048577 bytes; derivation files are at most 1048576 bytes \(1 MiB\)/);
    const justFits = write('fits.json', ' '.repeat(MAX_DERIVATION_BYTES - JSON.stringify(derivation('fits', 'xi(0) - 1/2*H*g')).length) + JSON.stringify(derivation('fits', 'xi(0) - 1/2*H*g')));
    expect((await eomInProcess('check', justFits)).status).toBe(0);
  });

  test('--help has examples and the exit statuses', async () => {
    const r = await eomInProcess('check', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: eom check/);
    expect(r.stdout).toMatch(/Examples:\n\s+eom check/);
    expect(r.stdout).toMatch(/--format json/);
    expect(r.stdout).toMatch(/Exit status: 0 all claims hold, 1 a claim failed, 2 a file is malformed/);
  });
});
