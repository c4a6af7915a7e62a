/**
 * Issue 15, items 2–5: object-prototype names at every entry point, real-sized losses and
 * --loss-file, outputs that state their inputs, one naming of subexpressions, and messages that
 * say what is wrong. The CLI runs in this process (eomInProcess); expected values are by hand.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Loss } from '../src/loss/loss.js';
import { LossError } from '../src/loss/errors.js';
import { lossCounterTerms } from '../src/loss/counterTerms.js';
import { lossCounterTermsJson, lossCounterTermsLatex, lossCounterTermsText } from '../src/loss/render.js';
import { PolyPrinter } from '../src/loss/print.js';
import { simulationProblem } from '../src/simulate/problem.js';
import { reportLatex } from '../src/report/reportData.js';
import { parseDerivation, runDerivation } from '../src/check/index.js';
import { counterTerms, eomMatchers } from '../src/testing/index.js';
import { eomkitVersion } from '../src/version.js';
import { eomInProcess, type CliResult } from './helpers/cli.js';

expect.extend(eomMatchers);

/** Names that are properties of every plain object. */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

function expectOneLineError(r: CliResult, message?: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^eom: error: /);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  if (message) expect(r.stderr).toMatch(message);
}

const lossError = (f: () => unknown): LossError => {
  try {
    f();
  } catch (e) {
    if (e instanceof LossError) return e;
    throw e;
  }
  throw new Error('expected a LossError');
};

