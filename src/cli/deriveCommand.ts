/**
 * `eom derive`: the counter terms ξ_0 … ξ_K of an update rule, in one of several notations.
 */
import { Command } from 'commander';
import { CounterTermSolver } from '../derive/solver.js';
import { freemem, totalmem } from 'node:os';
import { estimatedSolverBytes } from '../derive/limits.js';
import { chunkedWriter } from '../notation/sink.js';
import { counterTermsWriterFor, DERIVE_FORMATS } from './deriveOutput.js';
import { parseChoice, parseOrder } from './options.js';
import { regenerateCommand } from './commandLine.js';
import { UserError } from './errors.js';
import { writeLossCounterTerms } from './lossOutput.js';
import { addLossOptions, lossOptionsFrom, type LossCliOptions } from './lossOptions.js';
import { functionNames } from '../algebra/functions/index.js';
import { bytesText, DeriveProgress } from './deriveProgress.js';
import { adaptiveRuleFrom, addMethodOptions, ruleFrom, type MethodCliOptions } from './methodOptions.js';
import type { UpdateRule } from '../derive/updateRule.js';
import { MAX_ADAPTIVE_ORDER } from '../adaptive/methods.js';
import type { MethodInfo } from '../notation/methodInfo.js';
import { addSgdOptions, checkAppliesTo, wantsSgd, type SgdCliOptions } from './sgdOptions.js';


type DeriveOptions = { order: string; format: string; standalone?: boolean; inline?: boolean; progress?: boolean } & LossCliOptions & MethodCliOptions & SgdCliOptions;

export function deriveCommand(write: (s: string) => void): Command {
  const cmd = new Command('derive')
    .description('derive the counter terms ξ_0 … ξ_K of the equation of motion, exactly (abstract, or for a loss with --loss)')
    .option('-k, --order <K>', 'highest order K of ξ_K (trees with K+2 nodes)', '2')
    .option('-f, --format <format>', `output notation: ${DERIVE_FORMATS.join(', ')}`, 'text')
    .option('--standalone', 'with --format latex: a complete .tex document (article + amsmath) instead of an align* fragment')
    .option('--inline', 'with --loss --format json: write every shared subexpression out in every component (no "where")')
    .option('--progress', 'a line on stderr per solved order (with --loss: per built closed form), also when stderr is not a terminal (large orders: also the estimate)');
  return addSgdOptions(addLossOptions(addMethodOptions(cmd)), { abstract: true })
    .addHelpText(
      'after',
      `
Examples:
  eom derive                         ξ_0, ξ_1, ξ_2 of gradient descent as text
  eom derive --order 4 --format latex
  eom derive --order 4 --format latex --standalone > xi.tex && pdflatex xi.tex
  eom derive --order 6 --format json > xi.json
  eom derive --order 15 --format json --progress > xi15.json      about 2 GB of memory; the estimate is printed first
  eom derive --method extragradient --order 3
  eom derive --method heavy-ball                      β kept as a symbol: coefficients in Q(β)
  eom derive --method heavy-ball --param beta=0.9 --order 4
  eom derive --method nesterov --format json
  eom derive --tableau ralston.json                   {"a": [[0,0],["2/3",0]], "b": ["1/4","3/4"]}
  eom derive --update "theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1])"
  eom derive --loss "(x^2 + y^2 - 1)^2 + 0.5*x*y^3 + log(1 + exp(-x*y))" --order 1
  eom derive --loss "a*x^2 + y^2" --vars x,y --weight-decay lambda --format latex
  eom derive --loss "x^4/4 - x^2/2 + x*y + y^2" --method adam --param beta1=0.9,beta2=0.999,eps=1e-8 --order 1
  eom derive --loss "x^4/4 - x^2/2 + x*y + y^2" --method rmsprop --param alpha,eps=0 --order 1     ρ (PyTorch's alpha) symbolic
  eom derive --method sgd --sampling shuffle          SGD, m batches (m symbolic): ξ_0 = 1/(2m) Σ_k H_k g_k
  eom derive --method sgd --batch-count 4 --sampling cyclic --order 1
  eom derive --batches "(x-1)^2 + y^2; (x+1)^2 + x*y; y^4" --order 2

dθ/dt = −c·g − η Σ_k η^k ξ_k with c the method's leading factor (1 for gd, 1/(1−β) for momentum);
ξ_k = Σ c·F(τ) over rooted trees τ with k+2 nodes; F(•) = g, F([τ1..τm]) = ∇^{m+1}L[F(τ1), …, F(τm)].
Momentum's series is an expansion in η/(1−β)²: ξ_k carries (1−β)^-(2k+3), so it needs η·λmax/(1−β)² ≪ 1.
rmsprop and adam (with --loss) act element-wise: dθ/dt = −g/(|g|+ε) − η Σ_k η^k ξ_k, |g_i| = sqrt(g_i^2), through the
slow manifold of their state (m, v); closed forms hold where every g_i ≠ 0 or ε > 0; series in η/(1−β2), η/(1−β1).
With --loss, each ξ_k(θ) is given per parameter, exactly; decimals in the loss are exact (0.5 = 1/2).
Functions: ${functionNames().join(', ')}.`,
    )
    .action(async (opts: DeriveOptions, self: Command) => {
      const K = parseOrder(opts.order);
      const command = regenerateCommand(self, ['eom', 'derive']);
      if (opts.standalone && opts.format !== 'latex') {
        throw new UserError(`--standalone needs --format latex (a .tex document), got --format ${opts.format}`);
      }
      if (opts.inline && ((opts.loss === undefined && opts.batches === undefined) || opts.format !== 'json')) {
        throw new UserError(`--inline needs --loss (or --batches) and --format json`);
      }
      const sgd = wantsSgd(opts);
      checkAppliesTo(self, sgd);
      if (sgd) {
        const { deriveSgd } = await import('./deriveSgd.js');
        return deriveSgd(opts, K, write, command);
      }
      if (opts.loss !== undefined) return deriveForLoss(opts, K, write);
      if (opts.vars !== undefined || opts.weightDecay !== undefined || (opts.set && opts.set.length)) {
        throw new UserError('--vars, --weight-decay and --set need --loss');
      }
      const format = parseChoice('--format', opts.format, DERIVE_FORMATS);
      const rule = await ruleFrom(opts);
      checkMemory(K);
      const report = new DeriveProgress(K, { lines: opts.progress === true });
      const solver = new CounterTermSolver(rule);
      // Each order is written as soon as it is solved, a chunk at a time (deriveOutput.ts).
      const out = chunkedWriter(write);
      const writer = counterTermsWriterFor(format, out.write, { info: methodInfo(rule, solver.leading), K, field: solver.field, standalone: opts.standalone === true, command });
      for (let k = 0; k <= K; k++) {
        const series = solver.xi(k);
        report.pause();
        writer.order(series);
        report.solved(k, solver.store.ofOrder(k + 2).length);
      }
      report.done();
      writer.end();
      out.flush();
    });
}

