export {
  compileVector,
  compileScalar,
  compileField,
  compileCounterTerms,
  type CompiledCounterTerms,
  type VectorFunction,
  type FieldFunction,
  type FieldOptions,
} from './compile.js';
export { compileTreeCounterTerms } from './structured.js';
export { CodeBuilder, numberLiteral, CodegenError, type CodegenContext, type DirectionNames } from './codegen.js';
export { compileScaleNormRate, compileInvariant, type RateFunction } from './invariants.js';
