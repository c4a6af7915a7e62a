/** exp, log, log1p and sqrt. */
import { rational } from '../../series/fraction.js';
import { defineFunction } from './spec.js';

defineFunction({
  name: 'exp',
  arity: 1,
  summary: 'exponential e^u',
  derivative: (args, _k, b) => b.call('exp', args),
  simplify: ([u], b) => (u!.isZero() ? b.constant(1) : undefined),
  js: ([u]) => `Math.exp(${u})`,
  latex: ([u]) => `e^{${u}}`,
  mathjs: ([u]) => `exp(${u})`,
  evaluate: ([u]) => Math.exp(u!),
});

defineFunction({
  name: 'log',
  arity: 1,
  summary: 'natural logarithm',
  derivative: ([u], _k, b) => b.power(u!, rational(-1)),
  simplify: ([u], b) => {
    const c = u!.constantValue();
    if (c && c.num <= 0n) throw new RangeError(`log(${c.num}${c.den === 1n ? '' : `/${c.den}`}) is not a real number`);
    if (c && c.num === 1n && c.den === 1n) return b.constant(0);
    const inner = b.callOf(u!);
    if (inner?.name === 'exp') return inner.args[0]; // log(exp(v)) = v
    // log(1 + exp(v)) = softplus(v), whose derivative is the single atom sigmoid(v).
    const rest = u!.sub(b.constant(1));
    const e = u!.size === 2 ? b.callOf(rest) : undefined;
    return e?.name === 'exp' ? b.call('softplus', e.args) : undefined;
  },
  js: ([u]) => `Math.log(${u})`,
  latex: ([u]) => `\\log\\left(${u}\\right)`,
  mathjs: ([u]) => `log(${u})`,
  evaluate: ([u]) => Math.log(u!),
});

defineFunction({
  name: 'log1p',
  arity: 1,
  summary: 'log(1 + u), accurate for small u',
  derivative: ([u], _k, b) => b.power(u!.add(b.constant(1)), rational(-1)),
  simplify: ([u], b) => (u!.isZero() ? b.constant(0) : undefined),
  js: ([u]) => `Math.log1p(${u})`,
  latex: ([u]) => `\\log\\left(1 + ${u}\\right)`,
  mathjs: ([u]) => `log(1 + (${u}))`,
  evaluate: ([u]) => Math.log1p(u!),
});

defineFunction({
  name: 'sqrt',
  arity: 1,
  summary: 'square root (kept as u^(1/2))',
  derivative: ([u], _k, b) => b.power(u!, rational(-1, 2)).scale(rational(1, 2)),
  simplify: ([u], b) => b.power(u!, rational(1, 2)),
  js: ([u]) => `Math.sqrt(${u})`,
  latex: ([u]) => `\\sqrt{${u}}`,
  mathjs: ([u]) => `sqrt(${u})`,
  evaluate: ([u]) => Math.sqrt(u!),
});
