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
import { Poly } from '../algebra/poly.js';
import type { Symmetry } from '../loss/symmetry.js';
import type { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { ETA } from './concreteSemantics.js';
import type { CounterTermSource } from './counterTermSource.js';
import { ClaimError, expectInteger, type ClaimFunction, type ClaimValue, type Semantics } from './values.js';

type Fns<S, V> = Record<string, ClaimFunction<S, V>>;

/** The single integer argument of `name(…)`, read by the semantics the claim runs in. */
function integerArg<S, V>(args: readonly ClaimValue<S, V>[], name: string, sem: Semantics<S, V>): number {
  if (args.length !== 1) throw new ClaimError(`${name}(…) takes one argument`);
  return expectInteger(sem, args[0]!, `the argument of ${name}`);
}

function rateCoefficient(source: CounterTermSource, j: number): Rational {
  if (j < 0) throw new ClaimError(`rateCoefficient(j) needs j ≥ 0, got ${j}`);
  const xi = source.forClosedForms(Math.max(j - 1, 0));
  return translationRate(xi, j - 1)[j]!.coefficient;
}

export const symmetryFunctions = {
  abstract(source: CounterTermSource): Fns<Rational, TreeSeries<Rational>> {
    return {
      rateCoefficient: (args, sem) => ({ type: 'scalar', value: rateCoefficient(source, integerArg(args, 'rateCoefficient', sem)) }),
    };
  },

  concrete(ctx: { loss: Loss; loss0: Loss; source: CounterTermSource; symmetry?: Symmetry }): Fns<Poly, Poly[]> {
    const { loss, loss0, source, symmetry } = ctx;
    const eta = loss.table.constantSymbol(ETA);
    const F0 = new ElementaryDifferentials(loss0);
    const theta = loss.varIds.map((id) => Poly.atom(id));
    return {
      rateCoefficient: (args, sem) => ({ type: 'scalar', value: Poly.constant(rateCoefficient(source, integerArg(args, 'rateCoefficient', sem))) }),
      rate: (args, sem) => {
        if (!symmetry) throw new ClaimError('rate(K) needs a symmetry in the inputs');
        const K = integerArg(args, 'rate', sem);
        if (K < -1) throw new ClaimError(`rate(K) needs K ≥ −1 (gradient flow), got ${K}`);
        const xi = source.forClosedForms(Math.max(K, 0));
        const lam = loss.lambda;
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

