export { parseDerivation, type Derivation, type Claim, type SymbolicClaim, type FlowsClaim, type ConvergenceClaim, type Inputs, type LossInputs, type AbstractInputs, type BatchInputs, isBatchInputs } from './derivationFile.js';
export { loadDerivations, readDerivation, derivationFiles } from './load.js';
export { runDerivation, type ClaimResult, type DerivationResult, type CheckOptions } from './run.js';
export { parseClaimExpression, evaluateClaim, type ClaimExpression } from './expression.js';
export { abstractSemantics, type AbstractSemanticsOptions } from './abstractSemantics.js';
export { concreteSemantics, type ConcreteSemanticsOptions, ETA } from './concreteSemantics.js';
export { CounterTermSource, MAX_CLAIM_ORDER, type SeriesTransform } from './counterTermSource.js';
export { ClaimError, OrderLimitError, type ClaimValue, type Semantics, type ZeroVerdict } from './values.js';
export { batchRule, batchSemantics, MAX_SGD_CLAIM_ORDER } from './batchInputs.js';
