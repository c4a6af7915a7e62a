/** RMSProp and Adam: their EoM through the slow manifold of their state (docs/tutorials/adam.md). */
export { adaptiveMethods, adaptiveRule, isAdaptiveMethod, type AdaptiveRule, type AdaptiveMethodSpec, type AdaptiveParameter, type AdaptiveValue } from './methods.js';
export { solveSlowManifold, hyperparameters, type SlowManifold, type Hyperparameters } from './slowManifold.js';
export { adaptiveCounterTerms, type AdaptiveCounterTermsOptions } from './counterTerms.js';
export { AbsGradient } from './absGradient.js';
