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
import { compareQuantity, groupSum, normSquared } from '../simulate/quantityFlows.js';
import { validate } from '../simulate/validate.js';
import type { CounterTermSource } from './counterTermSource.js';
import type { UpdateRule } from '../derive/updateRule.js';
import type { ClosedFormClaim, LossInputs, NumericClaim } from './derivationFile.js';
import { initialPoint, simulationProblem, type SimulationProblem } from '../simulate/problem.js';
import { symmetryClosedForm } from '../symmetry/closedForm.js';
import { compileScaleNormRate } from '../compile/invariants.js';
import { rationalToNumber } from '../series/fraction.js';
import { evaluatePoly } from '../loss/evaluate.js';
import type { ClaimResult } from './run.js';
import { ClaimError } from './values.js';

export function runNumericClaim(claim: NumericClaim, inputs: LossInputs, symmetry: Symmetry | undefined, source: CounterTermSource): ClaimResult {
  const maxOrder = claim.check === 'convergence' ? claim.order + 1 : Math.max(0, ...claim.orders);
  const problem = simulationProblem({
    loss: inputs.loss,
    ...(inputs.vars ? { vars: inputs.vars } : {}),
    ...(inputs.values ? { values: inputs.values } : {}),
    ...(inputs.weightDecay !== undefined ? { weightDecay: inputs.weightDecay } : {}),
    init: claim.check === 'closed-form' ? claim.points[0]! : claim.init,
    maxOrder,
    ...(claim.constants ? { constants: claim.constants } : {}),
    rule: source.rule as UpdateRule, // numeric claims run with exact hyperparameters (run.ts)
    series: source.through(maxOrder),
  });
  const tol = ('slopeTolerance' in claim ? claim.slopeTolerance : undefined) ?? 0.3;
  const fmt = (x: number) => x.toExponential(2);
  if (claim.check === 'convergence') {
    const r = validate(problem, { order: claim.order, lrs: claim.lrs, ...(claim.horizon ? { horizon: claim.horizon } : {}), slopeTolerance: tol });
    const detail = r.results
      .map((o) => `${o.label}: local slope ${o.localSlope.toFixed(2)} (${o.expectedLocalSlope}), global ${o.globalSlope.toFixed(2)} (${o.expectedGlobalSlope})`)
      .join('; ');
    return { name: claim.name, kind: 'numeric', passed: r.passed, detail, cases: r.results.length * claim.lrs.length };
  }
  if (!symmetry) throw new ClaimError(`a ${claim.check} claim needs inputs.symmetry`);
  if (claim.check === 'closed-form') return closedFormClaim(claim, problem, symmetry, source, inputs);
  const quantity = symmetry.kind === 'scale' ? normSquared(problem.vars, symmetry.group) : groupSum(problem.vars, symmetry.group);
  const cmp = compareQuantity(problem, quantity, {
    lrs: claim.lrs,
    horizon: claim.horizon,
    orders: claim.orders,
    ...(claim.integratorTolerance ? { integrator: { relativeTolerance: claim.integratorTolerance } } : {}),
  });
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

/** The closed form against 2θ_A·field_K (scale) or 1_A·field_K (translation), relative difference. */
function closedFormClaim(claim: ClosedFormClaim, problem: SimulationProblem, symmetry: Symmetry, source: CounterTermSource, inputs: LossInputs): ClaimResult {
  const constants = claim.constants ?? {};
  const lambda = evaluatePoly(problem.loss.lambda, problem.loss.table, problem.constants); // the constants cover a named λ
  const tol = claim.tolerance ?? 1e-9;
  const inGroup = problem.vars.map((v) => symmetry.group.includes(v));
  let worst = 0;
  let cases = 0;
  for (const K of claim.orders) {
    const closed = symmetryClosedForm(symmetry, problem.vars, source.forClosedForms(Math.max(K, 0)), K, inputs.weightDecay);
    if (!('form' in closed)) throw new ClaimError(closed.note);
    const f = closed.form;
    const predicted =
      f.scale !== undefined
        ? compileScaleNormRate(problem.loss.withoutWeightDecay(), f.scale, constants)
        : (theta: ArrayLike<number>, eta: number, lam: number) =>
            f.translation!.reduce((s, t) => s + rationalToNumber(t.coefficient) * eta ** t.etaPower * lam ** t.lambdaPower, 0) *
            Array.from(theta).reduce((s, x, i) => s + (inGroup[i] ? x : 0), 0);
    const field = problem.compiled.fieldOfOrder(K);
    for (const point of claim.points) {
      const theta = initialPoint(problem.vars, point);
      for (const eta of claim.lrs) {
        const v = field(theta, eta, new Float64Array(theta.length));
        let actual = 0;
        theta.forEach((x, i) => {
          if (inGroup[i]) actual += (symmetry.kind === 'scale' ? 2 * x : 1) * v[i]!;
        });
        const p = predicted(theta, eta, lambda);
        worst = Math.max(worst, Math.abs(p - actual) / Math.max(Math.abs(actual), 1e-300));
        cases++;
      }
    }
  }
  const what = symmetry.kind === 'scale' ? '2θ·field' : '1·field';
  return {
    name: claim.name,
    kind: 'numeric',
    passed: worst <= tol,
    detail: `largest relative difference between the closed form and ${what} of EoM_${claim.orders.join(', ')}: ${worst.toExponential(2)} (tolerance ${tol}) over ${cases} cases`,
    cases,
  };
}
