/**
 * `eom report`: one self-contained HTML file with the loss, its counter terms ξ_0 … ξ_K (KaTeX),
 * the trajectories of GD, GF and EoM_K, and the measured error orders against the predicted ones.
 *
 * @example
 *   eom report --example quartic --out quartic.html
 *   eom report --loss "(x^2 + y^2 - 1)^2" --init x=0.8,y=0.4 --lr 0.05 --steps 60 --out ring.html
 */
import { Command } from 'commander';
import { DEFAULT_LRS, LADDER_REGIME } from '../simulate/defaults.js';
import { REPORT_EXAMPLES, type ReportExample } from '../report/examples.js';
import { UserError } from './errors.js';
import { addLossOptions } from './lossOptions.js';
import { addSgdOptions, checkAppliesTo, wantsSgd } from './sgdOptions.js';
import { adaptiveRuleFrom } from './methodOptions.js';
import { parseInteger, parseNumber, positive } from './numbers.js';
import { Progress } from './progress.js';
import { checkedTarget, FORCE_HELP, writeReport } from './outputFile.js';
import { addSimulationMethodOptions, checkHorizon, ladderFor, MAX_STEPS, numericOrder, parseLadder, parseTolerance, problemFrom, startFrom, warn, type CommonOptions } from './simulateCommands.js';

interface ReportCliOptions extends CommonOptions {
  epochs?: string;
  runs?: string;
  seed?: string;
  example?: string;
  lr?: string;
  lrs?: string;
  steps?: string;
  horizon?: string;
  out?: string;
  force?: boolean;
  axes?: string;
}

/** Defaults when neither an option nor an example gives a value. */
const DEFAULTS = { order: 2, lr: 0.05, steps: 100 };

export function reportCommand(write: (s: string) => void, version = ''): Command {
  const names = REPORT_EXAMPLES.map((e) => e.name);
  return addSgdOptions(addSimulationMethodOptions(addLossOptions(new Command('report').description('write an HTML report: counter terms (KaTeX), trajectories and error orders (SVG plots)'))))
    .option('--example <name>', `a built-in example loss with its settings: ${names.join(', ')}`)
    .option('--init <x=…,y=…>', 'starting point, one value per parameter')
    .option('-k, --order <K>', `counter terms ξ_0 … ξ_K, flows EoM_0 … EoM_K (default ${DEFAULTS.order})`)
    .option('--lr <eta>', `learning rate of the trajectories (default ${DEFAULTS.lr})`)
    .option('--lrs <list>', `learning rates of the error-order plots (default ${DEFAULT_LRS.join(',')}, scaled down to η·|λ|max(H(θ0)) ≤ ${LADDER_REGIME} at the top)`)
    .option('--steps <n>', `GD steps of the trajectories (default ${DEFAULTS.steps})`)
    .option('--horizon <T>', 'run the trajectories to time T instead (steps = T/η)')
    .option('--tolerance <rtol>', 'relative tolerance of the ODE integrator', '1e-13')
    .option('--axes <w1,w2>', 'the two parameters of the trajectory plot (default: the only two; needed for more)')
    .option('-o, --out <file.html>', 'where to write the report (the folder must exist; a regular file or a symlink to one)')
    .option('--epochs <E>', 'SGD: epochs of the per-epoch means (default 10)')
    .option('--runs <R>', 'SGD with shuffle: seeded runs averaged per epoch (default 200)')
    .option('--seed <s>', 'SGD with shuffle: seed of the batch orders (default 0)')
    .option('--force', FORCE_HELP)
    .addHelpText(
      'after',
      `
Examples:
  eom report --example quartic --out quartic.html
  eom report --loss "(x^2 + y^2 - 1)^2 + 0.5*x*y^3" --init x=0.8,y=0.4 --lr 0.05 --steps 60 --out ring.html
  eom report --example logistic --order 2 --out logistic.html
  eom report --batches "(x-1)^2*y^2 + x^4/4; (y+1)^2 + x*y; x^2*y - y" --init x=0.5,y=0.3 --lr 0.02 --epochs 20 --out sgd.html
  eom report --loss "(w*x + b - y)^2" --data data.csv --batch-size 50 --init w=0,b=0 --order 1 --out sgd.html
  eom report --loss "x^4/4 - x^2/2 + x*y + y^2" --init x=0.5,y=1 --method adam --param beta1=0.5,beta2=0.6,eps=0.01 --out adam.html

rmsprop and adam (--method, with --loss): c_i and ξ_0 … ξ_K (K ≤ 2, default 1) and where they hold, the iterates
from the manifold start and from PyTorch's (m = v = 0, bias correction on) beside the flows, one plot per parameter,
PyTorch's transient, and the error orders from --start (default manifold). Defaults: --lr 0.001, --steps 200,
--lrs 0.002,0.001,0.0005,0.00025 (the EoM needs η far below the scale the regime warning names).

SGD (--batches, or --loss with --data and --batch-size; --sampling shuffle|cyclic): ξ_0 … ξ_K (K ≤ 2) in the
labelled notation (and closed forms for --batches), the mean iterate per epoch over --runs seeded runs with error
bars beside the flows at t = e·mη, and one epoch against each flow at the --lrs (shuffle: m ≤ 6, else skipped).

Built-in examples (--example; any other option overrides the example's setting):
${REPORT_EXAMPLES.map((e) => `  ${e.name.padEnd(11)} ${e.summary}`).join('\n')}

The global error of the error-order plots is measured over the trajectories' time T = steps·η.
The file has no scripts and needs no network: KaTeX's fonts are embedded.
How to read it: docs/tutorials/reading-a-report.md.
Exit status: 0 written, 2 bad input (nothing written), 3 a trajectory diverged.`,
    )
    .action(async (opts: ReportCliOptions, self: Command) => {
      const sgd = wantsSgd(opts);
      checkAppliesTo(self, sgd);
      if (sgd) {
        const { sgdReport } = await import('./sgdReportCommand.js');
        return sgdReport(opts, write, version);
      }
      const adaptive = adaptiveRuleFrom(opts);
      if (adaptive) {
        const { adaptiveReport, ADAPTIVE_REPORT_DEFAULTS: d } = await import('./adaptiveReportCommand.js');
        const settings = settingsFrom(opts, undefined, { ...d, lrs: [...d.lrs] });
        return adaptiveReport(opts, adaptive, { ...settings, start: startFrom(opts) }, write, version);
      }
      const example = exampleFrom(opts);
      if (opts.out === undefined) throw new UserError('--out is required, e.g. --out report.html');
      const target = checkedTarget(opts.out, '--out', { force: opts.force === true });
      const settings = settingsFrom(opts, example);
      const merged: CommonOptions = {
        ...opts,
        loss: opts.loss ?? example?.loss,
        init: opts.init ?? example?.init,
        vars: opts.vars ?? example?.vars,
        weightDecay: opts.weightDecay ?? example?.weightDecay,
      };
      const start = startFrom(opts);
      const problem = await problemFrom(merged, settings.order + 1, 'eom report');
      if (opts.lrs === undefined && example?.lrs === undefined) {
        settings.lrs = ladderFor(problem);
        checkHorizon(settings.horizon, settings.lrs, `the time T = steps·η = ${settings.horizon}`);
      }
      const axes = opts.axes === undefined ? undefined : axesFrom(opts.axes, problem.vars);
      const { reportData, reportHtml, ladderWarnings, convergenceWarnings } = await load();
      warn([...convergenceWarnings(problem, settings.lr).map((w) => `η = ${settings.lr}: ${w}`), ...ladderWarnings(problem, settings.lrs)]);
      const progress = new Progress();
      const data = reportData(problem, {
        ...settings,
        start,
        ...(axes ? { axes } : {}),
        integrator: { relativeTolerance: parseTolerance(opts.tolerance) },
        onProgress: (f, label) => progress.update(`report: ${label}… ${(100 * f).toFixed(0)}%`),
      });
      progress.update('report: rendering formulas…');
      const html = reportHtml(data, {
        title: example ? `EoM report: ${example.summary}` : `EoM report: ${merged.loss}`,
        ...(example ? { description: example.description } : {}),
        generator: `eomkit ${version}`.trim(),
      });
      progress.done();
      writeReport(target, html, write);
    });
}

