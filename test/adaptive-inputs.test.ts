/**
 * src/adaptive piece by piece, each against a truth it does not compute (issue 16: every coefficient-
 * bearing line guarded): the series coefficients of √(1+x), 1/(1+x) and 1/m! by their definitions;
 * the η-series products and compositions by squaring and multiplying back; the |g_i| rules by exact
 * evaluation at rational points; the slow manifold's first state terms M_1, V_1 and ξ_0 at ε > 0 by
 * hand; ξ_0, ξ_1 at exact β's against the direct expansion of test/helpers/adaptiveDirectExpansion.ts;
 * the rule's ranges, aliases and error messages, and the text of c_i and of the validity statement.
 * Fast on purpose: it is the suite Stryker runs against src/adaptive.
 */
import { describe, expect, it } from 'vitest';
import { AbsGradient } from '../src/adaptive/absGradient.js';
import { adaptiveCounterTerms } from '../src/adaptive/counterTerms.js';
import { EtaSeries, inverseFactorial, reciprocalOnePlus, sqrtOnePlus } from '../src/adaptive/etaSeries.js';
import { adaptiveRule, isAdaptiveMethod, type AdaptiveValue } from '../src/adaptive/methods.js';
import { hyperparameters, solveSlowManifold } from '../src/adaptive/slowManifold.js';
import { Loss } from '../src/loss/loss.js';
import { Poly } from '../src/algebra/poly.js';
import { LossError } from '../src/loss/errors.js';
import { Rational, rational } from '../src/series/fraction.js';
import { directXi, LOSS, X0, Y0 } from './helpers/adaptiveDirectExpansion.js';
import { exactNormalForm } from './helpers/exactNormalForm.js';
import { q, qadd, qdiv, qmul, qneg, qsub, qToString, type Q } from './helpers/polynomial.js';

const r = (n: number, d = 1) => rational(n, d);
const str = (x: Rational) => Rational.toString(x);
const abs = (a: Q): Q => (a.n < 0n ? qneg(a) : a);
const pow = (a: Q, n: number): Q => Array.from({ length: n }).reduce<Q>((acc) => qmul(acc, a), q(1));

describe('etaSeries: the scalar series and truncated products', () => {
  it('√(1+x) = Σ binom(1/2, n) xⁿ: 1, 1/2, −1/8, 1/16, −5/128, 7/256', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => str(sqrtOnePlus(n)))).toEqual(['1', '1/2', '-1/8', '1/16', '-5/128', '7/256']);
  });
  it('1/(1+x) = Σ (−1)ⁿ xⁿ and 1/m!', () => {
    expect([0, 1, 2, 3].map((n) => str(reciprocalOnePlus(n)))).toEqual(['1', '-1', '1', '-1']);
    expect([0, 1, 2, 3, 4, 5].map((m) => str(inverseFactorial(m)))).toEqual(['1', '1', '1/2', '1/6', '1/24', '1/120']);
  });
  const c = (n: number, d = 1) => Poly.constant(r(n, d));
  const values = (s: Poly[]) => s.map((p) => (p.isZero() ? '0' : str(p.constantValue()!)));
  it('mul truncates at η^order, reads missing coefficients as zero and simplifies every coefficient', () => {
    let calls = 0;
    const s = new EtaSeries(3, (p) => (calls++, p));
    // (1 + 2η)(3 − η + 5η²) = 3 + 5η + 3η² + 10η³
    expect(values(s.mul([c(1), c(2)], [c(3), c(-1), c(5)]))).toEqual(['3', '5', '3', '10']);
    expect(calls).toBe(4);
    expect(values(new EtaSeries(1, (p) => p).mul([c(1), c(2)], [c(3), c(-1), c(5)]))).toEqual(['3', '5']);
    expect(values(s.mul([Poly.zero, c(1)], [c(0), c(0), c(0), c(7)]))).toEqual(['0', '0', '0', '0']);
  });
  it('compose: √(1 + x) squared is 1 + x, 1/(1 + x) times 1 + x is 1 (x[0] ignored)', () => {
    const s = new EtaSeries(4, (p) => p);
    const x = [c(99), c(3, 2), c(-2), c(1, 3), c(5)];
    const onePlusX = [c(1), ...x.slice(1)];
    const root = s.compose(sqrtOnePlus, x);
    expect(root).toHaveLength(5);
    expect(values(s.mul(root, root))).toEqual(values(onePlusX));
    expect(values(s.mul(s.compose(reciprocalOnePlus, x), onePlusX))).toEqual(['1', '0', '0', '0', '0']);
    // and e^x = Σ xⁿ/n! against (1 + x)-free truth: x = η, coefficients 1/n!.
    expect(values(s.compose(inverseFactorial, [c(7), c(1)]))).toEqual(['1', '1', '1/2', '1/6', '1/24']);
  });
  it('compose simplifies the coefficients it returns', () => {
    const seen: string[] = [];
    new EtaSeries(2, (p) => (seen.push(p.isZero() ? '0' : 'p'), p)).compose(sqrtOnePlus, [c(0), c(1)]);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });
});

