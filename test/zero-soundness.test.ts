/**
 * Soundness of the exact zero test (src/algebra/zero.ts, zeroRewrite.ts), rule by rule.
 *
 * For every rewrite rule of zeroRewrite.ts (its module doc lists them) there is a true identity
 * LHS = RHS that needs the rule, and a plausible wrong twin (a sign or parity flipped, a factor
 * off). Both are built around random subexpressions E, F (a small grammar) and given to zeroTest
 * as LHS − RHS. The truth is numeric and independent of src/loss: both sides are evaluated as
 * strings by mathjs (number mode, `predictable`: no complex results), with sigmoid, softplus and
 * logsumexp defined here, at random points.
 *
 * - soundness: whenever zeroTest says zero, LHS = RHS at every random point where both are finite,
 *   and there must be at least 3 such points (non-finite values are counted, never skipped
 *   silently: a case with too few finite points fails);
 * - reach: each rule's identity is proved at least once (so the rule is exercised; the zero test is
 *   incomplete by design, e.g. with constants inside exp, so not every instance), and each wrong
 *   twin is refused at least once where it is numerically non-zero.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { all, create } from 'mathjs';
import { parseLoss, zeroTest } from '../src/loss/index.js';
import { prng } from './helpers/lossOracles.js';

const math = create(all, { number: 'number', predictable: true });
const scope = {
  sigmoid: (u: number) => 1 / (1 + Math.exp(-u)),
  softplus: (u: number) => Math.log1p(Math.exp(u)),
  logsumexp: (...us: number[]) => {
    const m = Math.max(...us);
    return m + Math.log(us.reduce((s, u) => s + Math.exp(u - m), 0));
  },
};

/** An expression in both dialects: eomkit's (x^(1/3)) and mathjs's (cbrt(x): real for x < 0). */
interface Side {
  readonly eom: string;
  readonly js: string;
}
const same = (s: string): Side => ({ eom: s, js: s });

/** A rule: a true identity and its wrong twin around subexpressions e, f (positive p, q). */
interface Rule {
  readonly name: string;
  readonly right: (e: string, f: string, p: string) => [Side, Side];
  readonly wrong: (e: string, f: string, p: string) => [Side, Side];
}

const s2 = (l: string, r: string): [Side, Side] => [same(l), same(r)];
const cbrt = (a: string): Side => ({ eom: `((${a})^(1/3))`, js: `cbrt(${a})` });