// The simulator and KaTeX are loaded when the command runs, not for --help.
const load = async () => ({
  ...(await import('../report/reportData.js')),
  ...(await import('../report/html.js')),
  ...(await import('../simulate/validate.js')),
  ...(await import('../simulate/trajectories.js')),
});

/** --axes w1,w2: two different parameters, the horizontal axis first. */
function axesFrom(value: string, vars: readonly string[]): [string, string] {
  const names = value.split(',').map((s) => s.trim());
  if (names.length !== 2 || names.some((n) => n === '')) throw new UserError(`--axes takes two parameters, e.g. --axes ${vars.slice(0, 2).join(',')}; got "${value}"`);
  const unknown = names.find((n) => !vars.includes(n));
  if (unknown !== undefined) throw new UserError(`--axes: "${unknown}" is not a parameter of the loss (parameters: ${vars.join(', ')})`);
  if (names[0] === names[1]) throw new UserError(`--axes needs two different parameters, got "${value}"`);
  return [names[0]!, names[1]!];
}

function exampleFrom(opts: ReportCliOptions): ReportExample | undefined {
  if (opts.example === undefined) return undefined;
  const example = REPORT_EXAMPLES.find((e) => e.name === opts.example);
  if (!example) throw new UserError(`--example must be one of ${REPORT_EXAMPLES.map((e) => e.name).join(', ')}; got "${opts.example}"`);
  if (opts.loss !== undefined) throw new UserError('--example and --loss are alternatives: give one of them');
  return example;
}

/** Order, learning rates and length: an option, else the example's value, else the default. */
function settingsFrom(opts: ReportCliOptions, example: ReportExample | undefined, defaults: { order: number; lr: number; steps: number; lrs: readonly number[] } = { ...DEFAULTS, lrs: DEFAULT_LRS }) {
  const order = opts.order !== undefined ? numericOrder(opts.order) : (example?.order ?? defaults.order);
  if (order < 0) throw new UserError(`--order must be at least 0 for a report (ξ_0 … ξ_K), got "${opts.order}"`);
  const lr = opts.lr !== undefined ? parseNumber('--lr', opts.lr, positive) : (example?.lr ?? defaults.lr);
  const lrs = opts.lrs !== undefined ? parseLadder(opts.lrs) : [...(example?.lrs ?? defaults.lrs)];
  if (opts.steps !== undefined && opts.horizon !== undefined) throw new UserError('--steps and --horizon are alternatives: give one of them');
  let steps: number;
  if (opts.horizon !== undefined) {
    const T = parseNumber('--horizon', opts.horizon, positive);
    steps = Math.round(T / lr);
    if (steps < 1) throw new UserError(`--horizon ${opts.horizon} is shorter than one step of --lr ${lr}`);
  } else {
    steps = opts.steps !== undefined ? parseInteger('--steps', opts.steps, 1) : (example?.steps ?? defaults.steps);
  }
  if (steps > MAX_STEPS) throw new UserError(`the trajectories need ${steps} steps; at most ${MAX_STEPS}`);
  const horizon = steps * lr;
  checkHorizon(horizon, lrs, `the time T = steps·η = ${horizon}`);
  return { order, lr, steps, lrs, horizon };
}
