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

function transientLines(ts: readonly AdaptiveTransient[]): string[] {
  return ts.map((t) => `transient (η = ${t.lr}): the state relaxes onto the slow manifold like ${t.rate.toFixed(4)}^n; settled after ${t.settled} steps`);
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
  const { adaptiveRegimeWarning, AdaptiveStepper, adaptiveFlow, settle } = await load();
  const problem = await adaptiveProblemFrom(opts, rule, Math.max(run.order, 0));
  const w = adaptiveRegimeWarning(problem, run.lr);
  warn(w ? [w] : []);
  const stepper = new AdaptiveStepper(problem, run.lr, run.start);
  const traj = [stepper.theta];
  for (let k = 0; k < run.steps; k++) traj.push(stepper.step());
  const orders = Array.from({ length: run.order + 2 }, (_, i) => i - 1);
  const flows = orders.map((j) => adaptiveFlow(problem, j, run.lr, problem.init, run.steps, { relativeTolerance: run.relativeTolerance }));
  const transients = run.start === 'rest' ? [settle(new AdaptiveStepper(problem, run.lr, 'rest'))] : [];
  const kept = traj.map((_, k) => k).filter((k) => k % run.every === 0 || k === run.steps);
  const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(...Array.from(a, (x, i) => x - b[i]!));
  const rows = kept.map((k) => ({ step: k, t: k * run.lr, theta: traj[k]!, distances: orders.map((_, o) => dist(flows[o]![k]!, traj[k]!)) }));
  if (run.format === 'json') {
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
      ...(transients.length ? { transient: { rate: transients[0]!.rate, settled: transients[0]!.settled } } : {}),
    };
    return write(JSON.stringify(json, null, 2) + '\n');
  }
  const header = ['step', 't', ...problem.vars, ...orders.map((j) => `|${label(j)} − ${rule.spec.name}|`)];
  const body = rows.map((r) => [String(r.step), r.t.toPrecision(6), ...Array.from(r.theta, (x) => x.toPrecision(10)), ...r.distances.map(fmt)]);
  if (run.format === 'csv') return write([header, ...body].map((r) => r.join(',')).join('\n') + '\n');
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((x, c) => x.padStart(widths[c]!)).join('  ');
  const intro = [`method: ${rule.spec.name} (${[...rule.params].map(([k, v]) => `${k} = ${v}`).join(', ')}), start: ${run.start}; dθ/dt = −g/(|g| + ε) − η Σ_k η^k ξ_k, step n at t = nη`, ...transientLines(transients)];
  write([...intro, line(header), ...body.map(line)].join('\n') + '\n');
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
  const { adaptiveValidate } = await load();
  const problem = await adaptiveProblemFrom(opts, rule, run.order + 1);
  const v = adaptiveValidate(problem, { order: run.order, lrs: run.lrs, horizon: run.horizon, start: run.start, integrator: { relativeTolerance: run.relativeTolerance } });
  warn(v.warnings);
  if (run.format === 'json') {
    write(JSON.stringify({ loss: opts.loss, vars: problem.vars, method: v.method, params: Object.fromEntries(v.params), start: v.start, horizon: run.horizon, eomkit: eomkitVersion(), passed: v.passed, results: v.results, transients: v.transients.map((t) => ({ lr: t.lr, rate: t.rate, settled: t.settled })) }, null, 2) + '\n');
    return v.passed;
  }
  const lines = [`method: ${v.method} (${[...v.params].map(([k, p]) => `${k} = ${p}`).join(', ')}), start: ${v.start}, horizon ${run.horizon}`, ...transientLines(v.transients)];
  for (const r of v.results) {
    lines.push(`${label(r.order)}: local slope ${r.localSlope.toFixed(2)} (expected ${r.expectedLocalSlope}), global slope ${r.globalSlope.toFixed(2)} (expected ${r.expectedGlobalSlope}) ${r.passed ? 'PASS' : 'FAIL'}`);
    r.lrs.forEach((lr, i) => lines.push(`  η = ${lr}: local ${fmt(r.local[i]!)}  global ${fmt(r.global[i]!)}${r.atNoiseFloor.includes(lr) ? '  (at the noise floor: not fitted)' : ''}`));
  }
  lines.push(v.passed ? 'passed' : 'FAILED');
  write(lines.join('\n') + '\n');
  return v.passed;
}
