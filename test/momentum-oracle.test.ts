/**
 * Independent checks of the momentum counter terms (issue 10): every coefficient of the solver's
 * c and ξ_k for recurrences (heavy ball, both Nesterov forms, a 3-step method, extragradient with
 * momentum) is held against a second route that shares no code with src/derive:
 *
 * - a direct Taylor expansion of the recurrence on a polynomial loss (test/helpers/recurrenceOracle.ts,
 *   exact rational polynomial vectors, the recurrence given as literal tables written here);
 * - heavy ball on L = ½ a θ² in closed form, from the principal root of the characteristic equation
 *   (test/helpers/heavyBallQuadratic.ts), for every order k ≤ 8, at fixed β and symbolically;
 * - the published ξ_0 (Kovachki & Stuart 2021; Ghosh et al. 2023) and GD's series at β = 0.
 *
 * On the sextic loss below the elementary differentials of all trees with ≤ 6 nodes are linearly
 * independent (checked in lie-series-oracle.test.ts, "coverage of tree coefficients"), so equal
 * polynomial vectors there mean equal coefficients tree by tree.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CounterTermSolver, gradientDescent, rational, type Fraction, type Rational, type TreeSeries, type UpdateRule } from '../src/index.js';
import { methodRule } from '../src/derive/methods.js';
import { parseRecurrence } from '../src/derive/recurrenceParser.js';
import { evaluateSymbols, monomials } from '../src/series/symbols.js';
import { fixedBeta, heavyBallQuadraticLog, oneMinusBetaPower, polyEquals, polyMul, symbolicBeta, type BetaFraction } from './helpers/heavyBallQuadratic.js';
import { evaluateTreeSeries, type TreeShape } from './helpers/lieSeriesOracle.js';
import {
  Poly,
  gradient,
  independentSextic,
  polyFromRows,
  q,
  qadd,
  qEquals,
  qmul,
  qneg,
  qToString,
  vecEquals,
  vecScale,
  vecSub,
  vecToString,
  type PolyVec,
  type Q,
} from './helpers/polynomial.js';
import { dot, logLogSlope, norm, rk4Richardson } from './helpers/numericField.js';
import { recurrenceCounterTerms, recurrenceResidual, type RationalRecurrence } from './helpers/recurrenceOracle.js';

// ---------------------------------------------------------------- losses

/** F(τ) of all trees with ≤ 6 nodes are linearly independent on it (see independentSextic). */
const SEXTIC = independentSextic();

/** A small non-convex quartic for the brute-force self-check of the oracle. */
const QUARTIC = polyFromRows(2, [
  [q(1, 4), [4, 0]],
  [q(1), [1, 2]],
  [q(-1, 3), [0, 3]],
  [q(2), [1, 1]],
]);

// ---------------------------------------------------------------- literal recurrence tables

const stageAt = (...iterates: Q[]) => ({ iterates, gradients: [] as Q[] });
const onePlus = (b: Q) => qadd(q(1), b);

/** θ_{n+1} = (1+β)θ_n − βθ_{n−1} − η g(θ_n). */
const heavyBallTable = (b: Q): RationalRecurrence => ({ history: [onePlus(b), qneg(b)], stages: [stageAt(q(1))], weights: [q(1)] });
/** θ_{n+1} = (1+β)θ_n − βθ_{n−1} − η[(1+β) g(θ_n) − β g(θ_{n−1})] (PyTorch nesterov=True). */
const nesterovTable = (b: Q): RationalRecurrence => ({
  history: [onePlus(b), qneg(b)],
  stages: [stageAt(q(1)), stageAt(q(0), q(1))],
  weights: [onePlus(b), qneg(b)],
});
/** θ_{n+1} = y − η g(y), y = (1+β)θ_n − βθ_{n−1}. */
const lookaheadTable = (b: Q): RationalRecurrence => ({
  history: [onePlus(b), qneg(b)],
  stages: [stageAt(onePlus(b), qneg(b))],
  weights: [q(1)],
});

const METHODS = [
  { name: 'heavy-ball', table: heavyBallTable, text: 'theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1])' },
  {
    name: 'nesterov',
    table: nesterovTable,
    text: 'theta[n+1] = (1+beta)*theta[n] - beta*theta[n-1] - eta*((1+beta)*grad(theta[n]) - beta*grad(theta[n-1]))',
  },
  {
    name: 'nesterov-lookahead',
    table: lookaheadTable,
    text: 'theta[n+1] = theta[n] + beta*(theta[n] - theta[n-1]) - eta*grad(theta[n] + beta*(theta[n] - theta[n-1]))',
  },
] as const;

