/**
 * `eom simulate` and `eom validate`: GD against gradient flow and EoM_K, and the measured
 * discretization errors against the predicted orders.
 */
import { Command } from 'commander';
import { rationalToNumber } from '../series/fraction.js';
import { nameRecord } from '../loss/names.js';
import { eomkitVersion } from '../version.js';
import type { SimulationProblem } from '../simulate/problem.js';
import { ADAPTIVE_HORIZON, ADAPTIVE_LR, ADAPTIVE_LRS, DEFAULT_LRS, LADDER_REGIME, scaledLadder, SIMULATE_LR } from '../simulate/defaults.js';
import { adaptiveMethods } from '../adaptive/methods.js';
import { UserError } from './errors.js';
import { addLossOptions, lossOptionsFrom, type LossCliOptions } from './lossOptions.js';
import { adaptiveRuleFrom, addMethodOptions, numericRule, ruleFrom, type MethodCliOptions } from './methodOptions.js';
import { parseAssignments, parseInteger, parseNumber, parseNumberList, positive } from './numbers.js';
import { parseChoice } from './options.js';
import { Progress } from './progress.js';
import { addSgdOptions, checkAppliesTo, wantsSgd, type SgdCliOptions } from './sgdOptions.js';

/** Highest EoM order the numeric commands compile (trees with K+3 nodes become generated code). */
export const MAX_NUMERIC_ORDER = 8;
/** Most GD steps per run (only recorded steps are kept, so this bounds time: ~2 integrations per step). */
export const MAX_STEPS = 1_000_000;

/** Relative tolerances the integrator is asked for: tight enough to matter, loose enough to be reachable. */
export function parseTolerance(value: string): number {
  return parseNumber('--tolerance', value, (x) => (x >= 1e-15 && x <= 1e-6 ? undefined : 'must be between 1e-15 and 1e-6'));
}

export function numericOrder(value: string): number {
  const K = parseInteger('--order', value, -1);
  if (K > MAX_NUMERIC_ORDER) throw new UserError(`--order must be at most ${MAX_NUMERIC_ORDER} for simulation, got "${value}"`);
  return K;
}

/** Exit status when validation ran but a slope is off its prediction. */
export const EXIT_VALIDATION_FAILED = 1;

export interface CommonOptions extends LossCliOptions, MethodCliOptions, SgdCliOptions {
  init?: string;
  order: string;
  tolerance: string;
  start?: string;
}

/** Where a multistep method starts (the values of --start). */
export const START_CHOICES = ['manifold', 'rest'] as const;

/** --method/--param/--tableau/--update and --start, shared by simulate, validate and report. */
export function addSimulationMethodOptions(cmd: Command): Command {
  return addMethodOptions(cmd).option(
    '--start <start>',
    'multistep methods: manifold (past iterates on the EoM flow; errors O(η^(K+3)) from step 0) or rest (zero velocity, as PyTorch)',
    'manifold',
  );
}

/** The --start value. */
export function startFrom(opts: CommonOptions): (typeof START_CHOICES)[number] {
  return parseChoice('--start', opts.start ?? 'manifold', START_CHOICES);
}

// The simulator pulls in the loss layer and mathjs: loaded when a command runs, not for --help.
const load = async () => ({
  ...(await import('../loss/loss.js')),
  ...(await import('../simulate/problem.js')),
  ...(await import('../simulate/trajectories.js')),
  ...(await import('../simulate/validate.js')),
  ...(await import('../report/simulationTables.js')),
});

export async function problemFrom(opts: CommonOptions, maxOrder: number, command: string): Promise<SimulationProblem> {
  const { exactNumber, simulationProblem } = await load();
  if (opts.loss === undefined) throw new UserError('--loss is required');
  if (opts.init === undefined) throw new UserError('--init is required, e.g. --init x=1,y=0.5');
  const rule = numericRule(await ruleFrom(opts), command);
  const lossOptions = lossOptionsFrom(opts);
  // --set values are substituted exactly into the loss; the numbers are passed along for completeness.
  const constants = nameRecord<number>();
  for (const [k, v] of lossOptions.values ?? []) constants[k] = rationalToNumber(exactNumber(String(v), `--set ${k}`));
  return simulationProblem({ ...lossOptions, loss: opts.loss, init: parseAssignments('--init', opts.init), maxOrder, constants, rule });
}

/** The weight decay, constants' values and version, for JSON outputs. */
function runInputs(problem: SimulationProblem) {
  return { weightDecay: problem.loss.weightDecay, constants: problem.constants, eomkit: eomkitVersion() };
}

