/**
 * The coefficient ring of symbolic hyperparameters and how its values are printed, checked against
 * independent arithmetic: polynomial identities by evaluation at integers, factorisations by
 * multiplying back, the Schur–Cohn decision by numerically computed roots, and every printed
 * coefficient by mathjs (an independent parser and evaluator) against exact evaluation.
 */
import fc from 'fast-check';
import { evaluate } from 'mathjs';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CounterTermSolver } from '../src/derive/solver.js';
import { methodRule } from '../src/derive/methods.js';
import { parseTableauJson } from '../src/derive/tableauFile.js';
import { parasiticPolynomial, rootsInsideUnitCircle } from '../src/derive/stability.js';
import { explicitRungeKuttaRule } from '../src/derive/updateRule.js';
import { squareFree } from '../src/series/factor.js';
import { Rational, rational, rationalToNumber, type Fraction } from '../src/series/fraction.js';
import { PolynomialRing, type Polynomial } from '../src/series/polynomial.js';
import { integers } from '../src/series/ring.js';
import { evaluateSymbols, symbolRing } from '../src/series/symbols.js';
import { coefficientStyles } from '../src/notation/coefficients.js';
import { seriesText } from '../src/notation/render.js';
import { counterTermsJson } from '../src/notation/json.js';
import { eomInProcess, expectUserError } from './helpers/cli.js';

const Zb = new PolynomialRing(integers, 'beta');
const polyArb = fc.array(fc.bigInt({ min: -6n, max: 6n }), { minLength: 1, maxLength: 4 }).map((cs) => Zb.fromCoefficients(cs));
/** p(x) by Horner in BigInt: an evaluation that shares nothing with the ring's arithmetic. */
const at = (p: Polynomial<bigint>, x: bigint) => p.reduceRight((acc, c) => acc * x + c, 0n);