const BETAS: readonly Q[] = [q(1, 2), q(9, 10), q(-1, 3)];

/**
 * A 3-step recurrence: ρ(ζ) = ζ³ − 11/6 ζ² + ζ − 1/6 = (ζ − 1)(ζ − 1/2)(ζ − 1/3) (parasitic roots
 * 1/2 and 1/3), with a second gradient at the extrapolated point 2θ_{n−1} − θ_{n−2}:
 * θ_{n+1} = 11/6 θ_n − θ_{n−1} + 1/6 θ_{n−2} − η[3/2 g(θ_n) − 1/2 g(2θ_{n−1} − θ_{n−2})].
 */
const THREE_STEP: RationalRecurrence = {
  history: [q(11, 6), q(-1), q(1, 6)],
  stages: [stageAt(q(1)), stageAt(q(0), q(2), q(-1))],
  weights: [q(3, 2), q(-1, 2)],
};
const THREE_STEP_TEXT = 'theta[n+1] = 11/6*theta[n] - theta[n-1] + 1/6*theta[n-2] - eta*(3/2*grad(theta[n]) - 1/2*grad(2*theta[n-1] - theta[n-2]))';

/**
 * Extragradient with momentum (β = 1/2): y = θ_n + ½(θ_n − θ_{n−1}), z = y − η g(y),
 * θ_{n+1} = y − η[¼ g(y) + ¾ g(z)]: the second stage uses the first stage's gradient.
 */
const EXTRA_MOMENTUM: RationalRecurrence = {
  history: [q(3, 2), q(-1, 2)],
  stages: [stageAt(q(3, 2), q(-1, 2)), { iterates: [q(3, 2), q(-1, 2)], gradients: [q(1)] }],
  weights: [q(1, 4), q(3, 4)],
};
const EXTRA_MOMENTUM_TEXT =
  'theta[n+1] = theta[n] + 1/2*(theta[n] - theta[n-1]) - eta*(1/4*grad(theta[n] + 1/2*(theta[n] - theta[n-1])) + 3/4*grad(theta[n] + 1/2*(theta[n] - theta[n-1]) - eta*grad(theta[n] + 1/2*(theta[n] - theta[n-1]))))';

// ---------------------------------------------------------------- solver side, read as data

type AnyRule = UpdateRule<unknown>;

/** A coefficient of the rule's ring at the given symbol values (identity when there are no symbols). */
function valueOf(rule: AnyRule, x: Fraction<unknown>, values: ReadonlyMap<string, Rational>): Q {
  const num = evaluateSymbols(rule.ring, x.num, values);
  const den = evaluateSymbols(rule.ring, x.den, values);
  return q(num.num * den.den, num.den * den.num);
}

interface SolverOnLoss {
  readonly c: Q;
  readonly xi: Poly[][];
}

function solverOnLoss(
  from: AnyRule | CounterTermSolver<unknown>,
  L: Poly,
  K: number,
  values: ReadonlyMap<string, Rational> = new Map(),
  cache = new Map<number, PolyVec>(),
): SolverOnLoss {
  const solver = from instanceof CounterTermSolver ? from : new CounterTermSolver(from);
  const rule = solver.rule;
  const g = gradient(L);
  const xi = solver.solveThrough(K).map((series: TreeSeries<Fraction<unknown>>) => {
    const terms = series.terms().map((t) => ({ tree: t.tree, coefficient: qAsFraction(valueOf(rule, t.coefficient, values)) }));
    return evaluateTreeSeries(g, terms, (id: number): TreeShape => series.store.get(id), cache);
  });
  return { c: valueOf(rule, solver.leading, values), xi };
}

const qAsFraction = (x: Q) => ({ num: x.n, den: x.d });

function expectSameVector(actual: PolyVec, expected: PolyVec, label: string): void {
  if (!vecEquals(actual, expected)) {
    expect.fail(`${label}\n  solver: ${vecToString(actual)}\n  oracle: ${vecToString(expected)}\n  diff:   ${vecToString(vecSub(actual, expected))}`);
  }
}

function expectAgree(solver: SolverOnLoss, oracle: { c: Q; xi: Poly[][] }, label: string): void {
  expect(qToString(solver.c), `${label}: c`).toBe(qToString(oracle.c));
  oracle.xi.forEach((x, k) => expectSameVector(solver.xi[k]!, x, `${label}: ξ_${k}`));
}

