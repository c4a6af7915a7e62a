/**
 * Independent correctness checks of the loss layer (src/loss + src/compile): the concrete counter
 * terms ξ_k(θ) of a user's loss string, against oracles that share no code with src/loss.
 *
 * Theory (Source: Miyagawa, NeurIPS 2022, the EoM of gradient descent; docs/design.md §2):
 *   dθ/dt = −g − Σ_k η^{k+1} ξ_k(θ),  g = ∇L,
 *   ξ_0 = ½Hg = ¼∇‖g‖²,   ξ_1 = ⅓H²g + 1/12 ∇³L[g, g],
 * and integrating EoM_K for time η from θ0 misses the GD step θ0 − η g(θ0) by O(η^{K+3}).
 *
 * Oracles used (each expected value below names one of these):
 *   [LIE]   test/helpers/lieSeriesOracle.ts: ξ_k of a polynomial loss by solving the Lie-series
 *           equation order by order on exact polynomials (no trees, no src code); the loss is read
 *           independently by `polynomialFromSource` (mathjs in Fraction mode + own walker).
 *   [FORM]  the closed forms above: ξ_0 = ¼∇‖g‖² (symbolic, built here from loss.diff over Σ g_j²:
 *           a different route from the solver's ½Hg, though the same differentiator; and numerically
 *           with mathjs `derivative` for both g and ∇‖g‖², no src differentiation) and ξ_0 = ½Hg, ξ_1 = ⅓H²g + 1/12 ∇³L[g,g]
 *           evaluated by Richardson-extrapolated finite differences of the compiled gradient.
 *   [MATHJS] mathjs `derivative` of a hand-written mathjs form of each loss (plain number config),
 *           and mathjs re-parsing/evaluating the JSON output.
 *   [NERD]  nerdamer's own diff + expand of a polynomial loss (child process, time budget).
 *   [RK4]   test/helpers/numericField.ts: RK4 + Richardson integration of the compiled field.
 *   [EVAL]  src's evaluatePoly (slow direct evaluation), for the compiled code only.
 */
import { describe, expect, it } from 'vitest';
import { all, create } from 'mathjs';
import {
  compileCounterTerms,
  evaluatePoly,
  lossCounterTerms,
  lossCounterTermsJson,
  Poly,
  rational,
  type CompiledCounterTerms,
  type LossCounterTerms,
} from '../src/index.js';
import { gdMap, lieSeriesCounterTerms } from './helpers/lieSeriesOracle.js';
import {
  directionalDerivative,
  exactQ,
  nerdamerHalfHg,
  polynomialFromSource,
  prng,
  qToNumber,
  randomRational,
  relErr,
  secondDirectionalDerivative,
  toOraclePoly,
  vnorm,
} from './helpers/lossOracles.js';
import { logLogSlope, rk4Richardson } from './helpers/numericField.js';
import { gradient as oracleGradient, qEquals, qToString, type Q } from './helpers/polynomial.js';

const VERBOSE = process.env.EOM_VERBOSE === '1';

interface Case {
  readonly name: string;
  /** The loss as given to lossCounterTerms. */
  readonly source: string;
  readonly vars: readonly string[];
  readonly weightDecay?: string;
  /** Substituted before deriving (LossOptions.values). */
  readonly values?: Readonly<Record<string, string>>;
  /** Exact values of the constants left symbolic (a, lambda), used only when evaluating. */
  readonly symbolic?: Readonly<Record<string, string>>;
  /**
   * The same loss written by hand for mathjs / nerdamer / the exact reader: functions mathjs lacks
   * expanded (softplus(u) = log(1 + exp(u)), sigmoid(u) = 1/(1 + exp(−u)),
   * logsumexp(u…) = log(Σ exp(u)), log(1 + exp(u)) kept as is) and weight decay λ/2‖θ‖² written out.
   */
  readonly independent: string;
  readonly polynomial: boolean;
  /**
   * Regression: lossCounterTermsJson used to throw for this loss because its inline LaTeX (every
   * atom written out) exceeded KaTeX's default maxExpand in the LaTeX check.
   */
  readonly jsonLatexBug?: true;
}

