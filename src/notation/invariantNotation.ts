/**
 * Text and LaTeX of the symmetry closed forms (derive/symmetryRates.ts): the scalar invariants as
 * ⟨F(τa), F(τb)⟩ with the elementary-differential names (‖F(τ)‖² when both sides agree), the
 * ‖θ‖² terms gathered into one bracket, the rest grouped by power of η.
 *
 * @example
 *   scaleNormRateText(scaleNormRate(solveCounterTerms(1), 1))
 *   // "d‖θ‖²/dt = -(2λ + ηλ² + 2/3 η²λ³)‖θ‖² + η‖g‖² + η²⟨g, H g⟩"
 *   translationRateText(translationRate(solveCounterTerms(1), 1))
 *   // "d(1·θ)/dt = -(λ + 1/2 ηλ² + 1/3 η²λ³)(1·θ)"
 */
import type { Rational } from '../series/fraction.js';
import type { FreeTreeInvariant } from '../derive/freeTrees.js';
import type { RateTerm, ScaleNormRate, SymmetryRateTerm } from '../derive/symmetryRates.js';
import { defaultTreeStore, type TreeStore } from '../trees/store.js';
import { elementaryLatex, elementaryText } from './elementary.js';
import { checkedLatex } from './katexCheck.js';
import { rationalStyles, type CoefficientStyle } from './coefficients.js';