const RULES: readonly Rule[] = [
  { name: 'exp of a sum', right: (e, f) => s2(`exp(${e})*exp(${f})`, `exp((${e}) + (${f}))`), wrong: (e, f) => s2(`exp(${e})*exp(${f})`, `exp((${e})*(${f}))`) },
  { name: 'exp to a rational power', right: (e) => s2(`sqrt(exp(${e}))`, `exp((${e})/2)`), wrong: (e) => s2(`sqrt(exp(${e}))`, `exp((${e})/3)`) },
  { name: 'exp(c·log E) = E^c', right: (_e, _f, p) => s2(`exp(2*log(${p}))`, `(${p})^2`), wrong: (_e, _f, p) => s2(`exp(-2*log(${p}))`, `(${p})^2`) },
  { name: 'exp of log1p', right: (_e, _f, p) => s2(`exp(log1p(${p}))`, `1 + (${p})`), wrong: (_e, _f, p) => s2(`exp(log1p(${p}))`, `${p}`) },
  { name: 'exp of softplus', right: (e) => s2(`exp(softplus(${e}))`, `1 + exp(${e})`), wrong: (e) => s2(`exp(softplus(${e}))`, `exp(${e})`) },
  { name: 'exp of logsumexp', right: (e, f) => s2(`exp(logsumexp(${e}, ${f}))`, `exp(${e}) + exp(${f})`), wrong: (e, f) => s2(`exp(logsumexp(${e}, ${f}))`, `exp(${e})*exp(${f})`) },
  { name: 'log of a product', right: (e, _f, p) => s2(`log(3*exp(${e})*(${p}))`, `log(3) + (${e}) + log(${p})`), wrong: (e, _f, p) => s2(`log(3*exp(${e}) + (${p}))`, `log(3) + (${e}) + log(${p})`) },
  { name: 'log of exp', right: (e) => s2(`log(exp(${e}))`, `${e}`), wrong: (e) => s2(`log(exp(${e}) + 1)`, `${e}`) },
  { name: 'softplus', right: (e) => s2(`softplus(${e}) - softplus(-(${e}))`, `${e}`), wrong: (e) => s2(`softplus(${e}) + softplus(-(${e}))`, `${e}`) },
  { name: 'logsumexp', right: (e, f) => s2(`logsumexp(${e}, ${f})`, `log(exp(${e}) + exp(${f}))`), wrong: (e, f) => s2(`logsumexp(${e}, ${f})`, `log(exp(${e})*exp(${f}))`) },
  { name: 'sigmoid', right: (e) => s2(`sigmoid(${e}) + sigmoid(-(${e}))`, '1'), wrong: (e) => s2(`sigmoid(${e}) - sigmoid(-(${e}))`, '1') },
  { name: 'sinh', right: (e) => s2(`sinh(${e})`, `(exp(${e}) - exp(-(${e})))/2`), wrong: (e) => s2(`sinh(${e})`, `(exp(${e}) + exp(-(${e})))/2`) },
  { name: 'cosh', right: (e) => s2(`cosh(${e})^2 - sinh(${e})^2`, '1'), wrong: (e) => s2(`cosh(${e})^2 + sinh(${e})^2`, '1') },
  { name: 'tanh', right: (e) => s2(`tanh(2*(${e}))`, `2*tanh(${e})/(1 + tanh(${e})^2)`), wrong: (e) => s2(`tanh(2*(${e}))`, `2*tanh(${e})`) },
  { name: 'tan', right: (e) => s2(`tan(${e})*cos(${e})`, `sin(${e})`), wrong: (e) => s2(`tan(${e})*sin(${e})`, `cos(${e})`) },
  { name: 'sin² + cos²', right: (e) => s2(`sin(${e})^2 + cos(${e})^2`, '1'), wrong: (e) => s2(`sin(${e})^2 - cos(${e})^2`, '1') },
  { name: 'sin is odd', right: (e) => s2(`sin(-(${e}))`, `-sin(${e})`), wrong: (e) => s2(`sin(-(${e}))`, `sin(${e})`) },
  { name: 'cos is even', right: (e) => s2(`cos(-(${e}))`, `cos(${e})`), wrong: (e) => s2(`cos(-(${e}))`, `-cos(${e})`) },
  { name: 'atan is odd', right: (e) => s2(`atan(-(${e}))`, `-atan(${e})`), wrong: (e) => s2(`atan(-(${e}))`, `atan(${e})`) },
  { name: 'tan is odd', right: (e) => s2(`tan(-(${e}))`, `-tan(${e})`), wrong: (e) => s2(`tan(-(${e}))`, `tan(${e})`) },
  { name: 'sinh is odd, cosh even', right: (e) => s2(`sinh(-(${e})) + cosh(-(${e}))`, `cosh(${e}) - sinh(${e})`), wrong: (e) => s2(`sinh(-(${e})) + cosh(-(${e}))`, `cosh(${e}) + sinh(${e})`) },
  { name: 'tanh is odd', right: (e) => s2(`tanh(-(${e}))`, `-tanh(${e})`), wrong: (e) => s2(`tanh(-(${e}))`, `tanh(${e})`) },
  { name: 'even root', right: (_e, _f, p) => s2(`sqrt(${p})^3`, `(${p})*sqrt(${p})`), wrong: (e) => s2(`sqrt((${e})^2)`, `${e}`) },
  {
    name: 'odd root (real, sign-preserving)',
    right: (e) => {
      const r = cbrt(e);
      return [{ eom: `${r.eom}^4`, js: `${r.js}^4` }, { eom: `(${e})*${r.eom}`, js: `(${e})*${r.js}` }];
    },
    wrong: (e) => {
      const r = cbrt(e);
      return [{ eom: `${r.eom}^3`, js: `${r.js}^3` }, same(`-(${e})`)];
    },
  },
  { name: 'inverse', right: (e, _f, p) => s2(`(${e})*(${p})/(${p})`, `${e}`), wrong: (e, _f, p) => s2(`(${e})*(${p})/(${p})`, `(${e})/(${p})`) },
  { name: 'inverse of a monomial times a sum', right: (e, _f, p) => s2(`(${e})*(x^2 + 1)/((x^2 + 1)*(${p}))`, `(${e})/(${p})`), wrong: (e, _f, p) => s2(`(${e})*x/(x*(${p}) + x)`, `(${e})/(${p})`) },
];