const CASES: readonly Case[] = [
  // ---------------------------------------------------------------- polynomial
  {
    name: 'circle quartic',
    source: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3',
    vars: ['x', 'y'],
    independent: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3',
    polynomial: true,
  },
  {
    name: '3-variable quartic',
    source: 'x^4/4 - 0.3*x^2*y + y^2*z^2 + 1/3*x*y*z - 1.25*z^3 + 0.1*x + (y - z)^4/12',
    vars: ['x', 'y', 'z'],
    independent: 'x^4/4 - 0.3*x^2*y + y^2*z^2 + 1/3*x*y*z - 1.25*z^3 + 0.1*x + (y - z)^4/12',
    polynomial: true,
  },
  {
    name: 'Rosenbrock with a = 0.75 via values',
    source: 'a*(y - x^2)^2 + (1 - x)^2',
    vars: ['x', 'y'],
    values: { a: '0.75' },
    independent: 'a*(y - x^2)^2 + (1 - x)^2',
    polynomial: true,
  },
  {
    name: 'polynomial with weight decay 0.01',
    source: 'x^3*y - x*y + 0.25*y^4',
    vars: ['x', 'y'],
    weightDecay: '0.01',
    independent: 'x^3*y - x*y + 0.25*y^4 + 0.01/2*(x^2 + y^2)',
    polynomial: true,
  },
  // ---------------------------------------------------------------- transcendental
  {
    name: 'circle quartic + log(1 + exp(-x*y))',
    source: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3 + log(1 + exp(-x*y))',
    vars: ['x', 'y'],
    independent: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3 + log(1 + exp(-x*y))',
    polynomial: false,
  },
  {
    // data (0.5, −1.2) → +1, (−0.3, 0.8) → +1, (1.1, 0.4) → −1; loss Σ log(1 + exp(−y_i(w·x_i + b)))
    name: 'logistic regression, 3 points, weights w1 w2 b',
    source: 'log(1 + exp(-(0.5*w1 - 1.2*w2 + b))) + log(1 + exp(-(-0.3*w1 + 0.8*w2 + b))) + softplus(1.1*w1 + 0.4*w2 + b)',
    vars: ['w1', 'w2', 'b'],
    independent: 'log(1 + exp(-(0.5*w1 - 1.2*w2 + b))) + log(1 + exp(-(-0.3*w1 + 0.8*w2 + b))) + log(1 + exp(1.1*w1 + 0.4*w2 + b))',
    polynomial: false,
  },
  {
    name: 'sin(x)*cos(y) + x^2/4',
    source: 'sin(x)*cos(y) + x^2/4',
    vars: ['x', 'y'],
    independent: 'sin(x)*cos(y) + x^2/4',
    polynomial: false,
  },
  {
    name: 'sqrt and division',
    source: 'sqrt(1 + x^2 + 2*y^2) + x/(1 + y^2)',
    vars: ['x', 'y'],
    independent: 'sqrt(1 + x^2 + 2*y^2) + x/(1 + y^2)',
    polynomial: false,
  },
  {
    name: 'logsumexp in 3 variables',
    source: 'logsumexp(x - y, 2*y - z, z + 0.5*x) + 0.2*(x^2 + y^2 + z^2)',
    vars: ['x', 'y', 'z'],
    independent: 'log(exp(x - y) + exp(2*y - z) + exp(z + 0.5*x)) + 0.2*(x^2 + y^2 + z^2)',
    polynomial: false,
    jsonLatexBug: true,
  },
  {
    name: 'tanh and sigmoid',
    source: 'tanh(x*y) + sigmoid(x - 2*y)^2 + 0.3*x^2',
    vars: ['x', 'y'],
    independent: 'tanh(x*y) + (1 / (1 + exp(-(x - 2*y))))^2 + 0.3*x^2',
    polynomial: false,
  },
  {
    name: 'exp/cos with numeric weight decay 1/10',
    source: 'exp(-x*y)*cos(x) + y^2/2',
    vars: ['x', 'y'],
    weightDecay: '1/10',
    independent: 'exp(-x*y)*cos(x) + y^2/2 + (1/10)/2*(x^2 + y^2)',
    polynomial: false,
  },
  {
    name: 'softplus with symbolic weight decay lambda',
    source: 'softplus(x - y) + exp(0.3*x)',
    vars: ['x', 'y'],
    weightDecay: 'lambda',
    symbolic: { lambda: '1/5' },
    independent: 'log(1 + exp(x - y)) + exp(0.3*x) + lambda/2*(x^2 + y^2)',
    polynomial: false,
  },
  {
    name: 'symbolic constant a',
    source: 'a*sin(x*y) + (x - 1)^2 + y^2/3',
    vars: ['x', 'y'],
    symbolic: { a: '7/10' },
    independent: 'a*sin(x*y) + (x - 1)^2 + y^2/3',
    polynomial: false,
  },
  {
    name: 'pi and log',
    source: 'cos(pi*y)/pi + log(1 + x^2 + y^2) + 0.5*(x - 0.2)^2',
    vars: ['x', 'y'],
    independent: 'cos(pi*y)/pi + log(1 + x^2 + y^2) + 0.5*(x - 0.2)^2',
    polynomial: false,
  },
];

