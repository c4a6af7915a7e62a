/**
 * `eom simulate` and `eom validate` for the element-wise methods (--method rmsprop | adam): the
 * optimiser in floating point from the manifold start or PyTorch's (--start rest: m = v = 0, bias
 * correction on), beside the flows of dθ/dt = −g/(|g| + ε) (GF) and EoM_0 … EoM_K, with the
 * transient reported from rest and a warning outside the regime the series describes.
 *
 * @example
 *   eom validate --loss "x^4/4 - x^2/2 + x*y + y^2" --init x=0.5,y=1 --method adam --param beta1=0.5,beta2=0.6,eps=0.01 --lrs 0.002,0.001,0.0005,0.00025 --horizon 0.2 --order 1
 */
import { rationalToNumber } from '../series/fraction.js';
import { nameRecord } from '../loss/names.js';
import { eomkitVersion } from '../version.js';
import { MAX_ADAPTIVE_ORDER, type AdaptiveRule } from '../adaptive/methods.js';
import type { AdaptiveProblem, AdaptiveStart } from '../simulate/adaptiveProblem.js';
import type { AdaptiveTransient } from '../simulate/adaptiveValidate.js';
import { UserError } from './errors.js';
import { lossOptionsFrom, type LossCliOptions } from './lossOptions.js';
import { parseAssignments } from './numbers.js';

const load = async () => ({
  ...(await import('../loss/loss.js')),
  ...(await import('../simulate/adaptiveProblem.js')),
  ...(await import('../simulate/adaptiveValidate.js')),
  ...(await import('../simulate/adaptiveSimulate.js')),
});

/**
 * The simulation problem of an adaptive rule (every hyperparameter exact).
 *
 * @example
 *   await adaptiveProblemFrom({ loss: 'x^2', init: 'x=1' }, rule, 2)
 */
export async function adaptiveProblemFrom(opts: LossCliOptions & { init?: string }, rule: AdaptiveRule, maxOrder: number): Promise<AdaptiveProblem> {
  const { exactNumber, adaptiveProblem } = await load();
  if (opts.loss === undefined) throw new UserError('--loss is required');
  if (opts.init === undefined) throw new UserError('--init is required, e.g. --init x=1,y=0.5');
  if (maxOrder > MAX_ADAPTIVE_ORDER) throw new UserError(`${rule.spec.name}: its closed forms go up to ξ_${MAX_ADAPTIVE_ORDER}, and this run needs ξ_${maxOrder} (a lower --order)`);
  const symbols = [...rule.params].filter(([k, v]) => k === v).map(([k]) => k);
  if (symbols.length) throw new UserError(`simulating ${rule.spec.name} needs exact values for ${symbols.join(', ')} (e.g. --param ${symbols[0]}=0.9)`);
  const lossOptions = lossOptionsFrom(opts);
  const constants = nameRecord<number>();
  for (const [k, v] of lossOptions.values ?? []) constants[k] = rationalToNumber(exactNumber(String(v), `--set ${k}`));
  return adaptiveProblem({ ...lossOptions, loss: opts.loss, init: parseAssignments('--init', opts.init), maxOrder, constants, rule });
}

const label = (j: number) => (j < 0 ? 'GF' : `EoM_${j}`);
const fmt = (x: number) => x.toExponential(3);

/** The transients' lines; `tooFew` (adaptiveValidate's TOO_FEW_STEPS, loaded with the simulator) when no rate was fitted. */
function transientLines(ts: readonly AdaptiveTransient[], tooFew: string): string[] {
  return ts.map((t) =>
    Number.isFinite(t.rate) ? `transient (η = ${t.lr}): the state relaxes onto the slow manifold like ${t.rate.toFixed(4)}^n; settled after ${t.settled} steps` : `transient (η = ${t.lr}): ${tooFew}`,
  );
}

/**
 * `eom simulate --method rmsprop|adam`.
 *
 * @example
 *   eom simulate --loss "x^4/4 - x^2/2 + x*y + y^2" --init x=0.5,y=1 --method adam --param beta1=0.5,beta2=0.6,eps=0.01 --lr 0.001 --start rest
 */
