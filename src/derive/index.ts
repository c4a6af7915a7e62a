export { CounterTermSolver, solveCounterTerms, type SolverOptions, type SolverProgress } from './solver.js';
export {
  gradientDescent,
  extragradient,
  explicitRungeKuttaRule,
  updateRules,
  characteristicSlope,
  leadingFactor,
  validateRecurrence,
  type UpdateRule,
  type Recurrence,
  type Stage,
  type ButcherTableau,
} from './updateRule.js';
export { methods, methodRule, instantiate, midpoint, heun, rk4, type MethodSpec, type MethodParameter, type ParameterValues } from './methods.js';
export { parseTableauJson, MAX_TABLEAU_STAGES } from './tableauFile.js';
export { parasiticPolynomial, parasiticRootsInside, rootsInsideUnitCircle } from './stability.js';
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
export { parseRecurrence, MAX_RECURRENCE_LENGTH, MAX_LAG } from './recurrenceParser.js';
export { sgdRule, MAX_SGD_BATCHES, type Sampling } from './sgd.js';
export { sgdPatternSeries, MAX_SGD_PATTERN_ORDER, type SgdPatternSeries, type LabelSum } from './batchPatterns.js';