const POLY_ORDER = 3;
const TRANS_ORDER = 2;

const derived = new Map<string, LossCounterTerms>();
function derive(c: Case): LossCounterTerms {
  let r = derived.get(c.name);
  if (!r) {
    r = lossCounterTerms(c.source, {
      order: c.polynomial ? POLY_ORDER : TRANS_ORDER,
      vars: c.vars,
      ...(c.weightDecay !== undefined ? { weightDecay: c.weightDecay } : {}),
      ...(c.values ? { values: c.values } : {}),
    });
    derived.set(c.name, r);
  }
  return r;
}

/** Numeric values of the symbolic constants (those left symbolic in the normal form). */
function constantsOf(c: Case): Record<string, number> {
  return Object.fromEntries(Object.entries(c.symbolic ?? {}).map(([k, v]) => [k, qToNumber(exactQ(v))]));
}

/** Numeric values of every non-parameter name of `independent` (symbolic and substituted ones). */
function namesOf(c: Case): Record<string, number> {
  return Object.fromEntries(Object.entries({ ...(c.values ?? {}), ...(c.symbolic ?? {}) }).map(([k, v]) => [k, qToNumber(exactQ(v))]));
}

const compiledCache = new Map<string, CompiledCounterTerms>();
function compiled(c: Case): CompiledCounterTerms {
  let k = compiledCache.get(c.name);
  if (!k) {
    const r = derive(c);
    k = compileCounterTerms(r.loss, r.xi, constantsOf(c));
    compiledCache.set(c.name, k);
  }
  return k;
}

/** Deterministic random points in [−r, r]^n. */
function points(c: Case, count: number, seed: number, r = 0.9): number[][] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => c.vars.map(() => (rand() * 2 - 1) * r));
}

function scopeAt(c: Case, theta: readonly number[]): Record<string, number> {
  return { ...namesOf(c), ...Object.fromEntries(c.vars.map((v, i) => [v, theta[i]!])) };
}

/** The longest JSON component evaluated in 40-digit BigNumber arithmetic (see the JSON test). */
const BIG_REFERENCE_CHARS = 40_000;
const math = create(all, {}); // plain number configuration
const fractionMath = create(all, { number: 'Fraction' });
const bigMath = create(all, { number: 'BigNumber', precision: 40 });

/**
 * Σ_t |value of term t| of each component at a point: the natural round-off scale of evaluating an
 * expanded normal form in floating point. Some ξ_2 (tanh/sigmoid) cancel by a factor 1e5–1e7 here, so
 * comparisons between two floating-point evaluations allow 4ε·Σ|terms| on top of the relative
 * tolerance (checked against a 40-digit mathjs BigNumber reference when this was written: all
 * three evaluators are off by ~1e-10 relative there, none is wrong).
 */
