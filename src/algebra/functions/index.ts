/** Registers every built-in function (import for its side effect) and re-exports the registry. */
import './exponential.js';
import './trigonometric.js';
import './activations.js';

export { defineFunction, lookupFunction, functionNames, NON_SMOOTH, type FunctionSpec, type Builder } from './spec.js';
