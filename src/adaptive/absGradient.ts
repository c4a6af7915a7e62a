/**
 * |g_i| as the smooth atom s_i = sqrt(g_i²) of the loss layer, and the rules that keep normal
 * forms in it short: s_i² = g_i² (a power s_iᵉ with e ≥ 2 becomes s_i^{e mod 2}·(g_i²)^{⌊e/2⌋}) and
 * 1/g_i² = s_i⁻² (the reciprocal atom that differentiating s_i produces,
 * ∂s_i = ½ s_i (1/g_i²) ∂(g_i²), becomes a power of s_i). Both are identities wherever g_i ≠ 0,
 * which is where the closed forms hold when ε = 0.
 *
 * @example
 *   const abs = new AbsGradient(Loss.parse('x^3 + x*y'));
 *   abs.of[0]                          // sqrt((3x² + y)²) as one root atom
 *   abs.simplify(abs.of[0].powInt(3))  // s_0 · (3x² + y)² expanded
 */
import { Rational } from '../series/fraction.js';
import type { Loss } from '../loss/loss.js';
import { Monomial, Poly } from '../algebra/poly.js';

interface Rule {
  /** Replace atom^e by this. */
  readonly apply: (e: number) => Poly;
}

export class AbsGradient {
  /** s_i = sqrt(g_i²), one per parameter (zero where g_i ≡ 0, a rational where g_i is constant). */
  readonly of: readonly Poly[];
  /** g_i², expanded. */
  readonly squares: readonly Poly[];
  private readonly rules = new Map<number, Rule>();

  constructor(readonly loss: Loss) {
    const { table } = loss;
    this.squares = loss.gradient().map((gi) => gi.mul(gi));
    this.of = this.squares.map((sq) => table.power(sq, Rational.make(1n, 2n)));
    this.of.forEach((s, i) => {
      const sq = this.squares[i]!;
      const term = s.singleTerm();
      if (!term || term.mono.atoms.length !== 1 || table.get(term.mono.atoms[0]!).kind !== 'root') return;
      const sId = term.mono.atoms[0]!;
      // s^e = s^r (g²)^q with e = 2q + r, r ∈ {0, 1}: for e ≥ 2 always; for e ≤ −2 when g² is one
      // term (its reciprocal is a monomial), else negative powers stay powers of s.
      const single = sq.size === 1 ? sq.singleTerm()! : undefined;
      this.rules.set(sId, {
        apply: (e) => {
          const r = ((e % 2) + 2) % 2;
          const q = (e - r) / 2;
          if (q >= 1) return Poly.atom(sId, r).mul(sq.powInt(q));
          if (q <= -1 && single) return Poly.atom(sId, r).mul(powerOf(Poly.monomial(single.mono, single.coef), q));
          return Poly.atom(sId, e);
        },
      });
      if (sq.size > 1) {
        // table.inverse(g²) = k·inv(primitive of g²), so inv(primitive) = (1/k)·s⁻².
        const inv = table.inverse(sq).singleTerm()!;
        const k = inv.coef;
        const base = Poly.monomial(Monomial.of(sId, -2), Rational.div(Rational.one, k));
        this.rules.set(inv.mono.atoms[0]!, { apply: (e) => powerOf(base, e) });
      }
    });
  }

  /** The normal form with the two rules applied (an identity where every g_i ≠ 0). */
  simplify(p: Poly): Poly {
    if (this.rules.size === 0) return p;
    let touched = false;
    for (const a of p.atomIds()) if (this.rules.has(a)) touched = true;
    if (!touched) return p;
    const parts: Poly[] = [];
    for (const t of p.terms()) {
      const rest: [number, number][] = [];
      let factor = Poly.one;
      t.mono.atoms.forEach((a, i) => {
        const rule = this.rules.get(a);
        if (rule) factor = factor.mul(rule.apply(t.mono.exps[i]!));
        else rest.push([a, t.mono.exps[i]!]);
      });
      parts.push(factor.mulMonomial(Monomial.fromPairs(rest), t.coef));
    }
    // One pass suffices: every rule's output has s-exponent at most 1 and no reciprocal of g².
    return Poly.sum(parts);
  }
}

/** p^e for an integer e of either sign, p a single term. */
function powerOf(p: Poly, e: number): Poly {
  if (e >= 0) return p.powInt(e);
  const t = p.singleTerm()!;
  return Poly.monomial(t.mono.pow(e), Rational.div(Rational.one, powRational(t.coef, -e)));
}

function powRational(r: Rational, n: number): Rational {
  let out = Rational.one;
  for (let k = 0; k < n; k++) out = Rational.mul(out, r);
  return out;
}