const betaValue = (b: Q): ReadonlyMap<string, Rational> => new Map([['beta', rational(b.n, b.d)]]);
const exactBeta = (b: Q) => new Map([['beta', rational(b.n, b.d)]]);
const symbolicBetaParam = () => new Map([['beta', undefined]]);

// ---------------------------------------------------------------- the oracle itself

describe('recurrence oracle (self-checks)', () => {
  it('reproduces the Lie-series oracle for gradient descent (a = (1), one stage at θ_n): ξ_0 = ½ H g, ξ_1 = ⅓ H² g + 1/12 ∇³L[g,g]', () => {
    // Source: Barrett & Dherin 2021 (ξ_0 = ½ H g) and Miyagawa, NeurIPS 2022 (ξ_1), built here from
    // derivatives of the loss: H g = D_g g, H² g = D_{Hg} g, ∇³L[g,g] = D_g(H g) − H(H g).
    const g = gradient(QUARTIC);
    const D = (field: PolyVec, v: PolyVec) => field.map((p) => v.reduce((s, vi, i) => s.add(vi.mul(p.diff(i))), Poly.zero(2)));
    const Hg = D(g, g);
    const HHg = D(g, Hg);
    const D3gg = vecSub(D(Hg, g), HHg);
    const { c, xi } = recurrenceCounterTerms(QUARTIC, { history: [q(1)], stages: [stageAt(q(1))], weights: [q(1)] }, 1);
    expect(qToString(c)).toBe('1');
    expectSameVector(xi[0]!, vecScale(Hg, q(1, 2)), 'ξ_0');
    expectSameVector(xi[1]!, Hg.map((_, i) => HHg[i]!.scale(q(1, 3)).add(D3gg[i]!.scale(q(1, 12)))), 'ξ_1');
  });

  it('brute-force residual of the recurrence vanishes through η^{K+2} with the oracle answer, and not with a perturbed one', () => {
    // Source: the defining identity (R) of the helper, evaluated from scratch by recurrenceResidual.
    for (const [rec, K2] of [[heavyBallTable(q(1, 2)), 2], [nesterovTable(q(-1, 3)), 1], [THREE_STEP, 1], [EXTRA_MOMENTUM, 2]] as const) {
      const { c, xi } = recurrenceCounterTerms(QUARTIC, rec, K2);
      recurrenceResidual(QUARTIC, rec, c, xi).forEach((E, j) => expect(E.every((p) => p.isZero()), `E[${j}]`).toBe(true));
      const bumped = xi.map((x, k) => (k === 1 ? x.map((p, i) => (i === 1 ? p.add(Poly.constant(2, q(1, 7))) : p)) : x));
      expect(recurrenceResidual(QUARTIC, rec, c, bumped)[3]!.every((p) => p.isZero())).toBe(false);
      expect(recurrenceResidual(QUARTIC, rec, qadd(c, q(1, 1000)), xi)[1]!.every((p) => p.isZero())).toBe(false);
    }
  });
});

// ---------------------------------------------------------------- solver vs oracle on the sextic

const K = 3;

