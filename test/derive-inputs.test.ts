/**
 * Update rules as data (src/derive/updateRule.ts, methods.ts): the coefficients of (3.1) for every
 * named method against the update written out by hand from its definition, and every refusal with
 * its exact message.
 *
 * Independent truths: the methods' definitions (PyTorch's SGD with momentum/nesterov, the published
 * Butcher tableaux of midpoint, Heun and RK4 — Hairer, Nørsett & Wanner, Solving ODEs I, §II.1),
 * rewritten in the form θ_{n+1} = Σ_j a_j θ_{n−j} − η Σ_i b_i g(Y_i) by hand below; ρ'(1) = 1 + Σ j a_j
 * and c = Σ b/(ρ'(1)·s) evaluated by hand for concrete coefficients.
 */
import { describe, expect, it } from 'vitest';
import { FractionField, Rational, rational, type Fraction } from '../src/series/fraction.js';
import { integers } from '../src/series/ring.js';
import { evaluateSymbols, ringSymbols } from '../src/series/symbols.js';
import { instantiate, methodRule, methods, parameterValue, type MethodSpec } from '../src/derive/methods.js';
import {
  characteristicSlope,
  exactRule,
  explicitRungeKuttaRule,
  extragradient,
  gradientDescent,
  leadingFactor,
  symbolicParameters,
  updateRules,
  validateRecurrence,
  type UpdateRule,
} from '../src/derive/updateRule.js';

const r = (n: number, d = 1) => rational(n, d);
const s = (xs: readonly Rational[]) => xs.map((x) => Rational.toString(x));
/** The recurrence of an exact rule as strings: [history, stages (iterates, gradients, batch), weights]. */
const shape = (rule: UpdateRule<unknown>) => {
  const rule0 = rule as UpdateRule;
  return {
    history: s(rule0.history),
    stages: rule0.stages.map((st) => ({ iterates: s(st.iterates), gradients: s(st.gradients), ...(st.batch === undefined ? {} : { batch: st.batch }) })),
    weights: s(rule0.weights),
  };
};
const rule = (over: Partial<UpdateRule>): UpdateRule => ({ ...gradientDescent, name: 'x', ...over });
const refuses = (f: () => unknown, message: string) => expect(f).toThrow(new RangeError(message));

describe('explicitRungeKuttaRule and the built-in rules', () => {
  it('maps a tableau to stages Y_i = θ_n − η Σ_{l<i} a_il g(Y_l) and weights b', () => {
    // Source: the definition of an explicit RK method on θ' = −g(θ); Heun's tableau a₂₁ = 1, b = (½, ½).
    const heun = explicitRungeKuttaRule('h', 'Heun', { a: [[r(0), r(0)], [r(1), r(0)]], b: [r(1, 2), r(1, 2)] });
    expect(shape(heun)).toEqual({
      history: ['1'],
      stages: [
        { iterates: ['1'], gradients: [] },
        { iterates: ['1'], gradients: ['1'] },
      ],
      weights: ['1/2', '1/2'],
    });
    expect([heun.name, heun.description, heun.ring, heun.params.size]).toEqual(['h', 'Heun', integers, 0]);
    // Extragradient θ − η g(θ − η g(θ)): the gradient at θ_n only feeds the second stage (weight 0).
    expect(shape(extragradient)).toEqual({ history: ['1'], stages: [{ iterates: ['1'], gradients: [] }, { iterates: ['1'], gradients: ['1'] }], weights: ['0', '1'] });
    expect(shape(gradientDescent)).toEqual({ history: ['1'], stages: [{ iterates: ['1'], gradients: [] }], weights: ['1'] });
    expect([...updateRules.keys()]).toEqual(['gd', 'extragradient']);
    expect(updateRules.get('extragradient')).toBe(extragradient);
  });

  it('refuses a malformed tableau, naming what is wrong', () => {
    refuses(() => explicitRungeKuttaRule('x', 'x', { a: [], b: [] }), 'a Runge–Kutta tableau needs at least one stage');
    refuses(() => explicitRungeKuttaRule('x', 'x', { a: [[r(0)]], b: [r(1, 2), r(1, 2)] }), 'tableau: a must be 2×2 to match b');
    refuses(() => explicitRungeKuttaRule('x', 'x', { a: [[r(0), r(0)], [r(1)]], b: [r(1, 2), r(1, 2)] }), 'tableau: a must be 2×2 to match b');
    refuses(() => explicitRungeKuttaRule('x', 'x', { a: [[r(0), r(0)]], b: [r(1, 2), r(1, 2)] }), 'tableau: a must be 2×2 to match b');
    // On the diagonal and above it (j ≥ i) a must vanish; below it anything goes.
    refuses(() => explicitRungeKuttaRule('x', 'x', { a: [[r(0), r(0)], [r(1), r(2)]], b: [r(1, 2), r(1, 2)] }), 'tableau: a[1][1] must be 0 for an explicit method');
    refuses(() => explicitRungeKuttaRule('x', 'x', { a: [[r(0), r(3)], [r(1), r(0)]], b: [r(1, 2), r(1, 2)] }), 'tableau: a[0][1] must be 0 for an explicit method');
    refuses(() => explicitRungeKuttaRule('x', 'x', { a: [[r(0), r(0)], [r(1), r(0)]], b: [r(1, 2), r(1, 3)] }), 'tableau: the weights b must add up to 1 (consistency), they add up to 5/6');
  });
});

