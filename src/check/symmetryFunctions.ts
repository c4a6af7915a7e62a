/**
 * Claim functions from a symmetry's closed forms (derive/symmetryRates.ts):
 *
 * - `rate(K)`: the closed form of the governed quantity's derivative under EoM_K, evaluated on
 *   the concrete loss — d‖θ‖²/dt (scale) from its invariants ⟨F(τa), F(τb)⟩ of L (without weight
 *   decay), or d(1_A·θ)/dt (translation). Compared with 2θ·field(K) it checks the abstract
 *   contraction against the loss's own exact derivatives.
 * - `rateCoefficient(j)`: the rational r_j with d(1_A·θ)/dt = Σ_j r_j η^j λ^{j+1} (1_A·θ) for the
 *   untruncated series (translation invariance; from the chain coefficients of ξ_{j−1}).
 *
 * @example
 *   // "rateCoefficient(j) + 1/(j+1)" for j = 0..9: the rate is log(1 − ηλ)/η
 */
import { scaleNormRate, translationRate } from '../derive/symmetryRates.js';
import { ElementaryDifferentials } from '../loss/concrete.js';
import type { Loss } from '../loss/loss.js';
import { Poly } from '../loss/poly.js';
import type { Symmetry } from '../loss/symmetry.js';
import { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { ETA } from './concreteSemantics.js';
import type { CounterTermSource } from './counterTermSource.js';
import { ClaimError, expectInteger, type ClaimValue, type Semantics } from './values.js';

type Fns<S, V> = Record<string, (args: readonly ClaimValue<S, V>[]) => ClaimValue<S, V>>;

/** Reads an integer argument without a semantics at hand (both semantics' scalars qualify). */
function integerArg<S, V>(args: readonly ClaimValue<S, V>[], name: string, integerOf: (s: S) => number | undefined): number {
  if (args.length !== 1) throw new ClaimError(`${name}(…) takes one argument`);
  return expectInteger({ integerOf } as Semantics<S, V>, args[0]!, `the argument of ${name}`);
}

function rateCoefficient(source: CounterTermSource, j: number): Rational {
  if (j < 0) throw new ClaimError(`rateCoefficient(j) needs j ≥ 0, got ${j}`);
  const xi = source.forClosedForms(Math.max(j - 1, 0));
  return translationRate(xi, j - 1)[j]!.coefficient;
}

const rationalInteger = (r: Rational) => (r.den === 1n ? Number(r.num) : undefined);
const polyInteger = (s: Poly) => {
  const c = s.isZero() ? Rational.zero : s.constantValue();
  return c && c.den === 1n ? Number(c.num) : undefined;
};

export const symmetryFunctions = {
  abstract(source: CounterTermSource): Fns<Rational, TreeSeries<Rational>> {
    return {
      rateCoefficient: (args) => ({ type: 'scalar', value: rateCoefficient(source, integerArg(args, 'rateCoefficient', rationalInteger)) }),
    };
  },

  concrete(ctx: { loss: Loss; loss0: Loss; source: CounterTermSource; symmetry?: Symmetry }): Fns<Poly, Poly[]> {
    const { loss, loss0, source, symmetry } = ctx;
    const eta = loss.table.constantSymbol(ETA);
    const lambda = (): Poly => {
      const wd = loss.weightDecay;
      if (wd === undefined) return Poly.zero;
      return loss.constants.includes(wd) ? loss.table.constantSymbol(wd) : Poly.constant(lambdaValue(loss0, loss));
    };
    const F0 = new ElementaryDifferentials(loss0);
    const theta = loss.varIds.map((id) => Poly.atom(id));
    return {
      rateCoefficient: (args) => ({ type: 'scalar', value: Poly.constant(rateCoefficient(source, integerArg(args, 'rateCoefficient', polyInteger))) }),
      rate: (args) => {
        if (!symmetry) throw new ClaimError('rate(K) needs a symmetry in the inputs');
        const K = integerArg(args, 'rate', polyInteger);
        if (K < -1) throw new ClaimError(`rate(K) needs K ≥ −1 (gradient flow), got ${K}`);
        const xi = source.forClosedForms(Math.max(K, 0));
        const lam = lambda();
        const monomial = (e: number, l: number, c: Rational) => eta.powInt(e).mul(lam.powInt(l)).scale(c);
        const inGroup = loss.vars.map((v) => symmetry.group.includes(v));
        if (symmetry.kind === 'translation') {
          const s = Poly.sum(theta.filter((_, i) => inGroup[i]));
          return { type: 'scalar', value: Poly.sum(translationRate(xi, K).map((t) => monomial(t.etaPower, t.lambdaPower, t.coefficient))).mul(s) };
        }
        if (inGroup.some((x) => !x)) throw new ClaimError('rate(K) of a scale symmetry needs the group to be every parameter');
        const rate = scaleNormRate(xi, K);
        const norm2 = Poly.sum(theta.map((t) => t.mul(t)));
        const dot = (a: Poly[], b: Poly[]) => Poly.sum(a.map((x, i) => x.mul(b[i]!)));
        return {
          type: 'scalar',
          value: Poly.sum(
            rate.terms.map((t) =>
              monomial(t.etaPower, t.lambdaPower, t.coefficient).mul(t.factor === 'normSquared' ? norm2 : dot(F0.of(t.factor.left, rate.store), F0.of(t.factor.right, rate.store))),
            ),
          ),
        };
      },
    };
  },
};

/** λ as an exact number when the weight decay is numeric: read back from L_λ − L = λ/2 ‖θ‖². */
function lambdaValue(loss0: Loss, loss: Loss): Rational {
  const diff = loss.expr.sub(loss0.expr);
  const x = loss.varIds[0]!;
  for (const t of diff.terms()) if (t.mono.atoms.length === 1 && t.mono.atoms[0] === x && t.mono.exps[0] === 2) return Rational.mul(t.coef, Rational.fromInteger(2));
  return Rational.zero;
}