describe(`momentum methods on the sextic: solver ξ_0…ξ_${K} and c equal the recurrence oracle exactly`, () => {
  const cache = new Map<number, PolyVec>();
  const symbolic = new Map<string, CounterTermSolver<unknown>>();
  beforeAll(() => {
    for (const m of METHODS) symbolic.set(m.name, new CounterTermSolver(methodRule(m.name, symbolicBetaParam())));
  });

  for (const m of METHODS) {
    for (const b of BETAS) {
      it(`${m.name}, β = ${qToString(b)}: exact β, symbolic β evaluated, and the written-out recurrence`, () => {
        // Expected: the recurrence oracle on the literal table above (no src/derive code).
        const oracle = recurrenceCounterTerms(SEXTIC, m.table(b), K);
        expectAgree(solverOnLoss(methodRule(m.name, exactBeta(b)), SEXTIC, K, new Map(), cache), oracle, `${m.name} β exact`);
        const sym = symbolic.get(m.name)!;
        expectAgree(solverOnLoss(sym, SEXTIC, K, betaValue(b), cache), oracle, `${m.name} β symbolic`);
        expectAgree(solverOnLoss(parseRecurrence(m.text, exactBeta(b)), SEXTIC, K, new Map(), cache), oracle, `${m.name} parsed`);
      });
    }
  }

  it('the written-out recurrences give the same tree series as the named methods (exact and symbolic β)', () => {
    for (const m of METHODS) {
      for (const params of [exactBeta(q(9, 10)), symbolicBetaParam()]) {
        const named = new CounterTermSolver(methodRule(m.name, params));
        const parsed = new CounterTermSolver(parseRecurrence(m.text, params));
        expect(parsed.field.equals(parsed.leading, named.leading), `${m.name} c`).toBe(true);
        const a = named.solveThrough(4);
        const p = parsed.solveThrough(4);
        a.forEach((s, k) => expect(p[k]!.equals(s), `${m.name} ξ_${k}: ${p[k]!.toString()} vs ${s.toString()}`).toBe(true));
      }
    }
  });

  it('a 3-step recurrence (parasitic roots 1/2, 1/3; a gradient at 2θ_{n−1} − θ_{n−2}), from rule data and parsed', () => {
    const oracle = recurrenceCounterTerms(SEXTIC, THREE_STEP, K);
    // c = Σb/ρ'(1) = 1/(1 + 1·(−1) + 2·(1/6)) = 3 (hand arithmetic).
    expect(qToString(oracle.c)).toBe('3');
    expectAgree(solverOnLoss(parseRecurrence(THREE_STEP_TEXT), SEXTIC, K, new Map(), cache), oracle, '3-step parsed');
    expectAgree(solverOnLoss(ruleOf('three-step', THREE_STEP), SEXTIC, K, new Map(), cache), oracle, '3-step data');
  });

  it('extragradient with momentum (a stage using an earlier stage’s gradient), from rule data and parsed', () => {
    const oracle = recurrenceCounterTerms(SEXTIC, EXTRA_MOMENTUM, K);
    expect(qToString(oracle.c)).toBe('2');
    expectAgree(solverOnLoss(parseRecurrence(EXTRA_MOMENTUM_TEXT), SEXTIC, K, new Map(), cache), oracle, 'EG+momentum parsed');
    expectAgree(solverOnLoss(ruleOf('eg-momentum', EXTRA_MOMENTUM), SEXTIC, K, new Map(), cache), oracle, 'EG+momentum data');
  });

  it('heavy ball at β = 9/10 (PyTorch’s default momentum) through ξ_4', () => {
    const oracle = recurrenceCounterTerms(SEXTIC, heavyBallTable(q(9, 10)), 4);
    expectAgree(solverOnLoss(methodRule('heavy-ball', exactBeta(q(9, 10))), SEXTIC, 4, new Map(), cache), oracle, 'heavy-ball β = 9/10');
  });

  it('explicit Runge–Kutta methods by name (midpoint, heun, rk4): ξ_0 … ξ_3, RK4’s vanishing below η⁴', () => {
    const rk = (a: Q[][], w: Q[]): RationalRecurrence => ({ history: [q(1)], stages: a.map((row) => ({ iterates: [q(1)], gradients: row })), weights: w });
    const h = q(1, 2);
    const tables = new Map<string, RationalRecurrence>([
      ['midpoint', rk([[], [h]], [q(0), q(1)])],
      ['heun', rk([[], [q(1)]], [h, h])],
      ['rk4', rk([[], [h], [q(0), h], [q(0), q(0), q(1)]], [q(1, 6), q(1, 3), q(1, 3), q(1, 6)])],
    ]);
    for (const [name, table] of tables) {
      const oracle = recurrenceCounterTerms(SEXTIC, table, K);
      expectAgree(solverOnLoss(methodRule(name), SEXTIC, K, new Map(), cache), oracle, name);
    }
    // Source: RK4 has order 4, so its modified field differs from the gradient flow only from η⁴ on.
    const rk4 = recurrenceCounterTerms(SEXTIC, tables.get('rk4')!, K);
    expect(rk4.xi.slice(0, 3).every((x) => x.every((p) => p.isZero()))).toBe(true);
    expect(rk4.xi[3]!.every((p) => p.isZero())).toBe(false);
  });

  it('negative control: the oracles of different methods differ, so the comparisons above can fail', () => {
    // Heavy ball differs from both Nesterov forms already at ξ_0. The two Nesterov forms share ξ_0:
    // PyTorch's iterates are the look-ahead points y_n = θ_n + β(θ_n − θ_{n−1}) = θ_n − βηc g + O(η²)
    // of the other form, a near-identity change of variables whose O(η) correction to the field is
    // βc²[g, g] = 0; they part at ξ_1.
    const hb = recurrenceCounterTerms(SEXTIC, heavyBallTable(q(1, 2)), 1);
    const ne = recurrenceCounterTerms(SEXTIC, nesterovTable(q(1, 2)), 1);
    const la = recurrenceCounterTerms(SEXTIC, lookaheadTable(q(1, 2)), 1);
    expect(vecEquals(hb.xi[0]!, ne.xi[0]!)).toBe(false);
    expect(vecEquals(hb.xi[0]!, la.xi[0]!)).toBe(false);
    expect(vecEquals(ne.xi[0]!, la.xi[0]!)).toBe(true);
    expect(vecEquals(ne.xi[1]!, la.xi[1]!)).toBe(false);
  });
});