describe('ρ′(1), the leading factor and the rule checks', () => {
  it('ρ′(1) = 1 + Σ_j j a_j and c = Σ b / (ρ′(1) s), by hand', () => {
    // a = (3/2, −1/4, −1/4): ρ′(1) = 1 + 1·(−1/4) + 2·(−1/4) = 1/4; b = (3/2, −1/2): c = 1/(1/4) = 4.
    const three = rule({ history: [r(3, 2), r(-1, 4), r(-1, 4)], stages: [{ iterates: [r(1)], gradients: [] }, { iterates: [r(0), r(1)], gradients: [] }], weights: [r(3, 2), r(-1, 2)] });
    expect(Rational.toString(characteristicSlope(three))).toBe('1/4');
    expect(Rational.toString(leadingFactor(three))).toBe('4');
    // An update spanning s = 3 steps divides c by 3.
    expect(Rational.toString(leadingFactor({ ...three, stepsPerUpdate: 3 }))).toBe('4/3');
    expect(Rational.toString(leadingFactor(gradientDescent))).toBe('1');
    expect(Rational.toString(characteristicSlope(gradientDescent))).toBe('1');
  });

  it('exactRule and symbolicParameters tell exact rules from symbolic ones', () => {
    const hb = methodRule('heavy-ball');
    expect(exactRule(hb)).toBeUndefined();
    expect(symbolicParameters(hb)).toEqual(['beta']);
    const exact = methodRule('heavy-ball', new Map([['beta', r(1, 2)]]));
    expect(exactRule(exact)).toBe(exact);
    expect(symbolicParameters(exact)).toEqual([]);
  });

  it('refuses each malformed recurrence with its reason', () => {
    const w = 'update rule "x": ';
    refuses(() => validateRecurrence(rule({ history: [] })), `${w}θ_{n+1} must depend on θ_n`);
    refuses(() => validateRecurrence(rule({ history: [r(1), r(1, 2)] })), `${w}the coefficients of θ_n, θ_{n−1}, … in θ_{n+1} must add up to 1, they add up to 3/2`);
    refuses(() => validateRecurrence(rule({ stages: [], weights: [] })), `${w}one weight per gradient evaluation is needed (0 weights, 0 stages)`);
    refuses(() => validateRecurrence(rule({ weights: [r(1, 2), r(1, 2)] })), `${w}one weight per gradient evaluation is needed (2 weights, 1 stages)`);
    refuses(
      () => validateRecurrence(rule({ stages: [{ iterates: [r(1)], gradients: [] }, { iterates: [r(1, 2)], gradients: [] }], weights: [r(1), r(0)] })),
      `${w}gradient evaluation 2 is taken at a combination of iterates whose coefficients add up to 1/2, not 1`,
    );
    refuses(() => validateRecurrence(rule({ stages: [{ iterates: [r(1)], gradients: [r(1)] }] })), `${w}gradient evaluation 1 may only use earlier evaluations (explicit)`);
    // Stage i may read the i gradients before it.
    expect(() => validateRecurrence(rule({ stages: [{ iterates: [r(1)], gradients: [] }, { iterates: [r(1)], gradients: [r(1)] }], weights: [r(0), r(1)] }))).not.toThrow();
    refuses(
      () => validateRecurrence(rule({ stages: [{ iterates: [r(1)], gradients: [] }, { iterates: [r(1)], gradients: [r(1), r(1)] }], weights: [r(0), r(1)] })),
      `${w}gradient evaluation 2 may only use earlier evaluations (explicit)`,
    );
    refuses(() => validateRecurrence(rule({ stages: [{ iterates: [r(1)], gradients: [] }, { iterates: [r(1)], gradients: [] }], weights: [r(1), r(-1)] })), `${w}the gradient weights add up to 0, so the rule does not descend`);
    refuses(() => validateRecurrence(rule({ stepsPerUpdate: 0 })), `${w}steps per update must be a positive integer, got 0`);
    refuses(() => validateRecurrence(rule({ stepsPerUpdate: 1.5 })), `${w}steps per update must be a positive integer, got 1.5`);
    expect(() => validateRecurrence(rule({ stepsPerUpdate: 1 }))).not.toThrow();
    // Heavy ball at β = 1: a = (2, −1), ρ′(1) = 1 − 1 = 0.
    refuses(() => validateRecurrence(rule({ history: [r(2), r(-1)] })), `${w}1 is a double root of the characteristic polynomial (ρ'(1) = 0), so no equation of motion exists`);
  });

  it('refuses batches that do not make a mean of the batch gradients', () => {
    const w = 'update rule "x": ';
    const two = (b0: number | undefined, b1: number | undefined, count = 2, weights = [r(1, 2), r(1, 2)]) =>
      rule({
        batches: { count, sampling: 'cyclic' },
        stages: [{ iterates: [r(1)], gradients: [], ...(b0 === undefined ? {} : { batch: b0 }) }, { iterates: [r(1)], gradients: [r(1, 2)], ...(b1 === undefined ? {} : { batch: b1 }) }],
        weights,
      });
    expect(() => validateRecurrence(two(0, 1))).not.toThrow();
    refuses(() => validateRecurrence(rule({ stages: [{ iterates: [r(1)], gradients: [], batch: 0 }] })), `${w}a stage names a batch, but the rule has no batches`);
    refuses(
      () => validateRecurrence(rule({ stages: [{ iterates: [r(1)], gradients: [] }, { iterates: [r(1)], gradients: [], batch: 0 }], weights: [r(1, 2), r(1, 2)] })),
      `${w}a stage names a batch, but the rule has no batches`,
    );
    // One batch is a valid (if trivial) count.
    expect(() => validateRecurrence(rule({ batches: { count: 1, sampling: 'cyclic' }, stages: [{ iterates: [r(1)], gradients: [], batch: 0 }] }))).not.toThrow();
    refuses(() => validateRecurrence(two(0, 1, 0)), `${w}the number of batches must be a positive integer, got 0`);
    refuses(() => validateRecurrence(two(0, 1, 1.5)), `${w}the number of batches must be a positive integer, got 1.5`);
    refuses(() => validateRecurrence(two(0, undefined)), `${w}gradient evaluation 2 must name a batch 0..1`);
    refuses(() => validateRecurrence(two(-1, 1)), `${w}gradient evaluation 1 must name a batch 0..1`);
    refuses(() => validateRecurrence(two(0, 2)), `${w}gradient evaluation 2 must name a batch 0..1`);
    refuses(() => validateRecurrence(two(0, 0.5)), `${w}gradient evaluation 2 must name a batch 0..1`);
    refuses(() => validateRecurrence(two(0, 1, 2, [r(1, 3), r(2, 3)])), `${w}every batch must get the same total weight`);
    // Both stages on batch 0, none on batch 1: batch 1 gets weight 0.
    refuses(() => validateRecurrence(two(0, 0)), `${w}every batch must get the same total weight`);
  });
});