function termScale(ps: readonly Poly[], c: Case, scope: Record<string, number>): number[] {
  const { loss } = derive(c);
  return ps.map((p) => {
    let s = 0;
    for (const t of p.terms()) s += Math.abs(evaluatePoly(Poly.monomial(t.mono, t.coef), loss.table, scope));
    return s;
  });
}

/**
 * max_i |a_i − e_i| / (rel·‖e‖∞ + 4ε·scale_i): ≤ 1 means agreement to `rel` relative, up to the
 * round-off that the cancellation in the expanded form forces on any floating-point evaluation.
 */
function conditionedErr(a: readonly number[], e: readonly number[], scale: readonly number[], rel: number): number {
  const norm = Math.max(...e.map(Math.abs));
  return Math.max(...a.map((x, i) => Math.abs(x - e[i]!) / (rel * norm + 4 * Number.EPSILON * scale[i]! + 1e-300)));
}

const POLY_CASES = CASES.filter((c) => c.polynomial);
const TRANS_CASES = CASES.filter((c) => !c.polynomial);

// =================================================================================================
// 1. Polynomial losses: ξ_0..ξ_3 EXACTLY equal the Lie-series oracle [LIE]
// =================================================================================================

describe('polynomial losses: ξ_0..ξ_3 equal the Lie-series oracle exactly', () => {
  for (const c of POLY_CASES) {
    it(c.name, () => {
      const r = derive(c);
      const L = polynomialFromSource(c.independent, c.vars, c.values ?? {});
      // Expected: [LIE] the oracle gradient of the independently read loss.
      const gOracle = oracleGradient(L);
      r.loss.gradient().forEach((gi, i) => expect(toOraclePoly(gi, r.loss).equals(gOracle[i]!), `g_${c.vars[i]}`).toBe(true));
      // Expected: [LIE] lieSeriesCounterTerms(L, gradient descent, 3).
      const xiOracle = lieSeriesCounterTerms(L, gdMap, POLY_ORDER);
      for (let k = 0; k <= POLY_ORDER; k++) {
        r.xi[k]!.forEach((p, i) => {
          const ours = toOraclePoly(p, r.loss);
          const ok = ours.equals(xiOracle[k]![i]!);
          if (!ok) console.log(`ξ_${k},${c.vars[i]} ours: ${ours}\n oracle: ${xiOracle[k]![i]}`);
          expect(ok, `ξ_${k} component ${c.vars[i]}`).toBe(true);
        });
      }
    });
  }
});

// =================================================================================================
// 2. ξ_0 = ¼∇‖g‖² symbolically, for every loss [FORM]
// =================================================================================================

describe('ξ_0 equals ¼∇‖g‖² symbolically (Poly.equals)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { loss, xi } = derive(c);
      const g = loss.gradient();
      const norm2 = Poly.sum(g.map((gi) => gi.mul(gi)));
      // Expected: [FORM] ξ_0 = ¼∇‖g‖² (gradient of ‖g‖², a different route from ½Hg).
      const expected = loss.varIds.map((id) => loss.diff.partial(norm2, id).scale(rational(1, 4)));
      xi[0]!.forEach((p, i) => expect(p.equals(expected[i]!), `component ${c.vars[i]}`).toBe(true));
      // The same identity with no src differentiation at all: [MATHJS] ¼∇‖g‖², g and ∇ both by mathjs
      // `derivative` of the independent form, against ξ_0 evaluated at random points.
      const gm = c.vars.map((v) => math.derivative(c.independent, v, { simplify: false }));
      const norm2m = math.parse(gm.map((d) => `(${d.toString()})^2`).join(' + '));
      const quarter = c.vars.map((v) => math.derivative(norm2m, v, { simplify: false }).compile());
      for (const theta of points(c, 3, 404)) {
        const scope = scopeAt(c, theta);
        const want = quarter.map((d) => (d.evaluate(scope) as number) / 4);
        const got = xi[0]!.map((p) => evaluatePoly(p, loss.table, scope));
        expect(relErr(got, want), `¼∇‖g‖² by mathjs at ${theta}`).toBeLessThan(1e-9);
      }
      // and the constants stay what they should be: symbolic ones remain, substituted ones vanish
      expect([...loss.constants].sort()).toEqual(Object.keys(c.symbolic ?? {}).sort());
    });
  }
});