describe('object-prototype names are ordinary names', () => {
  describe.each(PROTO_NAMES)('%s', (name) => {
    it('as a parameter: derive --loss, simulate --init, --vars', async () => {
      // L = n²·y: g = (2ny, n²), by hand.
      const d = await eomInProcess('derive', '--loss', `${name}^2*y`, '--order', '0');
      expect(d.status).toBe(0);
      expect(d.stdout).toContain(`parameters: ${name}, y\n`);
      expect(d.stdout).toContain(`gradient g:\n  ${name}: 2*${name}*y\n  y: ${name}^2\n`);
      const v = await eomInProcess('derive', '--loss', `${name}^2*y`, '--vars', `y,${name}`, '--order', '0', '--format', 'json');
      expect(JSON.parse(v.stdout).vars).toEqual(['y', name]);
      // GD on n² + y² from (1, 1) at η = 0.1: θ ← 0.8 θ.
      const s = await eomInProcess('simulate', '--loss', `${name}^2 + y^2`, '--init', `${name}=1,y=1`, '--steps', '1', '--order', '0', '--format', 'json');
      expect(s.status).toBe(0);
      const sim = JSON.parse(s.stdout);
      expect(Object.keys(sim.init)).toEqual([name, 'y']);
      expect(sim.gd[1][0]).toBeCloseTo(0.8, 15);
    });

    it('as a constant given by --set (in the loss or not)', async () => {
      // n·x² with n = 2: g = 4x.
      const d = await eomInProcess('derive', '--loss', `${name}*x^2`, '--set', `${name}=2`, '--order', '0');
      expect(d.status).toBe(0);
      expect(d.stdout).toContain('parameters: x\n');
      expect(d.stdout).toContain(`constants set: ${name} = 2\n`);
      expect(d.stdout).toContain('gradient g:\n  x: 4*x\n');
      // Not in the loss: refused, never silently ignored.
      expectOneLineError(await eomInProcess('derive', '--loss', 'a*x^2', '--set', `${name}=2`, '--order', '0'), new RegExp(`--set: "${name.replace(/_/g, '_')}" does not occur`));
    });

    it('as a symbolic constant and as a symbolic weight decay', async () => {
      const d = await eomInProcess('derive', '--loss', `${name}*x^2 + y^2`, '--vars', 'x,y', '--order', '0');
      expect(d.status).toBe(0);
      expect(d.stdout).toContain(`constants: ${name}\n`);
      expect(d.stdout).toContain(`  x: 2*${name}*x\n`);
      // x² + n/2·x²: g = (2 + n)x.
      const w = await eomInProcess('derive', '--loss', 'x^2', '--weight-decay', name, '--order', '0');
      expect(w.status).toBe(0);
      expect(w.stdout).toContain(`weight decay: ${name}/2 ‖θ‖² added\n`);
      expect(w.stdout).toContain(`  x: 2*x + ${name}*x\n`);
      const ws = await eomInProcess('derive', '--loss', 'x^2', '--weight-decay', name, '--set', `${name}=2`, '--order', '0');
      expect(ws.stdout).toContain('  x: 4*x\n');
    });

    it('in simulate --init (an unknown name is named) and in the library', async () => {
      expectOneLineError(await eomInProcess('simulate', '--loss', 'x^2 + y^2', '--init', `${name}=1,y=1`, '--steps', '1'), new RegExp(`--init: "${name}" is not a parameter`));
      const p = simulationProblem({ loss: 'x^2 + y^2', init: JSON.parse(`{"x": 1, "y": 1}`), maxOrder: 0 });
      expect([...p.init]).toEqual([1, 1]);
      expect(() => simulationProblem({ loss: 'x^2', init: JSON.parse(`{"x": 1, "${name}": 2}`), maxOrder: 0 })).toThrow(/is not a parameter/);
      expect(() => simulationProblem({ loss: `x^2 + ${name}*x`, init: { x: 1 }, maxOrder: 0, vars: ['x'] })).toThrow(new RegExp(`${name.replace(/_/g, '_')} needs a value`));
      const withValue = simulationProblem({ loss: `x^2 + ${name}*x`, init: { x: 1 }, maxOrder: 0, vars: ['x'], constants: JSON.parse(`{"${name}": 2}`) });
      expect(withValue.compiled.gradient(new Float64Array([1]))[0]).toBe(4); // 2x + 2 at x = 1
      // Loss.parse with values from JSON (own property "__proto__" included).
      const l = Loss.parse(`${name}*x^2`, { values: JSON.parse(`{"${name}": "3"}`) });
      expect(l.vars).toEqual(['x']);
      expect(new PolyPrinter(l).mathjs(l.gradient()[0]!)).toBe('6*x');
    });

    it('in symmetry, validate and report', async () => {
      const sym = await eomInProcess('symmetry', '--loss', `logsumexp(${name}, z2) - ${name}`, '--kind', 'translation', '--order', '0');
      expect(sym.status).toBe(0);
      const val = await eomInProcess('validate', '--loss', `${name}^2 + y^2`, '--init', `${name}=1,y=0.5`, '--order', '0', '--lrs', '0.02,0.01', '--horizon', '0.04', '--format', 'json');
      expect(val.stderr).not.toMatch(/internal error/);
      expect([0, 1]).toContain(val.status);
      expect(Object.keys(JSON.parse(val.stdout).init)).toEqual([name, 'y']);
    });

    it('in a derivation file and in eomkit/testing', () => {
      const file = {
        name: 'proto',
        source: 'derived here',
        inputs: { loss: `${name}*x^2`, values: { [name]: '2' } },
        claims: [{ kind: 'symbolic', name: 'g', expression: 'g - 4*theta' }],
      };
      // JSON.parse keeps "__proto__" as an own key, as a file on disk does.
      const d = parseDerivation(JSON.parse(JSON.stringify(file)), 'proto.json');
      expect(runDerivation(d).passed).toBe(true);
      const unused = parseDerivation(JSON.parse(JSON.stringify({ ...file, inputs: { loss: 'x^2', values: { [name]: '2' } } })), 'unused.json');
      expect(() => runDerivation(unused)).toThrow(new RegExp(`unused.json: inputs: --set: "${name}" does not occur in the loss`));
      // A loop variable with such a name, and a loss using it.
      expect(counterTerms(`${name}^2 + y^2`, 0)).toSatisfyIdentity('xi(0) - g');
      expect(counterTerms('x^2', 0)).toSatisfyIdentity(`xi(0) - ${name}*g`, { for: JSON.parse(`{"${name}": [1, 1]}`) });
    });
  });

  it('--weight-decay constructor does not crash; NaN and Infinity are not names', async () => {
    for (const wd of ['NaN', 'Infinity']) {
      expectOneLineError(await eomInProcess('derive', '--loss', 'x^2', '--weight-decay', wd), new RegExp(`--weight-decay must be a finite number or a name, got "${wd}"`));
    }
  });
});

