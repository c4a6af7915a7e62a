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
export {
  freeTreeOfRooted,
  joinAtRoots,
  rootedPart,
  edgeCutsOfFreeTree,
  canonicalFreeTree,
  invariantOfCut,
  freeTreeKey,
  sameFreeTree,
  freeTreesOfOrder,
  type FreeTree,
  type FreeTreeInvariant,
} from './freeTrees.js';
export {
  scaleNormRate,
  translationRate,
  gradientDescentTranslationRate,
  thetaContractions,
  type ScaleNormRate,
  type SymmetryRateTerm,
  type RateTerm,
  type ThetaContraction,
} from './symmetryRates.js';
export { methods, methodRule, type MethodSpec, type ParameterValues } from './methods.js';
