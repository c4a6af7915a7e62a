/**
 * Layer symmetries of a loss, verified exactly through their infinitesimal generators:
 *
 * - scale invariance of a group A, L(a·θ_A, θ_rest) = L(θ) for a > 0, holds iff
 *   θ_A·∇_A L = 0 (Euler's theorem for functions homogeneous of degree 0);
 * - translation invariance, L(θ + a·1_A) = L(θ), holds iff 1_A·∇_A L = 0.
 *
 * Each identity is decided by algebra/zero.ts on the loss without weight decay (weight decay breaks
 * both symmetries on purpose). A symmetry that is not proved is refused with the identity that
 * failed, what it reduced to, and, when the loss has no free constants, its value at a sample point.
 *
 * @example
 *   verifySymmetry(Loss.parse('logsumexp(z1, z2) - z1'), { kind: 'translation', group: ['z1', 'z2'] }).holds // true
 */
import { evaluatePoly } from './evaluate.js';
import { LossError } from './errors.js';
import type { Loss } from './loss.js';
import { Poly } from '../algebra/poly.js';
import { PolyPrinter } from './print.js';
import { zeroTest } from '../algebra/zero.js';
import { nameRecord } from './names.js';

export type SymmetryKind = 'scale' | 'translation';
export const SYMMETRY_KINDS: readonly SymmetryKind[] = ['scale', 'translation'];

export interface Symmetry {
  readonly kind: SymmetryKind;
  /** The parameters θ_A the symmetry acts on. */
  readonly group: readonly string[];
}

export interface SymmetryVerdict {
  readonly holds: boolean;
  /** The identity that decides it, in words: "θ_A·∇L = w1·∂L/∂w1 + … = 0". */
  readonly identity: string;
  /** The invariance itself: "L(a·θ_A) = L(θ) for a > 0". */
  readonly statement: string;
  /** When it does not hold: the generator and its value at a sample point. */
  readonly residual?: string;
  readonly sample?: { readonly at: Readonly<Record<string, number>>; readonly value: number };
}

export function checkGroup(loss: Loss, symmetry: Symmetry): void {
  if (!symmetry.group.length) throw new LossError('the symmetry group is empty: name its parameters');
  for (const v of symmetry.group) {
    if (!loss.vars.includes(v)) throw new LossError(`the symmetry group's "${v}" is not a parameter of the loss (parameters: ${loss.vars.join(', ')})`);
  }
  if (new Set(symmetry.group).size !== symmetry.group.length) throw new LossError('the symmetry group names a parameter twice');
}

/** The generator X·∇L, X = θ_A (scale) or 1_A (translation). */
export function symmetryGenerator(loss: Loss, symmetry: Symmetry): Poly {
  checkGroup(loss, symmetry);
  const grad = loss.diff.gradient(loss.expr, loss.varIds);
  return Poly.sum(
    loss.vars.map((v, i) => {
      if (!symmetry.group.includes(v)) return Poly.zero;
      return symmetry.kind === 'scale' ? grad[i]!.mul(Poly.atom(loss.varIds[i]!)) : grad[i]!;
    }),
  );
}

export function describeSymmetry(symmetry: Symmetry): { statement: string; identity: string } {
  const A = symmetry.group;
  const list = A.join(', ');
  if (symmetry.kind === 'scale') {
    return {
      statement: `L(a·θ_A) = L(θ) for every a > 0, θ_A = (${list})`,
      identity: `θ_A·∇L = ${A.map((v) => `${v}·∂L/∂${v}`).join(' + ')} = 0`,
    };
  }
  return {
    statement: `L(θ + a·1_A) = L(θ) for every a, θ_A = (${list})`,
    identity: `1_A·∇L = ${A.map((v) => `∂L/∂${v}`).join(' + ')} = 0`,
  };
}

/** Verify a declared symmetry of a loss without weight decay. */
export function verifySymmetry(loss: Loss, symmetry: Symmetry): SymmetryVerdict {
  const { statement, identity } = describeSymmetry(symmetry);
  const generator = symmetryGenerator(loss, symmetry);
  const verdict = zeroTest(generator);
  if (verdict.zero) return { holds: true, statement, identity };
  const printer = new PolyPrinter({ vars: loss.vars, constants: loss.constants, varIds: loss.varIds, table: loss.table });
  // The generator itself (its sample value below is of the same expression), not the numerator
  // the zero test reduced it to.
  const text = printer.mathjs(generator);
  const residual = text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text;
  return { holds: false, statement, identity, residual, ...sample(loss, generator) };
}

/** The generator at a fixed, reproducible point (0.3, −0.7, 1.1, …), when the loss has no free constants. */
function sample(loss: Loss, p: Poly): { sample?: { at: Record<string, number>; value: number } } {
  if (loss.constants.length) return {};
  const at = nameRecord<number>();
  loss.vars.forEach((v, i) => (at[v] = [0.3, -0.7, 1.1, 0.45, -1.3, 0.8][i % 6]! + 0.1 * Math.floor(i / 6)));
  try {
    const value = evaluatePoly(p, loss.table, at);
    return Number.isFinite(value) ? { sample: { at, value } } : {};
  } catch {
    return {};
  }
}

/** One line: why the symmetry is refused. */
export function symmetryRefusal(symmetry: Symmetry, v: SymmetryVerdict): string {
  const name = symmetry.kind === 'scale' ? 'scale-invariant' : 'translation-invariant';
  const at = v.sample ? `; at ${Object.entries(v.sample.at).map(([k, x]) => `${k}=${x}`).join(', ')} it is ${v.sample.value.toPrecision(6)}` : '';
  return `the loss is not ${name} in ${symmetry.group.join(', ')}: the identity ${v.identity} does not hold (it is ${v.residual}${at})`;
}