describe('real-sized losses', () => {
  it('a sum of 2000 terms and a product of 300 factors parse', () => {
    // Σ_{i=1}^{2000} (x − i/1000)²: g = 2·2000·x − 2·Σ i/1000 = 4000x − 4002 (Σ i = 2001000).
    const sum = Array.from({ length: 2000 }, (_, i) => `(x - ${(i + 1) / 1000})^2`).join(' + ');
    const l = Loss.parse(sum);
    expect(new PolyPrinter(l).mathjs(l.gradient()[0]!)).toBe('4000*x - 4002');
    const diff = Array.from({ length: 600 }, (_, i) => `x*${i % 3}`).join(' - ');
    // x² − Σ_{i<600} (i mod 3)·x: Σ (i mod 3) = 200·(0 + 1 + 2) = 600, so g = 2x − 600.
    const d = Loss.parse(`x^2 - ${diff}`);
    expect(new PolyPrinter(d).mathjs(d.gradient()[0]!)).toBe('2*x - 600');
    const product = Array.from({ length: 300 }, () => 'exp(x/300)').join(' * ');
    const p = Loss.parse(product);
    // Π exp(x/300) over 300 factors is e^x, its own derivative: 300 · (1/300) · exp(x/300)^300.
    expect(new PolyPrinter(p).mathjs(p.gradient()[0]!)).toBe('exp(1/300*x)^300');
  });

  it('power limits are one rule: |exponent| ≤ 256, also when nested', () => {
    expect(() => Loss.parse('x^65')).not.toThrow();
    expect(() => Loss.parse('(x^10)^10')).not.toThrow();
    expect(() => Loss.parse('x^256')).not.toThrow();
    expect(lossError(() => Loss.parse('x^257')).message).toMatch(/exponent 257 is too large: powers are limited to \|exponent\| ≤ 256/);
    expect(lossError(() => Loss.parse('(x^16)^17')).message).toMatch(/expands to degree 272, beyond 256/);
    // A huge exponent is shown short, not as 301 digits.
    const e = lossError(() => Loss.parse('x^1e300'));
    expect(e.message).toMatch(/exponent 1\.00e\+300 is too large/);
    expect(e.message).not.toMatch(/\d{30}/);
  });

  it('a loss over several lines, with comments, from --loss-file or stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eom-loss-'));
    const file = join(dir, 'loss.txt');
    writeFileSync(file, '# a loss over two lines\n(x - 1)^2   # the x part\n  + 3*y^2\n');
    const r = await eomInProcess('derive', '--loss-file', file, '--order', '0');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('loss: (x - 1)^2 + 3*y^2\n');
    expect(r.stdout).toContain('gradient g:\n  x: 2*x - 2\n  y: 6*y\n');
    const inline = await eomInProcess('derive', '--loss', 'x^2 +\n y^2', '--order', '0');
    expect(inline.status).toBe(0);
    // An error in line 3 says so.
    writeFileSync(file, 'x^2\n + y^2\n + @\n');
    expectOneLineError(await eomInProcess('derive', '--loss-file', file), /\(line 3, column 4\)$/m);
    expectOneLineError(await eomInProcess('derive', '--loss-file', '/dev/zero'), /--loss-file: "\/dev\/zero" is not a regular file/);
    expectOneLineError(await eomInProcess('derive', '--loss-file', dir), /is not a regular file/);
    expectOneLineError(await eomInProcess('derive', '--loss-file', join(dir, 'missing')), /cannot open .*ENOENT/);
    expectOneLineError(await eomInProcess('derive', '--loss-file', file, '--loss', 'x^2'), /alternatives/);
    writeFileSync(file, 'x^2 + '.repeat(40_000) + 'x');
    expectOneLineError(await eomInProcess('derive', '--loss-file', file), /larger than 200000 bytes/);
    for (const cmd of [['simulate', '--init', 'x=1,y=1', '--steps', '1'], ['symmetry', '--kind', 'scale'], ['validate', '--init', 'x=1,y=1'], ['report', '--init', 'x=1,y=1']]) {
      const help = await eomInProcess(cmd[0]!, '--help');
      expect(help.stdout).toContain('--loss-file <path>');
    }
  });
});

