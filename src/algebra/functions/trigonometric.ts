/** sin, cos, tan, atan, sinh, cosh, tanh. */
import { rational } from '../../series/fraction.js';
import { defineFunction } from './spec.js';

defineFunction({
  name: 'sin',
  arity: 1,
  summary: 'sine',
  derivative: (args, _k, b) => b.call('cos', args),
  simplify: ([u], b) => (u!.isZero() ? b.constant(0) : undefined),
  js: ([u]) => `Math.sin(${u})`,
  latex: ([u]) => `\\sin\\left(${u}\\right)`,
  mathjs: ([u]) => `sin(${u})`,
  evaluate: ([u]) => Math.sin(u!),
});

defineFunction({
  name: 'cos',
  arity: 1,
  summary: 'cosine',
  derivative: (args, _k, b) => b.call('sin', args).neg(),
  simplify: ([u], b) => (u!.isZero() ? b.constant(1) : undefined),
  js: ([u]) => `Math.cos(${u})`,
  latex: ([u]) => `\\cos\\left(${u}\\right)`,
  mathjs: ([u]) => `cos(${u})`,
  evaluate: ([u]) => Math.cos(u!),
});

defineFunction({
  name: 'tan',
  arity: 1,
  summary: 'tangent',
  derivative: (args, _k, b) => b.constant(1).add(b.call('tan', args).powInt(2)),
  simplify: ([u], b) => (u!.isZero() ? b.constant(0) : undefined),
  js: ([u]) => `Math.tan(${u})`,
  latex: ([u]) => `\\tan\\left(${u}\\right)`,
  mathjs: ([u]) => `tan(${u})`,
  evaluate: ([u]) => Math.tan(u!),
});

defineFunction({
  name: 'atan',
  arity: 1,
  summary: 'arctangent',
  derivative: ([u], _k, b) => b.power(b.constant(1).add(u!.powInt(2)), rational(-1)),
  simplify: ([u], b) => (u!.isZero() ? b.constant(0) : undefined),
  js: ([u]) => `Math.atan(${u})`,
  latex: ([u]) => `\\arctan\\left(${u}\\right)`,
  mathjs: ([u]) => `atan(${u})`,
  evaluate: ([u]) => Math.atan(u!),
});

defineFunction({
  name: 'sinh',
  arity: 1,
  summary: 'hyperbolic sine',
  derivative: (args, _k, b) => b.call('cosh', args),
  simplify: ([u], b) => (u!.isZero() ? b.constant(0) : undefined),
  js: ([u]) => `Math.sinh(${u})`,
  latex: ([u]) => `\\sinh\\left(${u}\\right)`,
  mathjs: ([u]) => `sinh(${u})`,
  evaluate: ([u]) => Math.sinh(u!),
});

defineFunction({
  name: 'cosh',
  arity: 1,
  summary: 'hyperbolic cosine',
  derivative: (args, _k, b) => b.call('sinh', args),
  simplify: ([u], b) => (u!.isZero() ? b.constant(1) : undefined),
  js: ([u]) => `Math.cosh(${u})`,
  latex: ([u]) => `\\cosh\\left(${u}\\right)`,
  mathjs: ([u]) => `cosh(${u})`,
  evaluate: ([u]) => Math.cosh(u!),
});

defineFunction({
  name: 'tanh',
  arity: 1,
  summary: 'hyperbolic tangent',
  derivative: (args, _k, b) => b.constant(1).sub(b.call('tanh', args).powInt(2)),
  simplify: ([u], b) => (u!.isZero() ? b.constant(0) : undefined),
  js: ([u]) => `Math.tanh(${u})`,
  latex: ([u]) => `\\tanh\\left(${u}\\right)`,
  mathjs: ([u]) => `tanh(${u})`,
  evaluate: ([u]) => Math.tanh(u!),
});
