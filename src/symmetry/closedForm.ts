/**
 * The EoM_K law of the quantity a symmetry governs, in closed form (derive/symmetryRates.ts):
 * d‖θ‖²/dt in scalar invariants of L for scale invariance (the group must be every parameter:
 * the contraction identities ∇^{m+1}L[θ, …] = −m∇^mL[…] use the full θ), and d(1_A·θ)/dt as a
 * rate times 1_A·θ for translation invariance (any group).
 *
 * @example
 *   symmetryClosedForm({ kind: 'translation', group: ['z1', 'z2'] }, ['z1', 'z2'], solveCounterTerms(1), 1, 'lambda')
 *   // { form: { text: 'd(1·θ)/dt = -(λ + 1/2 ηλ² + 1/3 η²λ³)(1·θ)', … } }
 */
import { scaleNormRate, translationRate, type RateTerm, type ScaleNormRate } from '../derive/symmetryRates.js';
import type { Symmetry } from '../loss/symmetry.js';
import { scaleNormRateLatex, scaleNormRateText, translationRateLatex, translationRateText } from '../notation/invariantNotation.js';
import type { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';

export interface SymmetryClosedForm {
  readonly kind: Symmetry['kind'];
  /** EoM_K's K (−1 is gradient flow). */
  readonly order: number;
  readonly text: string;
  readonly latex: string;
  /** What λ stands for ("λ = 1/10", "λ = lambda", or "no weight decay: λ = 0"). */
  readonly lambda: string;
  readonly scale?: ScaleNormRate<Rational>;
  readonly translation?: readonly RateTerm<Rational>[];
}

export function symmetryClosedForm(
  symmetry: Symmetry,
  vars: readonly string[],
  series: readonly TreeSeries<Rational>[],
  order: number,
  weightDecay: string | number | undefined,
): { form: SymmetryClosedForm } | { note: string } {
  const named = typeof weightDecay === 'string' && /^[A-Za-z_]\w*$/.test(weightDecay.trim());
  const lambda = weightDecay === undefined ? 'none: set λ = 0' : named ? `λ is the weight decay ${String(weightDecay).trim()}` : `λ = ${weightDecay}`;
  if (symmetry.kind === 'translation') {
    const rate = translationRate(series, order);
    // With a group smaller than θ the quantity is 1_A·θ: say so in both notations.
    const subset = vars.some((v) => !symmetry.group.includes(v));
    const text = subset ? translationRateText(rate).replaceAll('1·θ', '1_A·θ') : translationRateText(rate);
    const latex = subset ? translationRateLatex(rate).replaceAll('\\mathbf{1}\\cdot', '\\mathbf{1}_A\\cdot') : translationRateLatex(rate);
    return { form: { kind: 'translation', order, text, latex, lambda, translation: rate } };
  }
  const missing = vars.filter((v) => !symmetry.group.includes(v));
  if (missing.length) {
    return {
      note: `no closed form: the scale-invariance identities contract the whole parameter vector, and ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} outside the group (the comparison with --init still runs)`,
    };
  }
  const rate = scaleNormRate(series, order);
  return { form: { kind: 'scale', order, text: scaleNormRateText(rate), latex: scaleNormRateLatex(rate), lambda, scale: rate } };
}
