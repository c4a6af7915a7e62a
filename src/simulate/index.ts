export { simulationProblem, initialPoint, MAX_PROBLEM_ORDER, type ProblemSpec, type SimulationProblem } from './problem.js';
export { simulate, gradientDescent as gradientDescentIterates, convergenceWarnings, distance, flowLabel, type SimulateOptions, type SimulationResult, type FlowTrajectory } from './trajectories.js';
export { validate, ladderWarnings, DEFAULT_LRS, type ValidateOptions, type ValidationResult, type OrderValidation } from './validate.js';
export { flowAtTimes, DEFAULT_INTEGRATOR, IntegrationError, type IntegratorSettings, type FlowResult, type Field as OdeField } from './integrator.js';
export { DivergenceError } from './divergence.js';
export { logLogSlope } from './fit.js';
export { compileHessian, symmetricEigenvalues, spectralRadius } from './hessian.js';
export { compareQuantity, normSquared, groupSum, type Quantity, type QuantityComparison, type QuantityOptions, type QuantityRow, type QuantityError } from './quantityFlows.js';