// Random subexpressions: e anywhere, p positive.
type Gen = fc.Arbitrary<string>;
const { e: anyExpr, p: positive } = fc.letrec<{ e: string; p: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '2', '(1/3)', '(x - y)'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('e'), tie('p')).map(([a, b]) => `(${a}) / (${b})`),
    fc.tuple(fc.constantFrom('sigmoid', 'tanh', 'sin', 'atan', 'softplus'), tie('e')).map(([f, a]) => `${f}((${a}) / 4)`),
    tie('p').map((a) => `log(${a})`),
  ),
  p: fc.oneof(fc.constantFrom('(1 + x^2)', '(2 + y^2)', 'exp(x)'), tie('e').map((a) => `(1 + (${a})^2)`)),
})) as { e: Gen; p: Gen };

/** Parses an eomkit expression in x, y, or undefined when refused (e.g. too large). */
function tryParse(source: string) {
  try {
    return parseLoss(source, { vars: ['x', 'y'] }).expr;
  } catch {
    return undefined;
  }
}

/** Both sides at random points: the number of points where both are finite, and the worst mismatch. */
function compareNumerically(lhs: string, rhs: string, seed: number): { finite: number; worst: number } {
  const l = math.compile(lhs);
  const r = math.compile(rhs);
  const rand = prng(seed);
  let finite = 0;
  let worst = 0;
  for (let i = 0; i < 30 && finite < 6; i++) {
    const at = { ...scope, x: rand() * 3 - 1.5, y: rand() * 3 - 1.5 };
    const a = l.evaluate(at) as unknown;
    const b = r.evaluate(at) as unknown;
    if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    finite++;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b)));
  }
  return { finite, worst };
}

describe('zeroTest is sound for every rewrite rule, parity included', () => {
  for (const [index, rule] of RULES.entries()) {
    it(rule.name, () => {
      let proved = 0;
      let refused = 0;
      fc.assert(
        fc.property(anyExpr, anyExpr, positive, (e, f, p) => {
          for (const [kind, make] of [['right', rule.right], ['wrong', rule.wrong]] as const) {
            const [lhs, rhs] = make(e, f, p);
            const poly = tryParse(`(${lhs.eom}) - (${rhs.eom})`);
            if (!poly) continue;
            const verdict = zeroTest(poly, { maxTerms: 20_000 });
            const numeric = compareNumerically(lhs.js, rhs.js, index * 7919 + e.length * 31 + f.length);
            const label = `${rule.name} (${kind}): ${lhs.eom} = ${rhs.eom}; ${numeric.finite} finite points, mismatch ${numeric.worst}`;
            if (verdict.zero) {
              // A proof must hold wherever both sides are defined, and be checked at 3 points or more.
              expect(numeric.finite, label).toBeGreaterThanOrEqual(3);
              expect(numeric.worst, label).toBeLessThanOrEqual(1e-9);
              if (kind === 'right') proved++;
            }
            if (kind === 'wrong' && !verdict.zero && numeric.worst > 1e-6) refused++;
          }
        }),
        { numRuns: 12, seed: 4242 + index },
      );
      // Each rule is reached: its identity proved, its wrong twin refused, at least once.
      expect(proved, `${rule.name}: identities proved`).toBeGreaterThan(0);
      expect(refused, `${rule.name}: wrong twins refused`).toBeGreaterThan(0);
    });
  }
});
