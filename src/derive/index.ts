export { CounterTermSolver, solveCounterTerms, type SolverOptions, type SolverProgress } from './solver.js';
export {
  gradientDescent,
  extragradient,
  explicitRungeKuttaRule,
  updateRules,
  type UpdateRule,
  type ButcherTableau,
} from './updateRule.js';
export { estimatedSolverBytes, heapLimitBytes, largestFeasibleOrder } from './limits.js';