describe('AbsGradient: s_i = sqrt(g_i²) and its rules, exact at rational points', () => {
  // g = (3x² + 2y, 2x): g_0² has several terms, g_1² = 4x² is one term (coefficient ≠ 1 on purpose).
  // Built inside each test: Stryker activates a mutant per test, not while the file is collected.
  const setup = () => {
    const loss = Loss.parse('x^3 + 2*x*y');
    const a = new AbsGradient(loss);
    /** s_i^e as one atom power (Poly.powInt takes e ≥ 0 only). */
    const sPow = (i: number, e: number) => Poly.atom([...a.of[i]!.atomIds()][0]!, e);
    return { loss, a, sPow, x: loss.table.variable('x'), inv: (p: Poly) => loss.table.inverse(p) };
  };
  const points: [Q, Q][] = [[q(1, 2), q(-2)], [q(-3, 2), q(1, 3)], [q(2), q(5)]];
  const g = (x: Q, y: Q) => [qadd(qmul(q(3), pow(x, 2)), qmul(q(2), y)), qmul(q(2), x)];
  const at = (x: Q, y: Q) => new Map([['x', x], ['y', y]]);
  it('squares are g_i², the atoms evaluate to |g_i|', () => {
    const { loss, a } = setup();
    for (const [x, y] of points) {
      const gi = g(x, y);
      a.squares.forEach((sq, i) => expect(qToString(exactNormalForm(sq, loss.table, at(x, y)))).toBe(qToString(pow(gi[i]!, 2))));
      a.of.forEach((s, i) => expect(qToString(exactNormalForm(s, loss.table, at(x, y)))).toBe(qToString(abs(gi[i]!))));
    }
  });
  it('simplify(s_i^e) = |g_i|^e for e = −5 … 5, with s_i left to the power 0 or 1 (or negative powers of a many-term g²)', () => {
    const { loss, a, sPow } = setup();
    for (const i of [0, 1])
      for (let e = -5; e <= 5; e++) {
        const p = a.simplify(sPow(i, e));
        for (const [x, y] of points) {
          const expected = pow(abs(g(x, y)[i]!), Math.abs(e));
          expect(qToString(exactNormalForm(p, loss.table, at(x, y))), `i = ${i}, e = ${e}`).toBe(qToString(e >= 0 ? expected : qdiv(q(1), expected)));
        }
        const sId = [...a.of[i]!.atomIds()][0]!;
        const left = e >= 0 || i === 1 ? ((e % 2) + 2) % 2 : e;
        expect([...p.terms()].every((t) => t.mono.exponentOf(sId) === left), `i = ${i}, e = ${e}`).toBe(true);
      }
  });
  it('simplify(s_0³) is s_0·g_0² expanded; simplify(s_1⁻³) is s_1·x⁻⁴/16; 1/g_0² becomes s_0⁻²', () => {
    const { a, sPow, x, inv } = setup();
    expect(a.simplify(a.of[0]!.powInt(3)).equals(a.of[0]!.mul(a.squares[0]!))).toBe(true);
    expect(a.simplify(sPow(1, -3)).equals(a.of[1]!.mul(inv(x.powInt(4))).scale(r(1, 16)))).toBe(true);
    expect(a.simplify(sPow(1, -2)).equals(inv(x.powInt(2)).scale(r(1, 4)))).toBe(true);
    expect(a.simplify(inv(a.squares[0]!)).equals(sPow(0, -2))).toBe(true);
    expect(a.simplify(inv(a.squares[0]!).powInt(2)).equals(sPow(0, -4))).toBe(true);
    expect(a.simplify(inv(a.squares[0]!.scale(r(3)))).equals(sPow(0, -2).scale(r(1, 3)))).toBe(true);
    expect(a.simplify(inv(a.squares[0]!.scale(r(2)).add(a.squares[1]!)).mul(sPow(0, 2))).equals(inv(a.squares[0]!.scale(r(2)).add(a.squares[1]!)).mul(a.squares[0]!))).toBe(true);
  });
  it('a product: s_0² s_1³ (1 + x) → g_0² · 4x² s_1 (1 + x); forms without s are returned as they are', () => {
    const { a, x } = setup();
    const p = a.of[0]!.powInt(2).mul(a.of[1]!.powInt(3)).mul(x.add(Poly.one));
    expect(a.simplify(p).equals(a.squares[0]!.mul(x.powInt(2).scale(r(4))).mul(a.of[1]!).mul(x.add(Poly.one)))).toBe(true);
    const plain = x.powInt(3).add(Poly.one);
    expect(a.simplify(plain)).toBe(plain);
  });
  it('a constant component has no atom and no rule; a zero component has s = 0', () => {
    const loss = Loss.parse('x^2/2 + 3*y');
    const b = new AbsGradient(loss);
    expect(str(b.of[1]!.constantValue()!)).toBe('3');
    expect(b.simplify(b.of[0]!.powInt(2)).equals(loss.table.variable('x').powInt(2))).toBe(true);
    const z = new AbsGradient(Loss.parse('x^2/2', { vars: ['x', 'y'], partial: true }));
    expect(z.of[1]!.isZero()).toBe(true);
    expect(z.simplify(z.of[0]!.powInt(3)).equals(z.of[0]!.mul(loss.table.variable('x').powInt(2)))).toBe(true);
  });
});

