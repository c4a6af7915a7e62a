/**
 * `eom symmetry`: verify a layer symmetry of a loss, give the EoM_K law of the quantity it governs
 * in closed form, and compare GD, GF and EoM_K on that quantity.
 */
import { Command } from 'commander';
import { UserError } from './errors.js';
import { addLossOptions, lossOptionsFrom, type LossCliOptions } from './lossOptions.js';
import { parseAssignments, parseInteger, parseNumber, positive } from './numbers.js';
import { parseLadder } from './simulateCommands.js';
import { parseChoice } from './options.js';
import { Progress } from './progress.js';
import { checkedTarget, FORCE_HELP, writeAtomically } from './outputFile.js';

/** Highest EoM order in the symmetry analysis (it also compiles ξ_0 … ξ_K for the comparison). */
export const MAX_SYMMETRY_ORDER = 8;

interface SymmetryOptions extends LossCliOptions {
  kind?: string;
  group?: string;
  order: string;
  init?: string;
  lrs: string;
  horizon: string;
  plot?: string;
  force?: boolean;
  format: string;
}

export function symmetryCommand(write: (s: string) => void): Command {
  return addLossOptions(new Command('symmetry').description('verify a scale or translation symmetry of a loss and derive the EoM law of ‖θ_A‖² or 1·θ_A, with weight decay'))
    .option('--kind <kind>', 'scale (L(a·θ_A) = L(θ)) or translation (L(θ + a·1_A) = L(θ))')
    .option('--group <names>', 'the parameters θ_A, comma-separated (default: every parameter)')
    .option('-k, --order <K>', 'EoM_K: counter terms ξ_0 … ξ_K', '1')
    .option('--init <x=…,y=…>', 'starting point: also compare GD, GF and EoM_0 … EoM_K on the quantity')
    .option('--lrs <list>', 'learning rates of the comparison', '0.1,0.05,0.025')
    .option('--horizon <T>', 'time horizon of the comparison (steps = T/η)', '10')
    .option('--plot <file.svg>', 'with --init: write the quantity and its deviation from GD over time (largest η) as SVG')
    .option('--force', FORCE_HELP)
    .option('-f, --format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  eom symmetry --loss "logsumexp(z1, z2, z3) - z1" --kind translation --weight-decay lambda --order 6
  eom symmetry --kind scale --weight-decay 0.1 --init w1=1,w2=0.5,w3=-0.3 \\
    --loss "softplus(-(w1 + 2*w2 - w3)/sqrt(w1^2 + w2^2 + w3^2)) + softplus((-w1 + 0.5*w2 + 2*w3)/sqrt(w1^2 + w2^2 + w3^2))"

The symmetry is verified exactly on the loss without weight decay (θ_A·∇L = 0 for scale,
1_A·∇L = 0 for translation); one that does not hold is refused with the failed identity.
Scale: d‖θ‖²/dt in invariants ⟨F(τa), F(τb)⟩ of L (the group must be every parameter).
Translation: d(1·θ_A)/dt = rate · 1·θ_A; gradient descent's exact rate is log(1 − ηλ)/η.
The comparison needs a numeric weight decay (--weight-decay 0.1, or --set lambda=0.1).
Exit status: 0 done, 2 bad input or a symmetry that does not hold, 3 a trajectory diverged.`,
    )
    .action(async (opts: SymmetryOptions) => {
      const format = parseChoice('--format', opts.format, ['text', 'json'] as const);
      if (opts.loss === undefined) throw new UserError('--loss is required');
      if (opts.kind === undefined) throw new UserError('--kind is required: scale or translation');
      const kind = parseChoice('--kind', opts.kind, ['scale', 'translation'] as const);
      const K = parseInteger('--order', opts.order, 0);
      if (K > MAX_SYMMETRY_ORDER) throw new UserError(`--order must be an integer from 0 to ${MAX_SYMMETRY_ORDER}, got "${opts.order}"`);
      const lossOptions = lossOptionsFrom(opts);
      // Without --group the symmetry acts on every parameter (analyseSymmetry reads them off the loss).
      const group = opts.group?.split(',').map((s) => s.trim());
      if (group?.some((g) => g === '')) throw new UserError(`--group must be comma-separated names, got "${opts.group}"`);
      let comparison: { init: Record<string, number>; lrs: number[]; horizon: number } | undefined;
      if (opts.init !== undefined) {
        const lrs = parseLadder(opts.lrs);
        const horizon = parseNumber('--horizon', opts.horizon, positive);
        if (horizon / Math.min(...lrs) > 100_000) throw new UserError(`--horizon ${opts.horizon} with η = ${Math.min(...lrs)} needs more than 100000 steps`);
        comparison = { init: parseAssignments('--init', opts.init), lrs, horizon };
      }
      if (opts.plot !== undefined && !comparison) throw new UserError('--plot needs --init (the comparison it draws)');
      const plotTarget = opts.plot !== undefined ? checkedTarget(opts.plot, '--plot', { force: opts.force === true }) : undefined;
      const { analyseSymmetry, symmetryJson, symmetryText } = await import('../symmetry/index.js');
      const progress = new Progress({ enabled: format === 'text' });
      const analysis = analyseSymmetry({
        ...lossOptions,
        loss: opts.loss,
        symmetry: { kind, ...(group ? { group } : {}) },
        order: K,
        ...(comparison ? { comparison } : {}),
        onProgress: (f, label) => progress.update(`simulating ${label}… ${(100 * f).toFixed(0)}%`),
      });
      progress.done();
      write(format === 'json' ? JSON.stringify(symmetryJson(analysis, opts.loss), null, 2) + '\n' : symmetryText(analysis));
      if (plotTarget && analysis.comparison) {
        const { quantityPlots } = await import('../report/symmetryPlots.js');
        writeAtomically(plotTarget, quantityPlots(analysis.comparison, 0), '--plot');
        process.stderr.write(`eom: wrote ${plotTarget}\n`);
      }
    });
}