// =================================================================================================
// 3. Transcendental losses: ξ_0, ξ_1 against finite differences of the compiled gradient [FORM]
// =================================================================================================

describe('ξ_0 = ½Hg and ξ_1 = ⅓H²g + 1/12 ∇³L[g,g] by finite differences of the compiled gradient', () => {
  for (const c of TRANS_CASES) {
    it(c.name, () => {
      const k = compiled(c);
      const G = (th: readonly number[]) => Array.from(k.gradient(th));
      let worst0 = 0;
      let worst1 = 0;
      for (const theta of points(c, 4, 101, 0.8)) {
        const g = G(theta);
        const Hg = directionalDerivative(G, theta, g);
        const D2 = secondDirectionalDerivative(G, theta, g);
        const H2g = directionalDerivative(G, theta, Hg);
        // Expected: [FORM] ξ_0 = ½Hg, ξ_1 = ⅓H²g + 1/12 ∇³L[g, g] (finite differences).
        const xi0 = Hg.map((v) => v / 2);
        const xi1 = H2g.map((v, i) => v / 3 + D2[i]! / 12);
        const e0 = relErr(Array.from(k.xi[0]!(theta)), xi0);
        const e1 = relErr(Array.from(k.xi[1]!(theta)), xi1);
        worst0 = Math.max(worst0, e0);
        worst1 = Math.max(worst1, e1);
        expect(e0, `ξ_0 at ${theta}`).toBeLessThan(1e-8);
        expect(e1, `ξ_1 at ${theta}`).toBeLessThan(1e-8);
      }
      if (VERBOSE) console.log(`${c.name}: FD rel err ξ_0 ${worst0.toExponential(2)}, ξ_1 ${worst1.toExponential(2)}`);
    });
  }
});

// =================================================================================================
// 4. External differentiators: mathjs (all losses) and nerdamer (polynomial losses)
// =================================================================================================

describe('mathjs derivative of the loss agrees with our gradient', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { loss } = derive(c);
      const k = compiled(c);
      // Expected: [MATHJS] derivative(independent form, v) evaluated in plain numbers.
      const dL = c.vars.map((v) => math.derivative(c.independent, v).compile());
      for (const theta of points(c, 5, 202)) {
        const scope = scopeAt(c, theta);
        const expected = dL.map((d) => d.evaluate(scope) as number);
        expect(relErr(Array.from(k.gradient(theta)), expected), `compiled at ${theta}`).toBeLessThan(1e-10);
        const slow = loss.gradient().map((gi) => evaluatePoly(gi, loss.table, scope));
        expect(relErr(slow, expected), `evaluatePoly at ${theta}`).toBeLessThan(1e-10);
      }
    });
  }
});

describe('nerdamer diff + expand gives the same g and ξ_0 = ½Hg (exactly, fractions)', () => {
  for (const c of POLY_CASES) {
    it(c.name, () => {
      const r = derive(c);
      // nerdamer gets the loss with substituted constants written as fractions.
      let text = c.independent;
      for (const [name, v] of Object.entries(c.values ?? {})) text = text.replace(new RegExp(`\\b${name}\\b`, 'g'), `(${qToString(exactQ(v))})`);
      // Expected: [NERD] nerdamer.diff and expand, fraction output, read back exactly.
      const nd = nerdamerHalfHg(text, c.vars);
      for (const s of [...nd.gradient, ...nd.halfHg]) expect(s).not.toMatch(/\d\.\d/);
      r.loss.gradient().forEach((gi, i) => {
        expect(toOraclePoly(gi, r.loss).equals(polynomialFromSource(nd.gradient[i]!, c.vars)), `g_${c.vars[i]}`).toBe(true);
      });
      r.xi[0]!.forEach((p, i) => {
        expect(toOraclePoly(p, r.loss).equals(polynomialFromSource(nd.halfHg[i]!, c.vars)), `ξ_0,${c.vars[i]}`).toBe(true);
      });
      // and numerically at random points (nerdamer's strings through mathjs)
      const k = compiled(c);
      for (const theta of points(c, 3, 303)) {
        const scope = scopeAt(c, theta);
        const expected = nd.halfHg.map((s) => math.evaluate(s, scope) as number);
        expect(relErr(Array.from(k.xi[0]!(theta)), expected)).toBeLessThan(1e-12);
      }
    });
  }
});