describe('the rule: names, aliases, ranges and messages', () => {
  it('isAdaptiveMethod', () => {
    expect(['adam', 'rmsprop', 'heavy-ball', 'gd', ''].map(isAdaptiveMethod)).toEqual([true, true, false, false, false]);
  });
  it('defaults are symbols; RMSProp is Adam with β1 = 0 exactly and β2 = ρ (alpha accepted)', () => {
    const adam = adaptiveRule('adam');
    expect([adam.beta1, adam.beta2, adam.eps]).toEqual(['beta1', 'beta2', 'eps']);
    expect([...adam.params]).toEqual([['beta1', 'beta1'], ['beta2', 'beta2'], ['eps', 'eps']]);
    const rms = adaptiveRule('rmsprop', new Map([['alpha', r(99, 100)], ['epsilon', r(0)]]));
    expect(str(rms.beta1 as Rational)).toBe('0');
    expect(str(rms.beta2 as Rational)).toBe('99/100');
    expect(str(rms.eps as Rational)).toBe('0');
    expect([...rms.params]).toEqual([['rho', '99/100'], ['eps', '0']]);
    expect(rms.spec.name).toBe('rmsprop');
    const given = adaptiveRule('adam', new Map<string, AdaptiveValue>([['beta1', r(9, 10)], ['beta2', undefined], ['eps', r(1, 10)]]));
    expect([str(given.beta1 as Rational), given.beta2, str(given.eps as Rational)]).toEqual(['9/10', 'beta2', '1/10']);
    expect([...given.params]).toEqual([['beta1', '9/10'], ['beta2', 'beta2'], ['eps', '1/10']]);
  });
  it('ranges: decays in [0, 1), ε ≥ 0 (no upper bound)', () => {
    const ok = (name: string, key: string, v: Rational) => () => adaptiveRule(name, new Map([[key, v]]));
    expect(ok('adam', 'beta1', r(0))).not.toThrow();
    expect(ok('adam', 'beta2', r(999, 1000))).not.toThrow();
    expect(ok('adam', 'eps', r(0))).not.toThrow();
    expect(ok('adam', 'eps', r(5))).not.toThrow();
    expect(ok('adam', 'beta1', r(1))).toThrow('adam: beta1 = 1 is outside its range (decay β1 of the gradient average, 0 ≤ β1 < 1)');
    expect(ok('adam', 'beta2', r(-1, 10))).toThrow('adam: beta2 = -1/10 is outside its range');
    expect(ok('adam', 'beta2', r(3, 2))).toThrow(RangeError);
    expect(ok('rmsprop', 'rho', r(1))).toThrow('rmsprop: rho = 1 is outside its range (decay ρ of the squared-gradient average, 0 ≤ ρ < 1)');
    expect(ok('adam', 'eps', r(-1, 100))).toThrow('adam: eps = -1/100 is outside its range (ε added to √v (outside the root, as in PyTorch), ε ≥ 0)');
  });
  it('unknown method, unknown parameter, a parameter given twice', () => {
    expect(() => adaptiveRule('adamw')).toThrow('unknown adaptive method "adamw" (known: rmsprop, adam)');
    expect(() => adaptiveRule('adam', new Map([['rho', r(1, 2)]]))).toThrow('method "adam" has no parameter "rho" (its parameters: beta1, beta2, eps)');
    expect(() => adaptiveRule('rmsprop', new Map([['rho', r(1, 2)], ['alpha', r(1, 3)]]))).toThrow('parameter "rho" of "rmsprop" is given twice');
  });
});