/** An UpdateRule over the integers built directly from a literal table (the solver's input format). */
function ruleOf(name: string, rec: RationalRecurrence): AnyRule {
  const r = (x: Q) => rational(x.n, x.d);
  return {
    name,
    description: name,
    ring: gradientDescent.ring,
    params: new Map(),
    history: rec.history.map(r),
    stages: rec.stages.map((s) => ({ iterates: s.iterates.map(r), gradients: s.gradients.map(r) })),
    weights: rec.weights.map(r),
  } as AnyRule;
}

// ---------------------------------------------------------------- β = 0 is gradient descent

describe('β = 0: every momentum method gives gradient descent’s series exactly', () => {
  const gd = new CounterTermSolver(gradientDescent);

  it('exact β = 0: c = 1 and ξ_0 … ξ_6 equal GD’s tree by tree', () => {
    const expected = gd.solveThrough(6);
    for (const m of METHODS) {
      const solver = new CounterTermSolver(methodRule(m.name, exactBeta(q(0))));
      expect(solver.field.toString(solver.leading), `${m.name} c`).toBe('1');
      solver.solveThrough(6).forEach((s, k) => expect(s.equals(expected[k]! as TreeSeries<Fraction<unknown>>), `${m.name} ξ_${k}`).toBe(true));
    }
  });

  it('symbolic β evaluated at β = 0: ξ_0 … ξ_4 equal GD’s tree by tree', () => {
    const expected = gd.solveThrough(4);
    const zero = betaValue(q(0));
    for (const m of METHODS) {
      const solver = new CounterTermSolver(methodRule(m.name, symbolicBetaParam()));
      expect(qToString(valueOf(solver.rule, solver.leading, zero))).toBe('1');
      solver.solveThrough(4).forEach((s, k) => {
        // Every tree with k + 2 nodes: a coefficient may vanish at β = 0 only (GD's ∇⁴L[g,g,g] in ξ_2).
        for (const tree of s.store.ofOrder(k + 2)) {
          const got = qToString(valueOf(solver.rule, s.coefficient(tree), zero));
          expect(got, `${m.name} ξ_${k} tree ${tree.id}`).toBe(qToString(toQ(expected[k]!.coefficient(tree))));
        }
      });
    }
  });
});

const toQ = (x: { num: bigint; den: bigint }): Q => q(x.num, x.den);

// ---------------------------------------------------------------- heavy ball: published values

/** A ring element of Z[β] as a dense Q-polynomial in β (read through the library's `monomials`). */
function betaPolynomial(rule: AnyRule, x: unknown): Q[] {
  const out: Q[] = [];
  for (const m of monomials(rule.ring, x)) {
    const e = m.exponents.get('beta') ?? 0;
    while (out.length <= e) out.push(q(0));
    out[e] = qadd(out[e]!, q(m.coefficient));
  }
  return out;
}

/** num/den (from the solver) equals p/(1 − β)^e, by cross-multiplying polynomials in β. */
function expectBetaFraction(rule: AnyRule, x: Fraction<unknown>, want: BetaFraction, label: string): void {
  const lhs = polyMul(betaPolynomial(rule, x.num), oneMinusBetaPower(want.e));
  const rhs = polyMul(want.p, betaPolynomial(rule, x.den));
  expect(polyEquals(lhs, rhs), `${label}: ${rule.ring.toString(x.num)} / ${rule.ring.toString(x.den)}`).toBe(true);
}