export async function adaptiveSimulate(
  opts: LossCliOptions & { init?: string },
  rule: AdaptiveRule,
  run: { lr: number; steps: number; every: number; order: number; start: AdaptiveStart; format: 'table' | 'csv' | 'json'; relativeTolerance: number },
  write: (s: string) => void,
  warn: (ws: readonly string[]) => void,
): Promise<void> {
  const { adaptiveRegimeWarning, AdaptiveStepper, adaptiveSimulateUntilDivergence, settle, transientJson, TOO_FEW_STEPS } = await load();
  const problem = await adaptiveProblemFrom(opts, rule, Math.max(run.order, 0));
  const w = adaptiveRegimeWarning(problem, run.lr);
  warn(w ? [w] : []);
  // On a divergence the rows before it are printed (JSON: with a "divergence" field), then the error (exit 3).
  const { rows, divergence } = adaptiveSimulateUntilDivergence(problem, { ...run, integrator: { relativeTolerance: run.relativeTolerance } });
  const orders = Array.from({ length: run.order + 2 }, (_, i) => i - 1);
  const transients = run.start === 'rest' ? [settle(new AdaptiveStepper(problem, run.lr, 'rest'))] : [];
  if (run.format === 'json') {
    const transient = transients.length ? transientJson(transients[0]!) : undefined;
    const json = {
      loss: opts.loss,
      vars: problem.vars,
      method: rule.spec.name,
      params: Object.fromEntries(rule.params),
      leading: '1/(sqrt(g_i^2) + eps)',
      start: run.start,
      lr: run.lr,
      eomkit: eomkitVersion(),
      rows: rows.map((r) => ({ step: r.step, t: r.t, theta: Object.fromEntries(problem.vars.map((v, i) => [v, r.theta[i]])), distance: Object.fromEntries(orders.map((j, o) => [label(j), r.distances[o]])) })),
      ...(transient ? { transient: { rate: transient.rate, settled: transient.settled } } : {}),
      ...(divergence ? { divergence: divergence.message } : {}),
    };
    write(JSON.stringify(json, null, 2) + '\n');
    if (divergence) throw divergence;
    return;
  }
  const header = ['step', 't', ...problem.vars, ...orders.map((j) => `|${label(j)} − ${rule.spec.name}|`)];
  const body = rows.map((r) => [String(r.step), r.t.toPrecision(6), ...Array.from(r.theta, (x) => x.toPrecision(10)), ...r.distances.map(fmt)]);
  if (run.format === 'csv') {
    write([header, ...body].map((r) => r.join(',')).join('\n') + '\n');
  } else {
    const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
    const line = (r: string[]) => r.map((x, c) => x.padStart(widths[c]!)).join('  ');
    const intro = [`method: ${rule.spec.name} (${[...rule.params].map(([k, v]) => `${k} = ${v}`).join(', ')}), start: ${run.start}; dθ/dt = −g/(|g| + ε) − η Σ_k η^k ξ_k, step n at t = nη`, ...transientLines(transients, TOO_FEW_STEPS)];
    write([...intro, line(header), ...body.map(line)].join('\n') + '\n');
  }
  if (divergence) throw divergence;
}

/**
 * `eom validate --method rmsprop|adam`: false (exit 1) when a slope is off its prediction.
 *
 * @example
 *   eom validate … --method rmsprop --param alpha=0.6,eps=0.01 --lrs 0.002,0.001,0.0005 --horizon 0.2 --order 1
 */
export async function adaptiveValidateRun(
  opts: LossCliOptions & { init?: string },
  rule: AdaptiveRule,
  run: { order: number; lrs: number[]; horizon: number; start: AdaptiveStart; format: 'text' | 'json'; relativeTolerance: number },
  write: (s: string) => void,
  warn: (ws: readonly string[]) => void,
): Promise<boolean> {
  const { adaptiveValidateUntilDivergence, transientJson, TOO_FEW_STEPS } = await load();
  const problem = await adaptiveProblemFrom(opts, rule, run.order + 1);
  // A divergence after the optimiser's runs keeps the orders finished before it: JSON prints them and a "divergence" field, then the error (exit 3).
  const v = adaptiveValidateUntilDivergence(problem, { order: run.order, lrs: run.lrs, horizon: run.horizon, start: run.start, integrator: { relativeTolerance: run.relativeTolerance } });
  warn(v.warnings);
  if (run.format === 'json') {
    const divergence = v.divergence ? { divergence: v.divergence.message } : {};
    write(JSON.stringify({ loss: opts.loss, vars: problem.vars, method: v.method, params: Object.fromEntries(v.params), start: v.start, horizon: run.horizon, eomkit: eomkitVersion(), passed: v.passed, results: v.results, transients: v.transients.map(transientJson), ...divergence }, null, 2) + '\n');
    if (v.divergence) throw v.divergence;
    return v.passed;
  }
  if (v.divergence) throw v.divergence;
  const lines = [`method: ${v.method} (${[...v.params].map(([k, p]) => `${k} = ${p}`).join(', ')}), start: ${v.start}, horizon ${run.horizon}`, ...transientLines(v.transients, TOO_FEW_STEPS)];
  for (const r of v.results) {
    lines.push(`${label(r.order)}: local slope ${r.localSlope.toFixed(2)} (expected ${r.expectedLocalSlope}), global slope ${r.globalSlope.toFixed(2)} (expected ${r.expectedGlobalSlope}) ${r.passed ? 'PASS' : 'FAIL'}`);
    r.lrs.forEach((lr, i) => lines.push(`  η = ${lr}: local ${fmt(r.local[i]!)}  global ${fmt(r.global[i]!)}${r.atNoiseFloor.includes(lr) ? '  (at the noise floor: not fitted)' : ''}`));
  }
  lines.push(v.passed ? 'passed' : 'FAILED');
  write(lines.join('\n') + '\n');
  return v.passed;
}