interface Style {
  readonly coefficients: CoefficientStyle<Rational>;
  /** η^e λ^l (e, l ≥ 0, not both needed), '' when both are 0. */
  monomial(etaPower: number, lambdaPower: number): string;
  /** Coefficient magnitude joined to what follows ("2λ", "1/3 λ"). */
  join(magnitude: string, rest: string): string;
  readonly normSquared: string;
  invariant(inv: FreeTreeInvariant, store: TreeStore): string;
  group(inner: string): string;
  readonly lhsScale: string;
  readonly lhsTranslation: string;
  readonly translationFactor: string;
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const sup = (n: number) => (n === 1 ? '' : [...String(n)].map((d) => SUPERSCRIPT[Number(d)]).join(''));

const textStyle: Style = {
  coefficients: rationalStyles.text,
  monomial: (e, l) => (e > 0 ? `η${sup(e)}` : '') + (l > 0 ? `λ${sup(l)}` : ''),
  join: (m, rest) => (m === '' || rest === '' ? m + rest : /^\d+$/.test(m) ? `${m}${rest}` : `${m} ${rest}`),
  normSquared: '‖θ‖²',
  invariant: (inv, store) => {
    const a = elementaryText(inv.left, store);
    return inv.left.id === inv.right.id ? `‖${a}‖²` : `⟨${a}, ${elementaryText(inv.right, store)}⟩`;
  },
  group: (inner) => `(${inner})`,
  lhsScale: 'd‖θ‖²/dt',
  lhsTranslation: 'd(1·θ)/dt',
  translationFactor: '(1·θ)',
};

const latexStyle: Style = {
  coefficients: rationalStyles.latex,
  monomial: (e, l) => (e > 0 ? (e === 1 ? '\\eta' : `\\eta^{${e}}`) : '') + (l > 0 ? (l === 1 ? '\\lambda' : `\\lambda^{${l}}`) : ''),
  join: (m, rest) => (m === '' ? rest : rest === '' ? m : `${m} ${rest}`),
  normSquared: '\\lVert\\theta\\rVert^{2}',
  invariant: (inv, store) => {
    const a = elementaryLatex(inv.left, store);
    return inv.left.id === inv.right.id
      ? `\\lVert ${a} \\rVert^{2}`
      : `\\langle ${a}, ${elementaryLatex(inv.right, store)} \\rangle`;
  },
  group: (inner) => `\\left(${inner}\\right)`,
  lhsScale: '\\frac{d\\lVert\\theta\\rVert^{2}}{dt}',
  lhsTranslation: '\\frac{d(\\mathbf{1}\\cdot\\theta)}{dt}',
  translationFactor: '(\\mathbf{1}\\cdot\\theta)',
};

/** A signed piece of a sum: its sign and the text of its magnitude. */
interface Piece {
  readonly negative: boolean;
  readonly body: string;
}

function joinPieces(pieces: readonly Piece[]): string {
  if (pieces.length === 0) return '0';
  return pieces.map((p, i) => (i === 0 ? (p.negative ? `-${p.body}` : p.body) : `${p.negative ? '-' : '+'} ${p.body}`)).join(' ');
}

/** |c| · rest, as one piece. */
function piece(style: Style, c: Rational, rest: string): Piece {
  return { negative: c.num < 0n, body: style.join(style.coefficients.magnitude(c), rest) };
}

/**
 * Σ_i c_i m_i · factor, written "c m · factor" for one term and "-(…)factor" / "(…)factor"
 * for several (a leading minus pulled out of the bracket).
 */
function bracketed(style: Style, terms: readonly { c: Rational; monomial: string }[], factor: string): Piece {
  if (terms.length === 1) return piece(style, terms[0]!.c, terms[0]!.monomial + factor);
  const negative = terms[0]!.c.num < 0n;
  const inner = terms.map((t) => piece(style, negative ? { num: -t.c.num, den: t.c.den } : t.c, t.monomial));
  return { negative, body: `${style.group(joinPieces(inner))}${factor}` };
}

function scaleRate(rate: ScaleNormRate<Rational>, style: Style): string {
  const pieces: Piece[] = [];
  const norm = rate.terms.filter((t) => t.factor === 'normSquared');
  if (norm.length) pieces.push(bracketed(style, norm.map((t) => ({ c: t.coefficient, monomial: style.monomial(t.etaPower, t.lambdaPower) })), style.normSquared));
  const byEta = new Map<number, SymmetryRateTerm<Rational>[]>();
  for (const t of rate.terms) if (t.factor !== 'normSquared') (byEta.get(t.etaPower) ?? byEta.set(t.etaPower, []).get(t.etaPower)!).push(t);
  for (const [e, terms] of [...byEta].sort((a, b) => a[0] - b[0])) {
    const inner = terms.map((t) => ({
      c: t.coefficient,
      monomial: style.monomial(0, t.lambdaPower) + style.invariant(t.factor as FreeTreeInvariant, rate.store),
    }));
    if (inner.length === 1) pieces.push(piece(style, inner[0]!.c, style.monomial(e, 0) + inner[0]!.monomial));
    else pieces.push({ negative: false, body: `${style.monomial(e, 0)}${style.group(joinPieces(inner.map((t) => piece(style, t.c, t.monomial))))}` });
  }
  return `${style.lhsScale} = ${joinPieces(pieces)}`;
}

function translation(rate: readonly RateTerm<Rational>[], style: Style): string {
  const terms = rate.filter((t) => t.coefficient.num !== 0n).map((t) => ({ c: t.coefficient, monomial: style.monomial(t.etaPower, t.lambdaPower) }));
  const body = terms.length === 0 ? '0' : joinPieces([bracketed(style, terms, style.translationFactor)]);
  return `${style.lhsTranslation} = ${body}`;
}

/**
 * d‖θ‖²/dt of a scale-invariant layer under EoM_K, as plain text.
 *
 * @example
 *   scaleNormRateText(scaleNormRate(solveCounterTerms(0), 0)) // "d‖θ‖²/dt = -(2λ + ηλ²)‖θ‖² + η‖g‖²"
 */
export function scaleNormRateText(rate: ScaleNormRate<Rational>): string {
  return scaleRate(rate, textStyle);
}

/**
 * The same in LaTeX, checked by KaTeX.
 *
 * @example
 *   scaleNormRateLatex(scaleNormRate(solveCounterTerms(0), 0))
 *   // "\\frac{d\\lVert\\theta\\rVert^{2}}{dt} = -\\left(2 \\lambda + \\eta\\lambda^{2}\\right)\\lVert\\theta\\rVert^{2} + \\eta\\lVert g \\rVert^{2}"
 */
export function scaleNormRateLatex(rate: ScaleNormRate<Rational>): string {
  return checkedLatex(scaleRate(rate, latexStyle));
}

/**
 * d(1·θ)/dt of a translation-invariant group under EoM_K, as plain text.
 *
 * @example
 *   translationRateText(translationRate(solveCounterTerms(0), 0)) // "d(1·θ)/dt = -(λ + 1/2 ηλ²)(1·θ)"
 */
export function translationRateText(rate: readonly RateTerm<Rational>[]): string {
  return translation(rate, textStyle);
}

/**
 * The same in LaTeX, checked by KaTeX.
 *
 * @example
 *   translationRateLatex(translationRate(solveCounterTerms(0), 0))
 */
export function translationRateLatex(rate: readonly RateTerm<Rational>[]): string {
  return checkedLatex(translation(rate, latexStyle));
}

/**
 * One invariant ⟨F(τa), F(τb)⟩ (‖F(τ)‖² when τa = τb) in text.
 *
 * @example
 *   invariantText(invariantOfCut(defaultTreeStore.leaf, defaultTreeStore.leaf)) // "‖g‖²"
 */
export function invariantText(inv: FreeTreeInvariant, store: TreeStore = defaultTreeStore): string {
  return textStyle.invariant(inv, store);
}

/**
 * One invariant in LaTeX, checked by KaTeX.
 *
 * @example
 *   invariantLatex(invariantOfCut(defaultTreeStore.leaf, defaultTreeStore.leaf)) // "\\lVert g \\rVert^{2}"
 */
export function invariantLatex(inv: FreeTreeInvariant, store: TreeStore = defaultTreeStore): string {
  return checkedLatex(latexStyle.invariant(inv, store));
}
