export { integers, bigintGcd, type CoefficientRing } from './ring.js';
export { FractionField, Rational, rational, parseRational, rationalToNumber, type Fraction } from './fraction.js';
export type { Field } from './field.js';
export { TreeSeries, type SeriesTerm } from './treeSeries.js';
export { PolynomialRing, type Polynomial } from './polynomial.js';
export { symbolRing, ringSymbols, symbolValue, monomials, evaluateSymbols, constantValue, type Monomial as SymbolMonomial } from './symbols.js';
export { squareFree, type SquareFreeFactorisation } from './factor.js';