// =================================================================================================
// 5. The JSON contract: mathjs-parsable, exact, and equal to evaluatePoly / compiled ξ_k
// =================================================================================================

describe('JSON components re-parsed by mathjs', () => {
  for (const c of CASES) {
    if (c.jsonLatexBug) {
      // Regression (found by this file): the JSON's inline LaTeX (~360 \operatorname{logsumexp} per
      // component) exceeded KaTeX's default maxExpand = 1000 in src/notation/katexCheck.ts.
      it(`${c.name}: lossCounterTermsJson renders its long inline LaTeX`, () => {
        const full = lossCounterTermsJson(derive(c), { inline: true });
        expect(Object.values(full.xi[1]!.latex).every((l) => l.length > 1000)).toBe(true);
      });
    }
    it(c.name, () => {
      const r = derive(c);
      let json: { xi: { k: number; components: Record<string, string> }[] };
      {
        const full = lossCounterTermsJson(r, { inline: true });
        expect(full.loss).toBe(c.source);
        expect(full.vars).toEqual([...c.vars]);
        expect(full.order).toBe(r.order);
        expect(full.xi.map((x) => x.k)).toEqual(Array.from({ length: r.order + 1 }, (_, k) => k));
        json = full;
      }
      const k = compiled(c);
      const parsed = json.xi.map((x) =>
        c.vars.map((v) => {
          const s = x.components[v]!;
          // Expected: the JSON contract (src/loss/render.ts doc) — exact rationals, no decimals.
          expect(s, `ξ_${x.k},${v}`).not.toMatch(/\d\.|\.\d/);
          expect(s, `ξ_${x.k},${v}`).not.toMatch(/\d[eE][-+]?\d/);
          return math.parse(s).compile();
        }),
      );
      for (const theta of points(c, 4, 404)) {
        const scope = scopeAt(c, theta);
        parsed.forEach((comps, kk) => {
          // Expected: [MATHJS] evaluation of the JSON strings.
          const viaMathjs = comps.map((f) => f.evaluate(scope) as number);
          const viaEval = r.xi[kk]!.map((p) => evaluatePoly(p, r.loss.table, scope));
          const scale = termScale(r.xi[kk]!, c, scope);
          expect(conditionedErr(viaEval, viaMathjs, scale, 1e-10), `ξ_${kk} evaluatePoly at ${theta}`).toBeLessThanOrEqual(1);
          if (kk < k.xi.length) expect(conditionedErr(Array.from(k.xi[kk]!(theta)), viaMathjs, scale, 1e-10), `ξ_${kk} compiled at ${theta}`).toBeLessThanOrEqual(1);
        });
      }
      // A 40-digit reference: the JSON strings evaluated by mathjs in BigNumber arithmetic. The
      // compiled ξ_k must be as accurate as the cancellation in the expanded form allows. Orders whose
      // strings exceed BIG_REFERENCE_CHARS (ξ_2 of logsumexp and tanh/sigmoid, 50–86 kB each) are left to
      // the double-precision comparison above: BigNumber evaluation of them took ~10 s of the suite.
      const bigParsed = json.xi.map((x) =>
        c.vars.every((v) => x.components[v]!.length <= BIG_REFERENCE_CHARS)
          ? c.vars.map((v) => bigMath.parse(x.components[v]!).compile())
          : undefined,
      );
      expect(bigParsed.filter(Boolean).length, 'orders with a 40-digit reference').toBeGreaterThanOrEqual(2);
      let worst = 0;
      for (const theta of points(c, 1, 707)) {
        const scope = scopeAt(c, theta);
        const bigScope = Object.fromEntries(Object.entries(scope).map(([n, v]) => [n, bigMath.bignumber(v)]));
        bigParsed.forEach((comps, kk) => {
          if (!comps || kk >= k.xi.length) return;
          // Expected: [MATHJS] 40-digit evaluation of the JSON strings.
          const ref = comps.map((f) => Number((f.evaluate(bigScope) as { toString(): string }).toString()));
          const got = Array.from(k.xi[kk]!(theta));
          worst = Math.max(worst, relErr(got, ref));
          expect(conditionedErr(got, ref, termScale(r.xi[kk]!, c, scope), 1e-12), `ξ_${kk} vs 60 digits at ${theta}`).toBeLessThanOrEqual(1);
        });
      }
      if (VERBOSE) console.log(`${c.name}: compiled ξ_k vs 40-digit reference, worst rel err ${worst.toExponential(2)}`);
      if (c.polynomial) {
        // Exact: the JSON strings evaluated by mathjs in Fraction mode at rational points equal the
        // [LIE] oracle's ξ_k evaluated exactly there.
        const L = polynomialFromSource(c.independent, c.vars, c.values ?? {});
        const xiOracle = lieSeriesCounterTerms(L, gdMap, POLY_ORDER);
        const rand = prng(505);
        for (let t = 0; t < 3; t++) {
          const pt: Q[] = c.vars.map(() => randomRational(rand));
          const scope = Object.fromEntries(c.vars.map((v, i) => [v, fractionMath.fraction(`${pt[i]!.n}/${pt[i]!.d}`)]));
          json.xi.forEach((x) =>
            c.vars.forEach((v, i) => {
              const f = fractionMath.evaluate(x.components[v]!, scope) as unknown as { s: bigint; n: bigint; d: bigint };
              const got: Q = { n: f.s * f.n, d: f.d };
              const want = xiOracle[x.k]![i]!.evaluate(pt);
              expect(qEquals(got, want), `ξ_${x.k},${v} at ${pt.map(qToString)}: ${qToString(got)} vs ${qToString(want)}`).toBe(true);
            }),
          );
        }
      }
    });
  }
});

