/**
 * LaTeX for a user's name (a parameter, constant or hyperparameter), shared by every renderer.
 *
 * @example
 *   symbolLatex('beta')   // "\\beta"
 *   symbolLatex('w1')     // "w_{1}"
 *   symbolLatex('scale')  // "\\mathrm{scale}"
 */
const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'eta', 'theta', 'lambda', 'mu', 'nu', 'rho', 'sigma', 'tau', 'phi', 'omega', 'pi']);

/** x → x, x1 → x_{1}, lambda → \lambda, long names → \mathrm{name}. */
export function symbolLatex(name: string): string {
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m) return `${symbolLatex(m[1]!)}_{${m[2]}}`;
  if (GREEK.has(name)) return `\\${name}`;
  if (name.length === 1) return name;
  return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
}