describe('named methods', () => {
  const beta = (b: Rational) => new Map([['beta', b]]);

  it('parameterValue reads exact decimals and fractions', () => {
    expect(s([parameterValue('0.9'), parameterValue('9/10'), parameterValue('1e-3'), parameterValue('-3/6')])).toEqual(['9/10', '9/10', '1/1000', '-1/2']);
  });

  it('lists every method with its parameters', () => {
    expect([...methods.keys()]).toEqual(['gd', 'heavy-ball', 'nesterov', 'nesterov-lookahead', 'extragradient', 'midpoint', 'heun', 'rk4']);
    for (const name of ['heavy-ball', 'nesterov', 'nesterov-lookahead']) {
      const m = methods.get(name)!;
      expect([m.params.map((p) => [p.name, p.aliases]), m.condition]).toEqual([[['beta', ['momentum']]], '|beta| < 1']);
    }
    for (const name of ['gd', 'extragradient', 'midpoint', 'heun', 'rk4']) expect([methods.get(name)!.params, methods.get(name)!.condition]).toEqual([[], undefined]);
    expect(methods.get('gd')!.description).toBe(gradientDescent.description);
  });

  it('heavy ball: θ_{n+1} = θ_n − η g(θ_n) + β(θ_n − θ_{n−1}), a = (1+β, −β), b = (1)', () => {
    const hb = methodRule('heavy-ball', beta(r(1, 2)));
    expect(shape(hb)).toEqual({ history: ['3/2', '-1/2'], stages: [{ iterates: ['1'], gradients: [] }], weights: ['1'] });
    expect([hb.name, hb.description, [...hb.params], hb.condition, hb.restFirstStep, hb.ring]).toEqual([
      'heavy-ball',
      methods.get('heavy-ball')!.description,
      [['beta', '1/2']],
      undefined,
      undefined,
      integers,
    ]);
    // PyTorch's name for β is "momentum".
    expect(shape(methodRule('heavy-ball', new Map([['momentum', r(1, 2)]])))).toEqual(shape(hb));
  });

  it('nesterov (PyTorch): a = (1+β, −β), gradients at θ_n and θ_{n−1} with b = (1+β, −β), first step −η(1+β)g', () => {
    // By hand from v_n = βv_{n−1} + g_n, θ_{n+1} = θ_n − η(g_n + βv_n):
    // (θ_{n+1} − θ_n) − β(θ_n − θ_{n−1}) = −η[(g_n + βv_n) − β(g_{n−1} + βv_{n−1})] = −η[(1+β)g_n − βg_{n−1}].
    const nes = methodRule('nesterov', beta(r(1, 2)));
    expect(shape(nes)).toEqual({
      history: ['3/2', '-1/2'],
      stages: [
        { iterates: ['1'], gradients: [] },
        { iterates: ['0', '1'], gradients: [] },
      ],
      weights: ['3/2', '-1/2'],
    });
    // v_0 = g_0: θ_1 = θ_0 − η(1 + β) g(θ_0).
    expect(shape({ ...nes, ...nes.restFirstStep! } as UpdateRule)).toEqual({ history: ['1'], stages: [{ iterates: ['1'], gradients: [] }], weights: ['3/2'] });
  });

  it('nesterov look-ahead: θ_{n+1} = y_n − η g(y_n), y_n = (1+β)θ_n − βθ_{n−1}', () => {
    const la = methodRule('nesterov-lookahead', beta(r(1, 4)));
    expect(shape(la)).toEqual({ history: ['5/4', '-1/4'], stages: [{ iterates: ['5/4', '-1/4'], gradients: [] }], weights: ['1'] });
    expect(la.restFirstStep).toBeUndefined();
  });

  it('symbolic β: coefficients in Z[β], the condition is kept', () => {
    const hb = methodRule('heavy-ball');
    const F = new FractionField(hb.ring);
    const at = (x: Fraction<unknown>, b: Rational) =>
      Rational.toString(Rational.div(evaluateSymbols(hb.ring, x.num, new Map([['beta', b]])), evaluateSymbols(hb.ring, x.den, new Map([['beta', b]]))));
    expect(hb.history.map((x) => at(x, r(1, 3)))).toEqual(['4/3', '-1/3']);
    expect(hb.history.map((x) => at(x, r(2, 5)))).toEqual(['7/5', '-2/5']);
    expect([[...hb.params], hb.condition, at(hb.weights[0]!, r(1, 3)), F.equals(hb.stages[0]!.iterates[0]!, F.one)]).toEqual([[['beta', 'beta']], '|beta| < 1', '1', true]);
    expect(ringSymbols(hb.ring)).toEqual(['beta']);
  });

  it('the Runge–Kutta methods carry their published tableaux', () => {
    // Source: Hairer, Nørsett & Wanner I, §II.1: midpoint a₂₁ = ½, b = (0, 1); Heun a₂₁ = 1, b = (½, ½);
    // RK4 a₂₁ = a₃₂ = ½, a₄₃ = 1, b = (1/6, 1/3, 1/3, 1/6).
    const stages = (rows: string[][]) => rows.map((g) => ({ iterates: ['1'], gradients: g }));
    expect(shape(methodRule('midpoint'))).toEqual({ history: ['1'], stages: stages([[], ['1/2']]), weights: ['0', '1'] });
    expect(shape(methodRule('heun'))).toEqual({ history: ['1'], stages: stages([[], ['1']]), weights: ['1/2', '1/2'] });
    expect(shape(methodRule('rk4'))).toEqual({ history: ['1'], stages: stages([[], ['1/2'], ['0', '1/2'], ['0', '0', '1']]), weights: ['1/6', '1/3', '1/3', '1/6'] });
    expect(shape(methodRule('extragradient'))).toEqual(shape(extragradient));
    expect(shape(methodRule('gd'))).toEqual(shape(gradientDescent));
    const rk4 = methodRule('rk4');
    expect([rk4.name, rk4.description, rk4.params.size, rk4.condition]).toEqual(['rk4', 'classical Runge–Kutta (RK4) on the gradient flow', 0, undefined]);
  });

  it('refuses unknown methods and parameters with the exact reason', () => {
    refuses(() => methodRule('adam'), 'unknown method "adam" (known: gd, heavy-ball, nesterov, nesterov-lookahead, extragradient, midpoint, heun, rk4)');
    refuses(() => methodRule('heavy-ball', new Map([['gamma', r(1, 2)]])), 'method "heavy-ball" has no parameter "gamma" (its parameters: beta)');
    refuses(() => methodRule('rk4', new Map([['beta', r(1, 2)]])), 'method "rk4" has no parameter "beta" (it has no parameters)');
    refuses(() => methodRule('nesterov', new Map([['momentum', r(1, 2)], ['beta', r(1, 3)]])), 'parameter "beta" of "nesterov" is given twice');
  });

  it('refuses β with a double root or a parasitic root on or outside the unit circle', () => {
    // β = 1: a = (2, −1), ρ(ζ) = (ζ − 1)²; β = −1: parasitic root −1; β = 2: parasitic root 2.
    refuses(
      () => methodRule('heavy-ball', beta(r(1))),
      "heavy-ball with beta = 1: 1 is a double root of the characteristic polynomial (ρ'(1) = 0), so no equation of motion exists; the series needs |beta| < 1",
    );
    for (const [name, b] of [['heavy-ball', r(-1)], ['nesterov', r(2)], ['nesterov-lookahead', r(-3, 2)]] as const) {
      refuses(
        () => methodRule(name, beta(b)),
        `${name} with beta = ${Rational.toString(b)}: the iterates do not settle on one flow (a root of the characteristic polynomial other than 1 lies on or outside the unit circle; the series needs |beta| < 1)`,
      );
    }
    expect(() => methodRule('heavy-ball', beta(r(-99, 100)))).not.toThrow();
    expect(() => methodRule('heavy-ball', beta(r(0)))).not.toThrow();
  });

  it('instantiate: refuses an undeclared parameter; names symbolic ones in a refusal; no condition, no suffix', () => {
    const spec = (build: MethodSpec['build'], over: Partial<MethodSpec> = {}): MethodSpec => ({ name: 'm', description: 'd', params: [{ name: 'k', aliases: [], about: '' }], build, ...over });
    const one = <C>(F: { one: C }) => ({ iterates: [F.one], gradients: [] as C[] });
    refuses(() => instantiate(spec((F, p) => ({ recurrence: { history: [p('gamma')], stages: [one(F)], weights: [F.one] } })), new Map()), 'method "m" reads an undeclared parameter "gamma"');
    // Weights k − k = 0 with k symbolic: the refusal names k without a value.
    refuses(
      () => instantiate(spec((F, p) => ({ recurrence: { history: [F.one], stages: [one(F)], weights: [F.sub(p('k'), p('k'))] } })), new Map()),
      'm with k: the gradient weights add up to 0, so the rule does not descend',
    );
    // No parameters and no condition: the bare name, no suffix.
    refuses(
      () => instantiate(spec((F) => ({ recurrence: { history: [F.fromInteger(2)], stages: [one(F)], weights: [F.one] } }), { params: [] }), new Map()),
      'm: the coefficients of θ_n, θ_{n−1}, … in θ_{n+1} must add up to 1, they add up to 2',
    );
    // a = (1/2, 3/2, −1): ρ(ζ) = ζ³ − ½ζ² − 3/2 ζ + 1 = (ζ − 1)(ζ² + ½ζ − 1), a root ≈ −1.28 outside.
    refuses(
      () => instantiate(spec((F) => ({ recurrence: { history: [F.div(F.one, F.fromInteger(2)), F.div(F.fromInteger(3), F.fromInteger(2)), F.fromInteger(-1)], stages: [one(F)], weights: [F.one] } }), { params: [] }), new Map()),
      'm: the iterates do not settle on one flow (a root of the characteristic polynomial other than 1 lies on or outside the unit circle)',
    );
    // Two parameters: the second is read, both are named (symbolic ones bare, exact ones with their value).
    const two = (build: MethodSpec['build']) => spec(build, { params: [{ name: 'k', aliases: [], about: '' }, { name: 'j', aliases: [], about: '' }] });
    refuses(
      () => instantiate(two((F, p) => ({ recurrence: { history: [F.one], stages: [one(F)], weights: [F.sub(p('j'), p('j'))] } })), new Map([['k', r(1, 2)]])),
      'm with k = 1/2, j: the gradient weights add up to 0, so the rule does not descend',
    );
    refuses(
      () => instantiate(two((F) => ({ recurrence: { history: [F.div(F.one, F.fromInteger(2)), F.div(F.fromInteger(3), F.fromInteger(2)), F.fromInteger(-1)], stages: [one(F)], weights: [F.one] } })), new Map([['k', r(1)], ['j', r(2)]])),
      'm with k = 1, j = 2: the iterates do not settle on one flow (a root of the characteristic polynomial other than 1 lies on or outside the unit circle)',
    );
    const exact = instantiate(spec((F, p) => ({ recurrence: { history: [F.one], stages: [one(F)], weights: [p('k')] } }), { condition: 'k > 0' }), new Map([['k', r(2)]]));
    expect([[...exact.params], exact.condition, s((exact as UpdateRule).weights)]).toEqual([[['k', '2']], undefined, ['2']]);
    const symbolic = instantiate(spec((F, p) => ({ recurrence: { history: [F.one], stages: [one(F)], weights: [p('k')] } }), { condition: 'k > 0' }), new Map());
    expect([[...symbolic.params], symbolic.condition]).toEqual([[['k', 'k']], 'k > 0']);
  });
});
