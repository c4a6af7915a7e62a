export { compileVector, compileScalar, compileField, compileCounterTerms, type CompiledCounterTerms, type VectorFunction, type FieldFunction } from './compile.js';
export { generateCode, numberLiteral, CodegenError, type CodegenContext, type GeneratedCode } from './codegen.js';
