/**
 * The EoM field of any update rule, numerically: dθ/dt = F_c = −c·g − η Σ_{k≤K} η^k ξ_k, where c
 * is the rule's leading factor (updateRule.ts: c = Σ b_i / ρ'(1); 1 for gradient descent and
 * Runge–Kutta methods, 1/(1−β) for momentum). The problem compiles its fields with c
 * (`compileTreeCounterTerms(…, { leading })`); every flow in simulate reads its field from here.
 *
 * @example
 *   const F = eomField(problem, 2);   // EoM_2 of problem.rule
 *   F(problem.init, 0.01)             // dθ/dt at θ0 for η = 0.01
 */
import type { FieldFunction } from '../compile/compile.js';
import type { SimulationProblem } from './problem.js';

/** The EoM_order field of the problem's rule (order −1: the gradient flow dθ/dt = −c·g). */
export function eomField(problem: SimulationProblem, order: number): FieldFunction {
  return problem.compiled.fieldOfOrder(order);
}