export function warn(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`eom: warning: ${w}\n`);
}

/**
 * The learning-rate ladder when --lrs is not given: DEFAULT_LRS, scaled down when the problem's
 * curvature at θ0 puts its top rung outside the series' regime (simulate/defaults.ts), with a note
 * on stderr saying so.
 */
export function ladderFor(problem: SimulationProblem): number[] {
  const lrs = scaledLadder(problem.curvature * problem.expansion);
  if (lrs[0] !== DEFAULT_LRS[0]) {
    process.stderr.write(`eom: note: learning rates ${lrs.join(', ')}: the default ladder scaled so that ${problem.expansionName} ≤ ${LADDER_REGIME} at the largest (--lrs sets them)\n`);
  }
  return lrs;
}

export function simulateCommand(write: (s: string) => void): Command {
  const FORMATS = ['table', 'csv', 'json'] as const;
  return addSgdOptions(addSimulationMethodOptions(addLossOptions(new Command('simulate').description('run gradient descent (or --method) beside gradient flow and the EoM_0 … EoM_K flows'))))
    .option('--epochs <E>', 'SGD: epochs per run', '10')
    .option('--runs <R>', 'SGD with shuffle: seeded runs averaged per epoch', '200')
    .option('--seed <s>', 'SGD with shuffle: seed of the batch orders', '0')
    .option('--init <x=…,y=…>', 'starting point, one value per parameter')
    .option('--lr <eta>', `learning rate η (default ${SIMULATE_LR}; rmsprop and adam: ${ADAPTIVE_LR}, as eom report)`)
    .option('--steps <n>', 'number of GD steps', '100')
    .option('-k, --order <K>', 'integrate EoM_0 … EoM_K (and gradient flow)', '2')
    .option('--every <n>', 'print every n-th step', '1')
    .option('-f, --format <format>', `output: ${FORMATS.join(', ')}`, 'table')
    .option('--tolerance <rtol>', 'relative tolerance of the ODE integrator', '1e-13')
    .addHelpText(
      'after',
      `
Example:
  eom simulate --loss "(x^2 + y^2 - 1)^2 + 0.5*x*y^3" --init x=0.8,y=0.4 --lr 0.05 --steps 200 --every 20
  eom simulate --loss "(x^2 + y^2 - 1)^2 + 0.5*x*y^3" --init x=0.8,y=0.4 --method heavy-ball --param beta=0.9 --lr 0.0001 --steps 1000 --every 100 --start rest
  eom simulate --loss "x^4/4 - x^2/2 + x*y + y^2" --init x=0.5,y=1 --method adam --param beta1=0.5,beta2=0.6,eps=0.01 --lr 0.001 --steps 200 --every 20 --order 1 --start rest
  eom simulate --batches "(x-1)^2*y^2 + x^4/4; (y+1)^2 + x*y; x^2*y - y" --init x=0.5,y=0.3 --lr 0.01 --epochs 20 --runs 1000

Columns: GD iterates (or the method's), then for GF and each EoM_K its position, its distance to GD at t = kη, and
±int GF, ±int EoM_K: the integrator's error estimate for that position.
Exit status: 0 done, 2 bad input, 3 a trajectory diverged or the integrator stopped on a flow (the rows before it
are printed, then the error with its step; JSON gets a "divergence" field).`,
    )
    .action(async (given: CommonOptions & { lr?: string; steps: string; every: string; format: string; epochs?: string; runs?: string; seed?: string }, self: Command) => {
      // RMSProp and Adam default to a small η: their EoM describes η ≪ (min|g_i| + ε)(1 − β)/|λ|max.
      const opts = { ...given, lr: given.lr ?? String(given.method !== undefined && adaptiveMethods.has(given.method) ? ADAPTIVE_LR : SIMULATE_LR) };
      const sgd = wantsSgd(opts);
      checkAppliesTo(self, sgd);
      if (sgd) {
        const { simulateSgd } = await import('./sgdCommands.js');
        return simulateSgd(opts, numericOrder(opts.order), write);
      }
      const { simulateUntilDivergence, simulationCsv, simulationJson, simulationTable, convergenceWarnings } = await load();
      const format = parseChoice('--format', opts.format, FORMATS);
      const K = numericOrder(opts.order);
      const lr = parseNumber('--lr', opts.lr, positive);
      const steps = parseInteger('--steps', opts.steps, 1);
      if (steps > MAX_STEPS) throw new UserError(`--steps must be at most ${MAX_STEPS}, got "${opts.steps}"`);
      const every = parseInteger('--every', opts.every, 1);
      const relativeTolerance = parseTolerance(opts.tolerance);
      if (!Number.isFinite(lr * steps)) throw new UserError(`--lr ${opts.lr} × --steps ${opts.steps} is not a finite time`);
      const start = startFrom(opts);
      const adaptive = adaptiveRuleFrom(opts);
      if (adaptive) return (await import('./adaptiveCommands.js')).adaptiveSimulate(opts, adaptive, { lr, steps, every, order: K, start, format, relativeTolerance }, write, warn);
      const problem = await problemFrom(opts, Math.max(K, 0), 'eom simulate');
      warn(convergenceWarnings(problem, lr)); // before the run, so a divergence still shows it
      const progress = new Progress({ enabled: format === 'table' });
      // On a divergence the rows before it are printed, then the error (exit 3).
      const { result, divergence } = simulateUntilDivergence(problem, {
        lr,
        steps,
        every,
        start,
        orders: Array.from({ length: K + 2 }, (_, i) => i - 1),
        integrator: { relativeTolerance },
        onProgress: (f, label) => progress.update(`simulating ${label}… ${(100 * f).toFixed(0)}%`),
      });
      progress.done();
      if (format === 'table') write(simulationTable(result));
      else if (format === 'csv') write(simulationCsv(result));
      else {
        const json = simulationJson(result, opts.loss!, problem.initRecord, runInputs(problem));
        write(JSON.stringify(divergence ? { ...json, divergence: divergence.message } : json, null, 2) + '\n');
      }
      if (divergence) throw divergence;
    });
}