describe('heavy ball: the published leading factor and ξ_0, as rational functions of β', () => {
  it('c = 1/(1 − β) and ξ_0 = (1 + β)/(2(1 − β)³) H g', () => {
    // Source: Kovachki & Stuart, "Continuous time analysis of momentum methods", JMLR 22 (2021), and
    // Ghosh et al., "Implicit regularization in heavy-ball momentum accelerated stochastic gradient
    // descent", ICLR 2023 (arXiv:2302.00849): on the invariant manifold heavy ball follows
    // dθ/dt = −1/(1−β) ∇[L + η(1+β)/(4(1−β)²)‖∇L‖²] + O(η²) in t = nη. Ghosh et al.'s abstract
    // states their regulariser is (1+β)/(1−β) times GD's: GD at the effective step η' = η/(1−β)
    // (time t' = nη') has η'/4 ‖∇L‖² (Barrett & Dherin 2021), and (1+β)/(1−β)·η'/4 = η(1+β)/(4(1−β)²),
    // consistent with the form above. With ∇(½‖∇L‖²) = H g: c = 1/(1−β), ξ_0 = (1+β)/(2(1−β)³) H g.
    // (Higher orders for heavy ball: Cattaneo & Shigida, arXiv:2509.08483, 2025.)
    const rule = methodRule('heavy-ball', symbolicBetaParam());
    const solver = new CounterTermSolver(rule);
    expectBetaFraction(rule, solver.leading, { p: [q(1)], e: 1 }, 'c');
    const [term, ...rest] = solver.xi(0).terms();
    expect(rest).toHaveLength(0);
    expect(term!.tree.order).toBe(2); // the tree [•]: F = H g
    expectBetaFraction(rule, term!.coefficient, { p: [q(1, 2), q(1, 2)], e: 3 }, 'ξ_0');
  });
});

// ---------------------------------------------------------------- heavy ball on a quadratic, closed form

/** The chain tree with n nodes (F = H^{n−1} g) among a series' terms. */
function isChain(tree: { children: readonly number[] }, store: { get(id: number): { children: readonly number[] } }): boolean {
  return tree.children.length === 0 || (tree.children.length === 1 && isChain(store.get(tree.children[0]!), store));
}

describe('heavy ball on L = ½ a θ²: c and every ξ_k (k ≤ 8) from log ζ(η), ζ the principal characteristic root', () => {
  const KQ = 8;
  const a = q(3, 2);
  const quadratic = Poly.monomial(1, qmul(q(1, 2), a), [2]);

  for (const b of [q(1, 2), q(9, 10)]) {
    it(`β = ${qToString(b)}: solver's ξ_k(θ) = −ℓ_{k+2} a^{k+2} θ and c = −ℓ_1 (exact rationals)`, () => {
      // Expected: heavyBallQuadraticLog (power series of log ζ(x), no tree code).
      const ell = heavyBallQuadraticLog(fixedBeta(b), KQ + 2);
      const got = solverOnLoss(methodRule('heavy-ball', exactBeta(b)), quadratic, KQ);
      expect(qToString(got.c)).toBe(qToString(qneg(ell[1]!)));
      expect(qToString(got.c)).toBe(qToString(q(b.d, b.d - b.n))); // 1/(1 − β)
      let power = a;
      for (let k = 0; k <= KQ; k++) {
        power = qmul(power, a); // a^{k+2}
        expectSameVector(got.xi[k]!, [Poly.monomial(1, qneg(qmul(ell[k + 2]!, power)), [1])], `ξ_${k}`);
      }
    });
  }

  it('symbolic β: the chain-tree coefficients of ξ_0 … ξ_7 and c equal −ℓ_{k+2}(β), −ℓ_1(β) as rational functions', () => {
    const ell = heavyBallQuadraticLog(symbolicBeta, 9); // ξ_7 needs ℓ_9 (ξ_8 symbolic: +2 s, the fixed-β tests above reach it)
    const rule = methodRule('heavy-ball', symbolicBetaParam());
    const solver = new CounterTermSolver(rule);
    const neg = (x: BetaFraction): BetaFraction => ({ p: x.p.map(qneg), e: x.e });
    expectBetaFraction(rule, solver.leading, neg(ell[1]!), 'c');
    solver.solveThrough(7).forEach((series, k) => {
      const chains = series.terms().filter((t) => isChain(t.tree, series.store));
      expect(chains).toHaveLength(1);
      expectBetaFraction(rule, chains[0]!.coefficient, neg(ell[k + 2]!), `chain coefficient of ξ_${k}`);
      // In lowest terms the denominator is (1 − β)^{2k+3}: the η^m coefficient of F (m = k + 1; c for
      // m = 0) carries (1 − β)^{−(2m+1)}, so F/c is a series in η/(1 − β)².
      expect(ell[k + 2]!.e, `ℓ_${k + 2} denominator exponent`).toBe(2 * k + 3);
    });
    // and the symbolic closed form agrees with the fixed-β arithmetic at β = 9/10
    const fixed = heavyBallQuadraticLog(fixedBeta(q(9, 10)), 9);
    const at = (x: BetaFraction): Q => {
      let v = q(0);
      for (let i = x.p.length - 1; i >= 0; i--) v = qadd(qmul(v, q(9, 10)), x.p[i]!);
      for (let i = 0; i < x.e; i++) v = qmul(v, q(10));
      return v;
    };
    ell.forEach((x, m) => expect(qEquals(at(x), fixed[m]!), `ℓ_${m}`).toBe(true));
  });
});

