/** sigmoid, softplus and logsumexp: the smooth pieces of classifiers. */
import { rational } from '../../series/fraction.js';
import { defineFunction } from './spec.js';

/** σ(u) = 1/(1 + e^{−u}); σ' = σ − σ². */
defineFunction({
  name: 'sigmoid',
  arity: 1,
  summary: 'logistic sigmoid 1/(1 + exp(-u))',
  derivative: (args, _k, b) => {
    const s = b.call('sigmoid', args);
    return s.sub(s.powInt(2));
  },
  simplify: ([u], b) => (u!.isZero() ? b.constant(rational(1, 2)) : undefined),
  js: ([u]) => `(1 / (1 + Math.exp(-(${u}))))`,
  latex: ([u]) => `\\sigma\\left(${u}\\right)`,
  mathjs: ([u]) => `1 / (1 + exp(-(${u})))`,
  evaluate: ([u]) => 1 / (1 + Math.exp(-u!)),
});

/** softplus(u) = log(1 + e^u), evaluated stably; softplus' = σ. */
defineFunction({
  name: 'softplus',
  arity: 1,
  summary: 'log(1 + exp(u)), a smooth relu',
  derivative: (args, _k, b) => b.call('sigmoid', args),
  jsPrelude: 'function softplus(t) { return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t))); }',
  js: ([u]) => `softplus(${u})`,
  latex: ([u]) => `\\operatorname{softplus}\\left(${u}\\right)`,
  mathjs: ([u]) => `log(1 + exp(${u}))`,
  evaluate: ([u]) => Math.max(u!, 0) + Math.log1p(Math.exp(-Math.abs(u!))),
});

/** logsumexp(u1, …, un) = log Σ e^{u_i}; ∂/∂u_k = exp(u_k − logsumexp(u)) (the softmax). */
defineFunction({
  name: 'logsumexp',
  arity: 'variadic',
  summary: 'log(exp(u1) + … + exp(un)), a smooth maximum',
  derivative: (args, k, b) => b.call('exp', [args[k]!.sub(b.call('logsumexp', args))]),
  simplify: (args) => (args.length === 1 ? args[0] : undefined),
  jsPrelude: 'function logsumexp(...t) { const m = Math.max(...t); let s = 0; for (const v of t) s += Math.exp(v - m); return m + Math.log(s); }',
  js: (args) => `logsumexp(${args.join(', ')})`,
  latex: (args) => `\\operatorname{logsumexp}\\left(${args.join(', ')}\\right)`,
  mathjs: (args) => `log(${args.map((a) => `exp(${a})`).join(' + ')})`,
  evaluate: (args) => {
    const m = Math.max(...args);
    return m + Math.log(args.reduce((s, v) => s + Math.exp(v - m), 0));
  },
});
