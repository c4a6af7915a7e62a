/**
 * Numeric claims: predictions compared with gradient-descent simulations.
 *
 * - `convergence`: the EoM_K discretization errors fall as predicted (simulate/validate.ts):
 *   local slope j + 3 and global slope j + 2 for every j ≤ K, within the slope tolerance;
 * - `symmetry-flows`: the quantity a symmetry governs (‖θ_A‖² or 1·θ_A) over a fixed horizon:
 *   EoM_K's error against GD falls as η^{K+2}, gradient flow's as η, and EoM_K beats gradient
 *   flow at every η — so its advantage grows as η shrinks.
 *
 * @example
 *   runNumericClaim({ kind: 'numeric', check: 'convergence', name: 'c', init: { x: 1, y: 0.5 }, order: 1, lrs: [0.1, 0.05, 0.025] }, inputs, undefined, source)
 */
import type { Symmetry } from '../loss/symmetry.js';
import { simulationProblem } from '../simulate/problem.js';
import { compareQuantity, groupSum, normSquared } from '../simulate/quantityFlows.js';
import { validate } from '../simulate/validate.js';
import type { CounterTermSource } from './counterTermSource.js';
import type { ConvergenceClaim, FlowsClaim, LossInputs } from './derivationFile.js';
import type { ClaimResult } from './run.js';
import { ClaimError } from './values.js';

export function runNumericClaim(claim: FlowsClaim | ConvergenceClaim, inputs: LossInputs, symmetry: Symmetry | undefined, source: CounterTermSource): ClaimResult {
  const maxOrder = claim.check === 'convergence' ? claim.order + 1 : Math.max(...claim.orders);
  const problem = simulationProblem({
    loss: inputs.loss,
    ...(inputs.vars ? { vars: inputs.vars } : {}),
    ...(inputs.values ? { values: inputs.values } : {}),
    ...(inputs.weightDecay !== undefined ? { weightDecay: inputs.weightDecay } : {}),
    init: claim.init,
    maxOrder,
    ...(claim.constants ? { constants: claim.constants } : {}),
    rule: source.rule,
    series: source.through(maxOrder),
  });
  const tol = claim.slopeTolerance ?? 0.3;
  const fmt = (x: number) => x.toExponential(2);
  if (claim.check === 'convergence') {
    const r = validate(problem, { order: claim.order, lrs: claim.lrs, ...(claim.horizon ? { horizon: claim.horizon } : {}), slopeTolerance: tol });
    const detail = r.results
      .map((o) => `${o.label}: local slope ${o.localSlope.toFixed(2)} (${o.expectedLocalSlope}), global ${o.globalSlope.toFixed(2)} (${o.expectedGlobalSlope})`)
      .join('; ');
    return { name: claim.name, kind: 'numeric', passed: r.passed, detail, cases: r.results.length * claim.lrs.length };
  }
  if (!symmetry) throw new ClaimError('a symmetry-flows claim needs inputs.symmetry');
  const quantity = symmetry.kind === 'scale' ? normSquared(problem.vars, symmetry.group) : groupSum(problem.vars, symmetry.group);
  const cmp = compareQuantity(problem, quantity, { lrs: claim.lrs, horizon: claim.horizon, orders: claim.orders });
  const problems: string[] = [];
  cmp.slopes.forEach((s, j) => {
    const expected = s.order === -1 ? 1 : s.order + 2;
    if (!(Math.abs(s.slope - expected) <= tol)) problems.push(`${s.label}'s error slope is ${Number.isNaN(s.slope) ? 'not measurable (at the integrator noise floor)' : s.slope.toFixed(2)}, expected ${expected}`);
    if (j > 0) {
      const losing = cmp.rows.filter((row) => !(row.errors[j]!.maxError < row.errors[0]!.maxError));
      if (losing.length) problems.push(`${s.label} does not beat GF at η = ${losing.map((r) => r.lr).join(', ')}`);
    }
  });
  const errors = cmp.labels.map((label, j) => `${label} ${cmp.rows.map((r) => fmt(r.errors[j]!.maxError)).join(', ')} (slope ${cmp.slopes[j]!.slope.toFixed(2)})`).join('; ');
  const best = cmp.labels.length - 1;
  const ratios = cmp.rows.map((r) => (r.errors[0]!.maxError / r.errors[best]!.maxError).toPrecision(3)).join(', ');
  const detail = `max |Δ${cmp.quantity}| over T = ${claim.horizon} at η = ${claim.lrs.join(', ')}: ${errors}; GF/${cmp.labels[best]} = ${ratios}${problems.length ? ` — ${problems.join('; ')}` : ''}`;
  return { name: claim.name, kind: 'numeric', passed: problems.length === 0, detail, cases: claim.lrs.length * cmp.labels.length };
}