// =================================================================================================
// 6. One-step identity of the compiled EoM_K [RK4]
// =================================================================================================

interface OneStepCase {
  readonly c: Case;
  readonly theta0: number[];
  readonly etas: number[];
}

/**
 * θ0 = (0.8, 0.5): ‖H‖ ≈ 5 there, so η ≤ 0.02 keeps η‖H‖ ≤ 0.1, and no ξ_{K+1}(θ0) is accidentally
 * small next to ξ_{K+2}(θ0) (at (0.6, 0.4) ‖ξ_1‖ = 0.63 but ‖ξ_2‖ = 7.2, which pushes the K = 0
 * slope to 3.3 on this ladder: a pre-asymptotic effect, not an error).
 */
const ONE_STEP: readonly OneStepCase[] = [
  { c: CASES.find((x) => x.name === 'circle quartic')!, theta0: [0.8, 0.5], etas: [0.02, 0.01, 0.005, 0.0025] },
  { c: CASES.find((x) => x.name === 'circle quartic + log(1 + exp(-x*y))')!, theta0: [0.8, 0.5], etas: [0.02, 0.01, 0.005, 0.0025] },
];

describe('one-step identity: EoM_K flow for time η misses θ0 − ηg(θ0) by O(η^{K+3})', () => {
  for (const { c, theta0, etas } of ONE_STEP) {
    it(c.name, () => {
      const k = compiled(c);
      const g0 = Array.from(k.gradient(theta0));
      for (const K of [-1, 0, 1, 2]) {
        const field = k.fieldOfOrder(K);
        const diffs = etas.map((eta) => {
          const f = (th: number[]) => Array.from(field(th, eta));
          const { displacement, errorEstimate } = rk4Richardson(f, theta0, eta, 16);
          // θ_EoM − θ_GD = δ + η g(θ0) (δ = θ_EoM − θ0)
          const diff = displacement.map((d, i) => d + eta * g0[i]!);
          expect(errorEstimate, `integrator error, K=${K}, η=${eta}`).toBeLessThan(vnorm(diff) / 100);
          return diff;
        });
        const errs = diffs.map(vnorm);
        // Expected: [FORM] the leading miss is η^{K+3} ξ_{K+1}(θ0); checked (to 5%, the O(η)
        // correction at the smallest η) where ξ_{K+1} is compiled.
        if (K + 1 < k.xi.length) {
          const eta = etas[etas.length - 1]!;
          const lead = diffs[diffs.length - 1]!.map((d) => d / eta ** (K + 3));
          expect(relErr(lead, Array.from(k.xi[K + 1]!(theta0))), `leading term K=${K}`).toBeLessThan(0.05);
        }
        const slope = logLogSlope(etas, errs);
        if (VERBOSE) console.log(`${c.name} K=${K}: errs ${errs.map((e) => e.toExponential(2)).join(' ')} slope ${slope.toFixed(3)}`);
        // Expected: [FORM]/[RK4] slope K + 3.
        expect(Math.abs(slope - (K + 3)), `K=${K} slope ${slope}`).toBeLessThan(0.3);
      }
    });
  }
});

