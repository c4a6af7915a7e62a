export { integers, bigintGcd, type CoefficientRing } from './ring.js';
export { FractionField, Rational, rational, parseRational, rationalToNumber, type Fraction } from './fraction.js';
export type { Field } from './field.js';
export { TreeSeries, type SeriesTerm } from './treeSeries.js';