describe('adaptiveCounterTerms: options, c_i, validity', () => {
  const rule = (eps: Rational | undefined, name = 'adam') => adaptiveRule(name, new Map([['eps', eps]]));
  it('order: default 1, refused below 0, non-integer, above 4', () => {
    expect(adaptiveCounterTerms('x^2/2', { rule: rule(r(0)) }).xi).toHaveLength(2);
    expect(adaptiveCounterTerms('x^2/2', { rule: rule(r(0)) }).order).toBe(1);
    expect(() => adaptiveCounterTerms('x^2/2', { order: -1, rule: rule(r(0)) })).toThrow('order must be a non-negative integer, got -1');
    expect(() => adaptiveCounterTerms('x^2/2', { order: 0.5, rule: rule(r(0)) })).toThrow(RangeError);
    expect(() => adaptiveCounterTerms('x^2/2', { order: 5, rule: rule(r(0)) })).toThrow('order must be at most 4 for adam (each order costs about ten times the one before), got 5');
    // The order is checked before the loss is read.
    expect(() => adaptiveCounterTerms('x^^2', { order: -1, rule: rule(r(0)) })).toThrow('order must be a non-negative integer, got -1');
    expect(() => adaptiveCounterTerms('x^^2', { order: 0.5, rule: rule(r(0)) })).toThrow('order must be a non-negative integer, got 0.5');
  });
  it('order 4 is allowed (ξ_0 … ξ_4 of x²/2 at ε = 0: sign descent with memory, c = 1/|x|)', () => {
    const out = adaptiveCounterTerms('x^2/2', { order: 4, rule: adaptiveRule('rmsprop', new Map([['rho', r(1, 2)], ['eps', r(0)]])) });
    expect(out.xi).toHaveLength(5);
  });
  it('c_i text and validity for ε = 0, an exact ε and a symbolic ε; Adam and RMSProp', () => {
    const zero = adaptiveCounterTerms('x^2/2', { order: 0, rule: rule(r(0)) }).elementwise!;
    expect(zero.leadingText).toBe('1/sqrt(g_i^2)');
    expect(zero.validity).toBe('where every g_i != 0 (eps = 0); the series needs η·|λ|max/((min|g_i| + eps)(1 - max(beta1, beta2))) ≪ 1');
    const exact = adaptiveCounterTerms('x^2/2', { order: 0, rule: rule(r(1, 10)) }).elementwise!;
    expect(exact.leadingText).toBe('1/(sqrt(g_i^2) + 1/10)');
    expect(exact.validity).toBe('everywhere (eps > 0); the series needs η·|λ|max/((min|g_i| + eps)(1 - max(beta1, beta2))) ≪ 1');
    const symbolic = adaptiveCounterTerms('x^2/2', { order: 0, rule: rule(undefined, 'rmsprop') }).elementwise!;
    expect(symbolic.leadingText).toBe('1/(sqrt(g_i^2) + eps)');
    expect(symbolic.validity).toBe('where eps > 0, or where every g_i != 0; the series needs η·|λ|max/((min|g_i| + eps)(1 - rho)) ≪ 1');
  });
  it('the result: rule name and params, leading = c_0, one ξ per order, progress per order', () => {
    const seen: number[] = [];
    const out = adaptiveCounterTerms('x^2/2 + x*y + y^2', { order: 1, rule: rule(r(1, 10)), onProgress: (k) => seen.push(k) });
    expect(seen).toEqual([0, 1]);
    expect(out.rule.name).toBe('adam');
    expect([...out.rule.params]).toEqual([['beta1', 'beta1'], ['beta2', 'beta2'], ['eps', '1/10']]);
    expect(out.leading).toBe(out.elementwise!.leading[0]);
    expect(out.elementwise!.leading).toHaveLength(2);
    // c_1 = 1/(|x + 2y| + 1/10) at (1, 1): 10/31.
    const v = new Map([['x', q(1)], ['y', q(1)]]);
    expect(qToString(exactNormalForm(out.elementwise!.leading[1]!, out.loss.table, v))).toBe('10/31');
  });
  it('a hyperparameter named like a parameter or a symbolic constant of the loss is refused', () => {
    expect(() => adaptiveCounterTerms('eps^2 + x^2', { order: 0, rule: rule(undefined) })).toThrow(new LossError('"eps" is both a name in the loss and a hyperparameter of adam; rename one'));
    expect(() => adaptiveCounterTerms('beta1^2 + x^2', { order: 0, rule: adaptiveRule('adam', new Map([['beta1', r(1, 2)]])) })).toThrow(/"beta1" is both a name/);
    expect(() => adaptiveCounterTerms('rho*x^2', { order: 0, vars: ['x'], rule: rule(r(0), 'rmsprop') })).toThrow(/"rho" is both a name in the loss and a hyperparameter of rmsprop/);
    // An exact ρ is no symbol: a constant rho of the loss (kept symbolic) does not clash with it.
    const kept = adaptiveCounterTerms('rho*x^2', { order: 0, vars: ['x'], rule: adaptiveRule('rmsprop', new Map([['rho', r(1, 2)], ['eps', r(0)]])) });
    expect(kept.loss.constants).toEqual(['rho']);
    // ξ_0 = −ρ/(1−ρ) H sign(g)/|g| = −2rho·sign(2 rho x)/|2 rho x| with the exact ρ = 1/2; at x = 1/2, rho = 3: −2.
    expect(qToString(exactNormalForm(kept.xi[0]![0]!, kept.loss.table, new Map([['x', q(1, 2)], ['rho', q(3)]])))).toBe('-2');
  });
});