/**
 * A --lrs ladder: at least two different learning rates, none twice.
 *
 * @example
 *   parseLadder('0.1,0.05') // [0.1, 0.05]
 */
export function parseLadder(value: string): number[] {
  const lrs = parseNumberList('--lrs', value);
  if (new Set(lrs).size < 2) throw new UserError('--lrs needs at least two different learning rates to fit a slope');
  if (new Set(lrs).size < lrs.length) throw new UserError(`--lrs lists a learning rate twice: "${value}"`);
  return lrs;
}

/**
 * A horizon T must hold one step of the largest η and at most MAX_STEPS of the smallest.
 *
 * @example
 *   checkHorizon(1, [0.2, 0.1], '--horizon 1') // fine; checkHorizon(0.1, [0.2], …) throws UserError
 */
export function checkHorizon(horizon: number, lrs: readonly number[], what: string): void {
  if (horizon < Math.max(...lrs)) throw new UserError(`${what} is shorter than one step of the largest learning rate (${Math.max(...lrs)})`);
  const longest = Math.round(horizon / Math.min(...lrs));
  if (longest > MAX_STEPS) throw new UserError(`${what} with η = ${Math.min(...lrs)} needs ${longest} steps; at most ${MAX_STEPS}`);
}

export function validateCommand(write: (s: string) => void, setExit: (code: number) => void): Command {
  const FORMATS = ['text', 'json'] as const;
  return addSgdOptions(addSimulationMethodOptions(addLossOptions(new Command('validate').description('measure local and global discretization errors of GF and EoM_j (j ≤ K) against their predicted orders'))))
    .option('--init <x=…,y=…>', 'starting point, one value per parameter')
    .option('-k, --order <K>', 'validate gradient flow and EoM_0 … EoM_K', '2')
    .option('--lrs <list>', `learning rates, comma-separated (default: ${DEFAULT_LRS.join(',')}, scaled down to η·|λ|max(H(θ0)) ≤ ${LADDER_REGIME} at the top; rmsprop and adam: ${ADAPTIVE_LRS.join(',')})`)
    .option('--horizon <T>', `time horizon of the global error (default: 1; rmsprop and adam: ${ADAPTIVE_HORIZON})`)
    .option('-f, --format <format>', `output: ${FORMATS.join(', ')}`, 'text')
    .option('--tolerance <rtol>', 'relative tolerance of the ODE integrator', '1e-13')
    .addHelpText(
      'after',
      `
Example:
  eom validate --loss "(x^2 + y^2 - 1)^2 + 0.5*x*y^3" --init x=0.8,y=0.4 --lrs 0.04,0.02,0.01,0.005
  eom validate --loss "(x^2 + y^2 - 1)^2 + 0.5*x*y^3" --init x=0.8,y=0.4 --method heavy-ball --param beta=0.9 --lrs 0.00016,0.00008,0.00004,0.00002 --horizon 0.1
  eom validate --loss "x^4/4 - x^2/2 + x*y + y^2" --init x=0.5,y=1 --method adam --param beta1=0.5,beta2=0.6,eps=0.01 --lrs 0.002,0.001,0.0005,0.00025 --horizon 0.2 --order 1
  eom validate --batches "(x-1)^2*y^2 + x^4/4; (y+1)^2 + x*y; x^2*y - y" --sampling shuffle --init x=0.5,y=0.3 --lrs 0.02,0.01,0.005,0.0025

rmsprop and adam: GF is dθ/dt = −g/(|g| + ε); the manifold start puts (m, v) on the slow manifold at θ0,
--start rest is PyTorch's (m = v = 0, bias correction on) and its transient is reported. The series is one in
η·|λ|max/((min|g_i| + ε)(1 − β)): outside η ≪ that scale a warning is printed.
SGD (--batches, --method sgd): one epoch from θ0 (the exact mean over all m! orders with shuffle, m ≤ 6)
against each flow over time mη; local slopes 2 (GF) and j+3 (EoM_j); no global error.

Local error: one step from θ0, ‖θ_EoM_j(η) − θ_GD,1‖, predicted η^(j+3)‖ξ_(j+1)(θ0)‖ (slope j+3).
A multistep method (--method heavy-ball, nesterov, …) starts on the slow manifold by default;
with --start rest (PyTorch's zero velocity) the errors are measured after its transient.
Global error: max over t = kη ≤ T of ‖θ_EoM_j(t) − θ_k‖ (slope j+2). GF is j = −1.
Exit status: 0 every fitted slope within ±0.3 of its prediction, 1 otherwise, 2 bad input, 3 divergence or the
integrator stopped on a flow (--format json still prints the orders measured before it and a "divergence" field).`,
    )
    .action(async (opts: CommonOptions & { lrs?: string; horizon?: string; format: string }, self: Command) => {
      const { validateUntilDivergence, validationJson, validationText } = await load();
      const format = parseChoice('--format', opts.format, FORMATS);
      const K = numericOrder(opts.order);
      const given = opts.lrs === undefined ? undefined : parseLadder(opts.lrs);
      const relativeTolerance = parseTolerance(opts.tolerance);
      const sgd = wantsSgd(opts);
      checkAppliesTo(self, sgd);
      if (sgd) {
        const { validateSgd } = await import('./sgdCommands.js');
        return validateSgd(opts, K, given ?? [...DEFAULT_LRS], relativeTolerance, write, setExit);
      }
      // RMSProp and Adam have their own defaults: their EoM describes a small-η regime.
      const adaptive = adaptiveRuleFrom(opts);
      let lrs = given ?? [...(adaptive ? ADAPTIVE_LRS : DEFAULT_LRS)];
      const horizon = opts.horizon === undefined ? (adaptive ? ADAPTIVE_HORIZON : 1) : parseNumber('--horizon', opts.horizon, positive);
      const horizonText = opts.horizon === undefined ? `the horizon T = ${horizon}` : `--horizon ${opts.horizon}`;
      checkHorizon(horizon, lrs, horizonText);
      const start = startFrom(opts);
      if (adaptive) {
        const passed = await (await import('./adaptiveCommands.js')).adaptiveValidateRun(opts, adaptive, { order: K, lrs, horizon, start, format, relativeTolerance }, write, warn);
        if (!passed) setExit(EXIT_VALIDATION_FAILED);
        return;
      }
      const problem = await problemFrom(opts, K + 1, 'eom validate');
      if (!given) {
        lrs = ladderFor(problem);
        checkHorizon(horizon, lrs, horizonText);
      }
      const { ladderWarnings } = await load();
      warn(ladderWarnings(problem, lrs)); // before the run, so a divergence still shows it
      const progress = new Progress({ enabled: format === 'text' });
      // A divergence keeps the orders finished before it: JSON prints them with a "divergence" field, then the error (exit 3).
      const result = validateUntilDivergence(problem, {
        order: K,
        lrs,
        horizon,
        start,
        integrator: { relativeTolerance },
        onProgress: (f, label) => progress.update(`validating ${label}… ${(100 * f).toFixed(0)}%`),
      });
      progress.done();
      const { divergence } = result;
      if (format === 'json') {
        const json = validationJson(result, opts.loss!, runInputs(problem));
        write(JSON.stringify(divergence ? { ...json, divergence: divergence.message } : json, null, 2) + '\n');
      }
      if (divergence) throw divergence;
      if (format === 'text') write(validationText(result, opts.loss!));
      if (!result.passed) setExit(EXIT_VALIDATION_FAILED);
    });
}