// ---------------------------------------------------------------- numeric one-step identity

/** A polynomial as a float function (coefficients rounded once). */
function numeric(p: Poly): (x: readonly number[]) => number {
  const terms = p.terms().map((t) => ({ c: Number(t.coefficient.n) / Number(t.coefficient.d), e: t.exps }));
  return (x) => terms.reduce((s, t) => s + t.c * t.e.reduce((m, e, i) => m * x[i]! ** e, 1), 0);
}
const numericVec = (v: PolyVec) => v.map(numeric);

describe('heavy ball, β = 1/2, started on the manifold: one step misses the EoM_K flow by −(1−β) η^{K+3} ξ_{K+1}', () => {
  // Theory (derived in the test's terms): with F − F_K = −η^{K+2} ξ_{K+1} + O(η^{K+3}), the flows of
  // F and F_K over time t differ by −t η^{K+2} ξ_{K+1} + …. Starting from θ_{−1} = φ^K_{−η}(θ_0) (the
  // truncated EoM run backward), θ_1 = (1+β)θ_0 − βθ_{−1} − ηg(θ_0) = φ_η(θ_0) + β η^{K+3} ξ_{K+1} + …
  // and φ^K_η(θ_0) = φ_η(θ_0) + η^{K+3} ξ_{K+1} + …, so θ_1 − φ^K_η(θ_0) = −(1−β) η^{K+3} ξ_{K+1}(θ_0)
  // + O(η^{K+4}). Flows: RK4 + Richardson of test/helpers/numericField.ts (not src/simulate);
  // ξ_k: the solver's series evaluated exactly on the loss, then rounded to floats.
  const beta = q(1, 2);
  const b = 0.5;
  const theta0 = [0.3, -0.2]; // H(θ0) = [[0.27, 1.6], [1.6, 1]] is indefinite: a non-convex region
  const ETAS = [0.02, 0.01, 0.005, 0.0025]; // η·λmax/(1−β)² ≤ 0.2
  const exact = solverOnLoss(methodRule('heavy-ball', exactBeta(beta)), QUARTIC, 3);
  const g = numericVec(gradient(QUARTIC));
  const xis = exact.xi.map(numericVec);
  const c = Number(exact.c.n) / Number(exact.c.d);
  const field = (eta: number, K: number, xiList = xis) => (x: number[]) =>
    g.map((gi, i) => -c * gi(x) - xiList.slice(0, K + 1).reduce((s, xi, k) => s + eta ** (k + 1) * xi[i]!(x), 0));

  /** θ_1 − φ^K_η(θ_0) and the prediction −(1−β) η^{K+3} ξ_{K+1}(θ_0), for each η. */
  const miss = (K: number, xiList = xis) =>
    ETAS.map((eta) => {
      const f = field(eta, K, xiList);
      const back = rk4Richardson(f, theta0, -eta, 32).displacement; // θ_{−1} − θ_0
      const forward = rk4Richardson(f, theta0, eta, 32).displacement; // φ^K_η(θ_0) − θ_0
      // θ_1 − θ_0 = β(θ_0 − θ_{−1}) − η g(θ_0), formed on O(η) differences
      const step = theta0.map((_, i) => -b * back[i]! - eta * g[i]!(theta0));
      const diff = step.map((s, i) => s - forward[i]!);
      const predicted = xis[K + 1]!.map((xi) => -(1 - b) * eta ** (K + 3) * xi(theta0));
      return { diff, predicted };
    });

  for (const K of [0, 1, 2]) {
    it(`K = ${K}: fitted slope ${K + 3}, and the miss approaches the prediction`, () => {
      const m = miss(K);
      const errs = m.map((x) => norm(x.diff));
      const slope = logLogSlope(ETAS, errs);
      const last = m[m.length - 1]!;
      const ratio = norm(last.diff) / norm(last.predicted);
      const cosine = dot(last.diff, last.predicted) / (norm(last.diff) * norm(last.predicted));
      if (process.env.EOM_VERBOSE === '1') console.log(`K=${K} slope ${slope} ratio ${ratio} cos ${cosine} errs ${errs}`);
      // Measured: slopes 3.04, 4.03, 5.04; ratios 1.012, 1.007, 1.011; cosines ≥ 0.99995 (K = 0, 1, 2).
      expect(Math.abs(slope - (K + 3))).toBeLessThan(0.15);
      expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
      expect(cosine).toBeGreaterThan(0.999);
    });
  }

  it('negative control: gradient descent’s ξ_0 in place of heavy ball’s breaks the K = 0 order', () => {
    const gdXi0 = numericVec(recurrenceCounterTerms(QUARTIC, { history: [q(1)], stages: [stageAt(q(1))], weights: [q(1)] }, 0).xi[0]!);
    const errs = miss(0, [gdXi0]).map((x) => norm(x.diff));
    expect(logLogSlope(ETAS, errs)).toBeLessThan(2.5);
  });
});

