/**
 * The Hessian at a point and its largest eigenvalue in absolute value, to warn when η·|λ|max ≥ 1:
 * there the EoM's power series in η is not expected to converge (the quadratic loss shows it:
 * log(1 − ηλ) has radius of convergence |ηλ| < 1).
 */
import { compileVector } from '../compile/compile.js';
import type { Loss } from '../loss/loss.js';

/** θ ↦ H(θ) as a row-major n×n array, compiled from the exact second derivatives. */
export function compileHessian(loss: Loss, constants: Readonly<Record<string, number>> = {}): (theta: ArrayLike<number>) => Float64Array {
  const entries = loss.gradient().flatMap((gi) => loss.varIds.map((v) => loss.diff.partial(gi, v)));
  return compileVector({ table: loss.table, varIds: loss.varIds, constants }, entries);
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (small n). */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): number[] {
  const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a[i * n + j]!));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k]![p]!;
          const akq = m[k]![q]!;
          m[k]![p] = c * akp - s * akq;
          m[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p]![k]!;
          const aqk = m[q]![k]!;
          m[p]![k] = c * apk - s * aqk;
          m[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return m.map((row, i) => row[i]!).sort((x, y) => x - y);
}

/** max |λ| of the Hessian at θ. */
export function spectralRadius(hessian: (theta: ArrayLike<number>) => Float64Array, theta: ArrayLike<number>): number {
  const n = theta.length;
  return Math.max(...symmetricEigenvalues(hessian(theta), n).map(Math.abs));
}