// =================================================================================================
// 7. Compiled functions against evaluatePoly [EVAL]
// =================================================================================================

describe('compiled gradient and ξ_0..ξ_2 agree with evaluatePoly to 1e-12', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = derive(c);
      const k = compiled(c);
      for (const theta of points(c, 5, 606)) {
        const scope = scopeAt(c, theta);
        // Expected: [EVAL] direct evaluation of the same normal forms.
        const g = r.loss.gradient().map((p) => evaluatePoly(p, r.loss.table, scope));
        expect(conditionedErr(Array.from(k.gradient(theta)), g, termScale(r.loss.gradient(), c, scope), 1e-12), `g at ${theta}`).toBeLessThanOrEqual(1);
        expect(Math.abs(k.loss(theta) - evaluatePoly(r.loss.expr, r.loss.table, scope))).toBeLessThan(1e-12 * Math.max(1, Math.abs(k.loss(theta))));
        for (let kk = 0; kk <= 2; kk++) {
          const want = r.xi[kk]!.map((p) => evaluatePoly(p, r.loss.table, scope));
          const got = Array.from(k.xi[kk]!(theta));
          const e = conditionedErr(got, want, termScale(r.xi[kk]!, c, scope), 1e-12);
          if (VERBOSE && relErr(got, want) >= 1e-12) console.log(`${c.name} ξ_${kk}: rel ${relErr(got, want).toExponential(2)} within round-off of Σ|terms|`);
          expect(e, `ξ_${kk} at ${theta}`).toBeLessThanOrEqual(1);
        }
        // the fields −g − Σ η^{k+1} ξ_k against the same pieces
        const eta = 0.1;
        const want = g.map((gi, i) => -gi - eta * evaluatePoly(r.xi[0]![i]!, r.loss.table, scope) - eta ** 2 * evaluatePoly(r.xi[1]![i]!, r.loss.table, scope));
        const fieldScale = termScale(r.loss.gradient(), c, scope).map(
          (s, i) => s + eta * termScale(r.xi[0]!, c, scope)[i]! + eta ** 2 * termScale(r.xi[1]!, c, scope)[i]!,
        );
        expect(conditionedErr(Array.from(k.fieldOfOrder(1)(theta, eta)), want, fieldScale, 1e-12), `EoM_1 field at ${theta}`).toBeLessThanOrEqual(1);
      }
    });
  }
});