const LOSS_FORMATS = ['text', 'latex', 'markdown', 'json'] as const;

/**
 * Highest order of closed forms for a loss: ξ_k sums over every tree with k + 2 nodes, and the
 * expanded forms grow roughly geometrically with k (ξ_8 already has 286 trees); RMSProp and Adam stop at ξ_4 (MAX_ADAPTIVE_ORDER).
 */
export const MAX_LOSS_ORDER = 8;

async function deriveForLoss(opts: DeriveOptions, K: number, write: (s: string) => void): Promise<void> {
  const format = parseChoice('--format', opts.format, LOSS_FORMATS);
  if (K > MAX_LOSS_ORDER) throw new UserError(`--order must be at most ${MAX_LOSS_ORDER} with --loss (closed forms grow with every order), got ${K}`);
  // Loaded on demand: the loss layer pulls in mathjs, which the abstract `eom derive` does not need.
  const { lossCounterTerms, EXPANSION_BUDGET } = await import('../loss/counterTerms.js');
  const progress = new DeriveProgress(K, { lines: opts.progress === true });
  const onProgress = (k: number) => progress.built(k);
  const adaptive = adaptiveRuleFrom(opts);
  if (adaptive && K > MAX_ADAPTIVE_ORDER) throw new UserError(`--order must be at most ${MAX_ADAPTIVE_ORDER} for ${adaptive.spec.name} (each order costs about ten times the one before), got ${K}`);
  // RMSProp and Adam act element-wise: their EoM comes from the slow manifold of their state (src/adaptive).
  // --inline asks for every subexpression written out: the expanded form, whatever it costs.
  const result = adaptive
    ? (await import('../adaptive/counterTerms.js')).adaptiveCounterTerms(opts.loss!, { ...lossOptionsFrom(opts), order: K, rule: adaptive, onProgress })
    : lossCounterTerms(opts.loss!, { ...lossOptionsFrom(opts), order: K, rule: await ruleFrom(opts), onProgress, ...(opts.inline ? {} : { expansionBudget: EXPANSION_BUDGET }) });
  progress.done();
  return writeLossCounterTerms(format, result, opts, write);
}

/**
 * Refuse an order whose estimated peak memory exceeds this machine's (parseOrder has checked the
 * heap limit); warn when it exceeds the memory free right now.
 */
function checkMemory(K: number): void {
  const need = estimatedSolverBytes(K);
  if (need > totalmem()) throw new UserError(`--order ${K} needs about ${bytesText(need)} of memory (an estimate), more than this machine's ${bytesText(totalmem())}`);
  if (need > freemem()) process.stderr.write(`eom: warning: --order ${K} needs about ${bytesText(need)} of memory (an estimate); ${bytesText(freemem())} is free now\n`);
}

/** What the renderers say about the rule. */
export function methodInfo<R>(rule: UpdateRule<R>, leading: MethodInfo<unknown>['leading']): MethodInfo<unknown> {
  return { name: rule.name, description: rule.description, params: rule.params, leading, ...(rule.condition ? { condition: rule.condition } : {}) };
}
