export { analyseSymmetry, type SymmetryAnalysis, type SymmetryAnalysisSpec } from './analysis.js';
export { symmetryClosedForm, type SymmetryClosedForm } from './closedForm.js';
export { symmetryText, symmetryJson, comparisonText } from './render.js';