// ---------------------------------------------------------------- bad input

describe('bad input is refused with a one-line reason', () => {
  const refuses = (f: () => unknown, why: RegExp) => {
    let message = '';
    try {
      f();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message, 'it must throw').not.toBe('');
    expect(message).toMatch(why);
    expect(message).not.toContain('\n');
  };

  it('methods: β = 1 (1 a double root), β = 2 and β = −1 (a parasitic root on or outside the unit circle), unknown or repeated parameters', () => {
    refuses(() => methodRule('heavy-ball', exactBeta(q(1))), /double root/);
    refuses(() => methodRule('nesterov', exactBeta(q(1))), /double root/);
    for (const m of METHODS) {
      refuses(() => methodRule(m.name, exactBeta(q(2))), /unit circle.*\|beta\| < 1/);
      refuses(() => methodRule(m.name, exactBeta(q(-1))), /unit circle.*\|beta\| < 1/);
    }
    refuses(() => methodRule('heavy-ball', new Map([['gamma', rational(1, 2)]])), /no parameter "gamma"/);
    refuses(() => methodRule('heavy-ball', new Map([['beta', rational(1, 2)], ['momentum', rational(1, 2)]])), /given twice/);
    refuses(() => methodRule('adam'), /unknown method "adam"/);
    // and just inside the circle is accepted
    expect(() => methodRule('heavy-ball', exactBeta(q(-99, 100)))).not.toThrow();
  });

  it('recurrences: θ_{n+1} on both sides, non-linear gradient arguments, η missing or doubled, products of iterates, unknown --param', () => {
    refuses(() => parseRecurrence('theta[n+1] = theta[n+1] - eta*grad(theta[n])'), /both sides/);
    refuses(() => parseRecurrence('theta[n+1] = theta[n] - eta*grad(theta[n+1])'), /implicit/);
    refuses(() => parseRecurrence('theta[n+1] = theta[n] - eta*grad(theta[n]^2)'), /only parameters may be raised/);
    refuses(() => parseRecurrence('theta[n+1] = theta[n] - eta*grad(sin(theta[n]))'), /sin\(…\) is not allowed/);
    refuses(() => parseRecurrence('theta[n+1] = theta[n] - eta*grad(theta[n]*theta[n-1])'), /linear in them/);
    refuses(() => parseRecurrence('theta[n+1] = theta[n] - grad(theta[n])'), /multiplied by eta exactly once/);
    refuses(() => parseRecurrence('theta[n+1] = theta[n] - eta*eta*grad(theta[n])'), /multiplied by eta exactly once/);
    refuses(() => parseRecurrence('theta[n+1] = theta[n] - eta*theta[n-1] + eta*theta[n] - eta*grad(theta[n])'), /eta may only multiply a gradient/);
    refuses(() => parseRecurrence('theta[n+1] = theta[n] - eta*grad(theta[n]) + theta[n]*theta[n-1]'), /linear in them/);
    refuses(() => parseRecurrence(METHODS[0].text, new Map([['gamma', rational(1, 2)]])), /--param gamma: the recurrence has no parameter "gamma"/);
    refuses(() => parseRecurrence(METHODS[0].text, exactBeta(q(1))), /double root/);
    refuses(() => parseRecurrence(METHODS[0].text, exactBeta(q(2))), /unit circle/);
    refuses(() => parseRecurrence('theta[n+1] = 2*theta[n] - eta*grad(theta[n])'), /add up to 1/);
  });
});