describe('the slow manifold against hand derivations and the direct expansion', () => {
  // L = x⁴/4 − x²/2 + xy + y², g and H by hand.
  const g = (x: Q, y: Q) => [qadd(qsub(pow(x, 3), x), y), qadd(x, qmul(q(2), y))];
  const H = (x: Q) => [[qsub(qmul(q(3), pow(x, 2)), q(1)), q(1)], [q(1), q(2)]];
  const matVec = (m: Q[][], v: Q[]) => m.map((row) => qadd(qmul(row[0]!, v[0]!), qmul(row[1]!, v[1]!)));
  const points: [Q, Q][] = [[X0, Y0], [q(-1), q(1, 5)], [q(3, 2), q(-2)]];
  const solve = (b1: Q, b2: Q, e: Q, K: number) => {
    const loss = Loss.parse(LOSS);
    const rule = adaptiveRule('adam', new Map([['beta1', r(Number(b1.n), Number(b1.d))], ['beta2', r(Number(b2.n), Number(b2.d))], ['eps', r(Number(e.n), Number(e.d))]]));
    return { loss, m: solveSlowManifold(loss, hyperparameters(loss.table, rule), K) };
  };
  const cases: [Q, Q, Q][] = [[q(1, 2), q(3, 4), q(1, 10)], [q(9, 10), q(999, 1000), q(1, 3)], [q(3, 4), q(1, 3), q(0)]];

  it('F_0 = −g⊘(|g|+ε), c = 1/(|g|+ε), M_0 = g, V_0 = g², and M_1, V_1 by hand: M_1 = −β1/(1−β1) H F_0, V_1 = −2β2/(1−β2) g⊙H F_0', () => {
    for (const [b1, b2, e] of cases) {
      const { loss, m } = solve(b1, b2, e, 0);
      for (const [x, y] of points) {
        const at = new Map([['x', x], ['y', y]]);
        const val = (p: Poly) => qToString(exactNormalForm(p, loss.table, at));
        const gi = g(x, y);
        const F0 = gi.map((v) => qneg(qdiv(v, qadd(abs(v), e))));
        const HF0 = matVec(H(x), F0);
        expect(m.field[0]!.map(val)).toEqual(F0.map(qToString));
        expect(m.leading.map(val)).toEqual(gi.map((v) => qToString(qdiv(q(1), qadd(abs(v), e)))));
        expect(m.M[0]!.map(val)).toEqual(gi.map(qToString));
        expect(m.V[0]!.map(val)).toEqual(gi.map((v) => qToString(pow(v, 2))));
        expect(m.M[1]!.map(val)).toEqual(HF0.map((v) => qToString(qmul(qneg(qdiv(b1, qsub(q(1), b1))), v))));
        expect(m.V[1]!.map(val)).toEqual(HF0.map((v, i) => qToString(qmul(qneg(qdiv(qmul(q(2), b2), qsub(q(1), b2))), qmul(gi[i]!, v)))));
      }
    }
  });

  it('ξ_0 = [H(g⊘(|g|+ε))]⊘(|g|+ε)²⊙(β1/(1−β1)(|g|+ε) − β2/(1−β2)|g| + ε/2) (docs/tutorials/adam.md)', () => {
    for (const [b1, b2, e] of cases) {
      const { loss, m } = solve(b1, b2, e, 0);
      for (const [x, y] of points) {
        const gi = g(x, y);
        const d = gi.map((v) => qadd(abs(v), e));
        const Hu = matVec(H(x), gi.map((v, i) => qdiv(v, d[i]!)));
        const expected = Hu.map((h, i) =>
          qmul(qdiv(h, pow(d[i]!, 2)), qadd(qsub(qmul(qdiv(b1, qsub(q(1), b1)), d[i]!), qmul(qdiv(b2, qsub(q(1), b2)), abs(gi[i]!))), qdiv(e, q(2)))),
        );
        expect(m.xi[0]!.map((p) => qToString(exactNormalForm(p, loss.table, new Map([['x', x], ['y', y]]))))).toEqual(expected.map(qToString));
      }
    }
  });

  it('ξ_0, ξ_1 of Adam at exact β, ε against the direct expansion (ε > 0 and ε = 0)', () => {
    for (const [b1, b2, e] of cases) {
      const { loss, m } = solve(b1, b2, e, 1);
      const engine = m.xi.map((row) => row.map((p) => qToString(exactNormalForm(p, loss.table, new Map([['x', X0], ['y', Y0]])))));
      expect(engine).toEqual(directXi(b1, b2, e).map((row) => row.map(qToString)));
    }
  });

  it('ξ_0, ξ_1 of RMSProp (β1 = 0: M = g, no M series) against the direct expansion', () => {
    for (const [rho, e] of [[q(3, 4), q(1, 10)], [q(1, 3), q(0)]] as [Q, Q][]) {
      const loss = Loss.parse(LOSS);
      const rule = adaptiveRule('rmsprop', new Map([['rho', r(Number(rho.n), Number(rho.d))], ['eps', r(Number(e.n), Number(e.d))]]));
      const m = solveSlowManifold(loss, hyperparameters(loss.table, rule), 1);
      expect(m.M.slice(1).flat().every((p) => p.isZero())).toBe(true);
      const engine = m.xi.map((row) => row.map((p) => qToString(exactNormalForm(p, loss.table, new Map([['x', X0], ['y', Y0]])))));
      expect(engine).toEqual(directXi(q(0), rho, e, true).map((row) => row.map(qToString)));
    }
  });

  it('hyperparameters: exact values as constants, symbols as constants of the table', () => {
    const loss = Loss.parse('x^2');
    const h = hyperparameters(loss.table, adaptiveRule('rmsprop', new Map([['rho', r(1, 2)]])));
    expect(str(h.beta1.constantValue()!)).toBe('0');
    expect(str(h.beta2.constantValue()!)).toBe('1/2');
    expect(h.eps.equals(loss.table.constantSymbol('eps'))).toBe(true);
  });

  it('order checks, progress, a gradient component identically zero (ξ_y = 0 at ε > 0; refused at ε = 0), 1 − β1 = 0 refused', () => {
    const loss = Loss.parse('x^2/2', { vars: ['x', 'y'], partial: true });
    const at = (eps: Rational) => hyperparameters(loss.table, adaptiveRule('adam', new Map([['beta1', r(1, 2)], ['beta2', r(1, 2)], ['eps', eps]])));
    expect(() => solveSlowManifold(loss, at(r(1)), -1)).toThrow('order must be a non-negative integer, got -1');
    expect(() => solveSlowManifold(loss, at(r(1)), 1.5)).toThrow(RangeError);
    const seen: number[] = [];
    const m = solveSlowManifold(loss, at(r(1)), 2, (k) => seen.push(k));
    expect(seen).toEqual([0, 1, 2]);
    expect(m.xi).toHaveLength(3);
    expect(m.field).toHaveLength(4);
    expect(m.xi.every((row) => row[1]!.isZero())).toBe(true);
    // 1-D, H = 1, β1 = β2 = 1/2, ε = 1: ξ_0 = x/(|x|+1)³·((|x|+1) − |x| + 1/2) = (3/2) x/(|x|+1)³.
    expect(qToString(exactNormalForm(m.xi[0]![0]!, loss.table, new Map([['x', q(2)]])))).toBe(qToString(qmul(qdiv(q(2), pow(q(3), 3)), q(3, 2))));
    expect(() => solveSlowManifold(loss, at(r(0)), 0)).toThrow('|∂L/∂y| + eps is identically zero, so the update divides by zero; give eps > 0');
    const one = { beta1: Poly.one, beta2: Poly.constant(r(1, 2)), eps: Poly.one };
    expect(() => solveSlowManifold(loss, one, 0)).toThrow('1 - beta1 is identically zero');
    expect(() => solveSlowManifold(loss, { ...one, beta1: Poly.zero, beta2: Poly.one }, 0)).toThrow('1 - beta2 is identically zero');
  });
});