describe('outputs carry every input that determines them', () => {
  const r = lossCounterTerms('a*x^2 + b*y^2', { values: new Map([['b', '1/3']]), weightDecay: 'lambda', vars: ['y', 'x'], order: 0 });

  it('text, LaTeX and JSON state the constants set, weight decay, method and version', () => {
    const text = lossCounterTermsText(r);
    expect(text).toContain('parameters: y, x\nconstants: a, lambda\nconstants set: b = 1/3\nweight decay: lambda/2 ‖θ‖² added\nmethod: gd\n');
    expect(text).toContain(`eomkit: ${eomkitVersion()}\n`);
    const latex = lossCounterTermsLatex(r);
    expect(latex).toMatch(/^% loss: a\*x\^2 \+ b\*y\^2\n/);
    expect(latex).toContain('% constants set: b = 1/3\n% weight decay: lambda/2 ‖θ‖² added\n% method: gd\n');
    const doc = lossCounterTermsLatex(r, { standalone: true });
    expect(doc).toContain('Constants set: $b = \\frac{1}{3}$.');
    expect(doc).toContain(`Derived by eomkit ${eomkitVersion()}`);
    const json = lossCounterTermsJson(r);
    expect(json).toMatchObject({ vars: ['y', 'x'], constants: ['a', 'lambda'], values: { b: '1/3' }, weightDecay: 'lambda', method: 'gd', eomkit: eomkitVersion() });
    // ξ_0 = ½ H g by hand: y: H_yy g_y /2 = ½(2/3 + λ)²y = (2/9 + 2/3 λ + ½λ²)y.
    expect(json.xi[0]!.components['y']).toBe('2/9*y + 2/3*lambda*y + 1/2*lambda^2*y');
  });

  it('simulate and validate JSON state weight decay, constants and version', async () => {
    const s = await eomInProcess('simulate', '--loss', 'a*x^2 + y^2', '--set', 'a=0.5', '--weight-decay', '0.1', '--init', 'y=1,x=2', '--vars', 'y,x', '--steps', '1', '--order', '0', '--format', 'json');
    expect(s.status).toBe(0);
    const j = JSON.parse(s.stdout);
    expect(j).toMatchObject({ vars: ['y', 'x'], weightDecay: '0.1', constants: { a: 0.5 }, eomkit: eomkitVersion() });
    expect(Object.keys(j.init)).toEqual(['y', 'x']); // --vars order, not --init's
  });

  it('subexpressions have the same names in text, LaTeX and the report', () => {
    // A loss whose parse creates atoms (exp, log) that its gradient does not use: the report named
    // sigmoid(-x*y) s4 while the text named it s1.
    const source = 'log(1 + exp(-x*y)) + sin(x)*exp(y)';
    const lc = lossCounterTerms(source, { order: 1 });
    const text = lossCounterTermsText(lc);
    expect(text).toContain('where\n  s1 = sigmoid(-x*y)\n  s2 = cos(x)\n  s3 = exp(y)\n  s4 = sin(x)\n');
    const latex = lossCounterTermsLatex(lc);
    expect(latex).toContain('s_{1} &= \\sigma\\left(-x y\\right)');
    const report = reportLatex(simulationProblem({ loss: source, init: { x: 0.5, y: 0.2 }, maxOrder: 2 }), 1);
    expect(report.definitions[0]).toEqual(['s_{1}', '\\sigma\\left(-x y\\right)']);
    expect(report.definitions.map(([n]) => n).slice(0, 4)).toEqual(['s_{1}', 's_{2}', 's_{3}', 's_{4}']);
  });

  it('report --axes picks the plotted pair; a wrong pair is one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eom-axes-'));
    const out = join(dir, 'r.html');
    const args = ['report', '--loss', 'x^2 + y^2 + z^2', '--init', 'x=1,y=0.5,z=0.2', '--order', '0', '--steps', '4', '--lrs', '0.2,0.1', '--out', out];
    expectOneLineError(await eomInProcess(...args, '--axes', 'x,w'), /--axes: "w" is not a parameter of the loss \(parameters: x, y, z\)/);
    expectOneLineError(await eomInProcess(...args, '--axes', 'x,x'), /two different parameters/);
    const r = await eomInProcess(...args, '--axes', 'z,x');
    expect(r.status).toBe(0);
    const html = (await import('node:fs')).readFileSync(out, 'utf8');
    expect(html).toMatch(/Trajectories from θ₀/);
    expect(html).toContain('start θ₀</th><td>x = 1, y = 0.5, z = 0.2');
  }, 60_000);
});

describe('messages that say what is wrong', () => {
  it.each([
    [['derive', '--loss', 'θ^2'], /"θ" is not a valid name: names are ASCII letters, digits and _, not starting with a digit \(write theta for θ\)/],
    [['derive', '--loss', 'floor(x)'], /floor is not smooth: .*piecewise constant .*remove it from the loss/],
    [['derive', '--order', '50'], /--order 50 is too large: the largest order that fits in this process's memory is \d+ \(each order/],
    [['derive', '--loss', 'x^2', '--weight-decay', 'x'], /the loss has no parameters left: "x" is a constant \(given by --set or --weight-decay\)/],
    [['simulate', '--loss', 'x^2', '--init', 'x=0x10'], /--init x must be a finite number \(0\.5, 1e-3, 1\/3\), got "0x10"/],
    [['derive', '--loss', 'x^1e300'], /exponent 1\.00e\+300 is too large/],
  ])('%j', async (args, message) => {
    const r = await eomInProcess(...args);
    expectOneLineError(r, message);
    expect(r.stderr).not.toMatch(/nothing smooth; drop it|GiB|\d{30}/);
  });

  it('--init takes fractions like --set does', async () => {
    const r = await eomInProcess('simulate', '--loss', 'x^2', '--init', 'x=1/2', '--steps', '1', '--order', '0', '--format', 'json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).init).toEqual({ x: 0.5 });
  });
});