describe('Z[β]: ring laws by evaluation at integers', () => {
  it('mul, add and divExact agree with evaluation; gcd divides both and is divisible by every common factor', async () => {
    fc.assert(
      fc.property(polyArb, polyArb, polyArb, (a, b, c) => {
        for (const x of [-3n, -1n, 0n, 2n, 5n]) {
          expect(at(Zb.mul(a, b), x)).toBe(at(a, x) * at(b, x));
          expect(at(Zb.sub(a, b), x)).toBe(at(a, x) - at(b, x));
        }
        if (Zb.isZero(c)) return;
        const ac = Zb.mul(a, c);
        const bc = Zb.mul(b, c);
        expect(Zb.equals(Zb.divExact(ac, c), a)).toBe(true);
        const g = Zb.gcd(ac, bc);
        if (!Zb.isZero(g)) {
          Zb.divExact(ac, g); // throws unless g | ac
          Zb.divExact(bc, g);
          Zb.divExact(g, Zb.primitivePart(c)); // the common factor c (up to content) divides the gcd
        }
      }),
      { numRuns: 200 },
    );
  });

  it('square-free factorisation multiplies back to the input, with factors of positive constant term', async () => {
    const R = symbolRing(['beta']);
    fc.assert(
      fc.property(fc.array(fc.tuple(polyArb, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 3 }), (parts) => {
        const p = parts.reduce((acc, [f, e]) => {
          let out = acc;
          for (let i = 0; i < e; i++) out = Zb.mul(out, f);
          return out;
        }, Zb.one);
        if (Zb.isZero(p)) return;
        const sf = squareFree(R, p);
        let back: Polynomial<bigint> = Zb.fromInteger(sf.unit);
        for (const { factor, multiplicity } of sf.factors) {
          const f = factor as Polynomial<bigint>;
          expect(f.find((c) => c !== 0n)! > 0n).toBe(true);
          for (let i = 0; i < multiplicity; i++) back = Zb.mul(back, f);
        }
        expect(Zb.equals(back, p)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('nested rings Z[β][γ]: gcd((β+γ)(1−β), (β+γ)(γ−2)) = ±(β+γ)', async () => {
    const R = symbolRing(['beta', 'gamma']) as PolynomialRing<Polynomial<bigint>>;
    const inner = R.base as PolynomialRing<bigint>;
    const b = R.constant(inner.x);
    const g = R.x;
    const sum = R.add(b, g);
    const gcd = R.gcd(R.mul(sum, R.sub(R.one, b)), R.mul(sum, R.sub(g, R.fromInteger(2))));
    expect(R.equals(gcd, sum) || R.equals(gcd, R.neg(sum))).toBe(true);
  });
});

describe('Schur–Cohn against numerically computed roots', () => {
  /** Roots of a real polynomial by Durand–Kerner iteration (independent of the exact test). */
  function roots(q: number[]): { re: number; im: number }[] {
    const n = q.length - 1;
    const lead = q[n]!;
    const c = q.map((x) => x / lead);
    let z = Array.from({ length: n }, (_, k) => ({ re: Math.cos(0.4 + (2 * Math.PI * k) / n) * 0.9, im: Math.sin(0.4 + (2 * Math.PI * k) / n) * 0.9 }));
    const mul = (a: { re: number; im: number }, b: { re: number; im: number }) => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
    for (let it = 0; it < 500; it++) {
      z = z.map((zi, i) => {
        let p = { re: 1, im: 0 };
        for (let k = n - 1; k >= 0; k--) p = { re: mul(p, zi).re + c[k]!, im: mul(p, zi).im };
        let d = { re: 1, im: 0 };
        z.forEach((zj, j) => {
          if (j !== i) d = mul(d, { re: zi.re - zj.re, im: zi.im - zj.im });
        });
        const den = d.re * d.re + d.im * d.im;
        return { re: zi.re - (p.re * d.re + p.im * d.im) / den, im: zi.im - (p.im * d.re - p.re * d.im) / den };
      });
    }
    return z;
  }

  it('agrees on random 3-step histories (Σ a_j = 1) whose roots are not near the circle', async () => {
    let decided = 0;
    fc.assert(
      fc.property(fc.integer({ min: -12, max: 12 }), fc.integer({ min: -12, max: 12 }), (p, q) => {
        const a1 = rational(p, 8);
        const a2 = rational(q, 8);
        const a0 = Rational.sub(Rational.sub(Rational.one, a1), a2);
        const poly = parasiticPolynomial([a0, a1, a2]);
        const r = roots(poly.map(rationalToNumber));
        const largest = Math.max(...r.map((x) => Math.hypot(x.re, x.im)));
        if (Math.abs(largest - 1) < 1e-6) return; // on the circle: numerics cannot decide
        decided++;
        expect(rootsInsideUnitCircle(poly)).toBe(largest < 1);
      }),
      { numRuns: 300 },
    );
    expect(decided).toBeGreaterThan(100);
  });
});

describe('printed coefficients are exact and mathjs-parsable', () => {
  const values = [rational(3, 10), rational(-7, 10), rational(9, 10)];
  for (const method of ['heavy-ball', 'nesterov', 'nesterov-lookahead']) {
    it(`${method}: every JSON coefficient of ξ_0 … ξ_3 and c evaluates (mathjs) to the exact value at β = 0.3, −0.7, 0.9`, async () => {
      const rule = methodRule(method, new Map([['beta', undefined]]));
      const solver = new CounterTermSolver(rule);
      const xi = solver.solveThrough(3);
      const json = counterTermsJson({ name: rule.name, description: rule.description, params: rule.params, leading: solver.leading }, xi);
      const R = solver.ring;
      const exactAt = (c: Fraction<unknown>, b: Rational) => {
        const v = new Map([['beta', b]]);
        return Rational.div(evaluateSymbols(R, c.num, v), evaluateSymbols(R, c.den, v));
      };
      for (const b of values) {
        const scope = { beta: rationalToNumber(b) };
        expect(evaluate(json.leading, scope)).toBeCloseTo(rationalToNumber(exactAt(solver.leading, b)), 9);
        json.xi.forEach((order, k) =>
          order.terms.forEach((t, i) => {
            const exact = rationalToNumber(exactAt(xi[k]!.terms()[i]!.coefficient, b));
            expect(Math.abs(evaluate(t.coefficient, scope) - exact)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(exact)));
          }),
        );
      }
      expect(json.params).toEqual({ beta: 'beta' });
      expect(json.leading).toBe('1/(1 - beta)');
    });
  }

  it('text and LaTeX of heavy ball ξ_0: the published (1+β)/(2(1−β)³), denominator factored', async () => {
    const solver = new CounterTermSolver(methodRule('heavy-ball'));
    const xi0 = solver.xi(0);
    expect(seriesText(xi0)).toBe('(1 + beta)/(2*(1 - beta)^3) H g');
    const styles = coefficientStyles(xi0.field);
    expect(styles.exactLatex(xi0.terms()[0]!.coefficient)).toBe('\\frac{1 + \\beta}{2 (1 - \\beta)^{3}}');
    expect(styles.exactLatex(solver.leading)).toBe('\\frac{1}{1 - \\beta}');
    expect(styles.exact(xi0.field.neg(xi0.terms()[0]!.coefficient))).toBe('-(1 + beta)/(2*(1 - beta)^3)');
  });
});

describe('tableau files', () => {
  it("Ralston's method from JSON equals the rule built from the same tableau", async () => {
    const rule = parseTableauJson('{"name": "ralston", "a": [[0, 0], ["2/3", 0]], "b": ["0.25", "3/4"]}');
    const same = explicitRungeKuttaRule('ralston', 'r', { a: [[rational(0), rational(0)], [rational(2, 3), rational(0)]], b: [rational(1, 4), rational(3, 4)] });
    const a = new CounterTermSolver(rule).solveThrough(3);
    const b = new CounterTermSolver(same).solveThrough(3);
    a.forEach((s, k) => expect(s.equals(b[k]!)).toBe(true));
    expect(a[0]!.isZero()).toBe(true); // Ralston is second order: ξ_0 = 0 (GNI Thm IX.1.2)
  });

  it.each([
    ['{"a": [[1]], "b": [1]}', /explicit/],
    ['{"a": [[0]], "b": ["1/2"]}', /add up to 1/],
    ['{"a": [[0]], "b": [0.5]}', /not exact/],
    ['{"a": [[0]], "b": [1], "c": [0]}', /unknown field "c"/],
    ['[1]', /expected an object/],
    ['{"a": [[0]], "b": ["x"]}', /not an exact number/],
  ])('refuses %s', async (text, message) => {
    expect(() => parseTableauJson(text)).toThrow(message);
  });
});

describe('eom derive with methods (CLI)', () => {
  it('heavy ball with β = 9/10 as JSON: exact values, params and leading', async () => {
    const r = await eomInProcess('derive', '--method', 'heavy-ball', '--param', 'beta=0.9', '--order', '0', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.method).toBe('heavy-ball');
    expect(json.params).toEqual({ beta: '9/10' });
    expect(json.leading).toBe('10'); // 1/(1 − 9/10)
    expect(json.xi[0].terms[0].coefficient).toBe('950'); // (1 + 9/10)/(2 (1/10)³)
  });

  it('a tableau file and a written recurrence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eom-tableau-'));
    const file = join(dir, 'heun.json');
    writeFileSync(file, '{"a": [[0, 0], [1, 0]], "b": ["1/2", "1/2"]}');
    const t = await eomInProcess('derive', '--tableau', file, '--order', '2');
    expect(t.status).toBe(0);
    // The same method by name (its coefficients are held by the grafting oracle in solver.test.ts); ξ_0 = 0: order 2.
    const heun = (await eomInProcess('derive', '--method', 'heun', '--order', '2')).stdout;
    // The same series; each output's header line names its own rule.
    expect(t.stdout.split('\n').slice(1)).toEqual(heun.split('\n').slice(1));
    expect(t.stdout.startsWith('# tableau: explicit Runge–Kutta method "tableau" (2 stages)\nξ_0 = 0\n')).toBe(true);
    expect(heun.startsWith("# heun: Heun's method")).toBe(true);
    const u = await eomInProcess('derive', '--update', 'theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1])', '--order', '0');
    expect(u.stdout).toContain('ξ_0 = (1 + beta)/(2*(1 - beta)^3) H g');
  });

  it.each([
    [['--method', 'heavy-ball', '--param', 'beta=1'], /heavy-ball with beta = 1: .*double root.*\|beta\| < 1/],
    [['--method', 'heavy-ball', '--param', 'beta=2'], /beta = 2: .*unit circle.*\|beta\| < 1/],
    [['--method', 'gd', '--param', 'beta=0.5'], /has no parameter "beta"/],
    [['--method', 'heavy-ball', '--param', 'beta=abc'], /not an exact number/],
    [['--update', 'theta[n+1] = theta[n+1] - eta*grad(theta[n])'], /both sides/],
    [['--update', 'theta[n+1] = theta[n] - eta*grad(theta[n]*theta[n-1])'], /linear/],
    [['--method', 'heavy-ball', '--tableau', 'x.json'], /one of --method, --tableau and --update/],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    expectUserError(await eomInProcess('derive', ...args), message);
  });
});
