/**
 * Everything a report shows, computed once: the loss and its counter terms ξ_0 … ξ_K as checked
 * LaTeX, a GD / GF / EoM_K simulation, and the validation of the error orders.
 *
 * @example
 *   const p = simulationProblem({ loss: '(x^2 + y^2 - 1)^2', init: { x: 1, y: 0.5 }, maxOrder: 3 });
 *   const data = reportData(p, { order: 2, lr: 0.05, steps: 40, lrs: [0.08, 0.04, 0.02], horizon: 1 });
 *   data.counterTerms.xi[0].components[0].latex // '…' (ξ_0 in x)
 */
import { CounterTermSolver } from '../derive/solver.js';
import { EXPANSION_BUDGET, expandedOrShared } from '../loss/counterTerms.js';
import type { Loss } from '../loss/loss.js';
import { PolyPrinter, namingBasis } from '../loss/print.js';
import type { Poly } from '../algebra/poly.js';
import type { TreeSeries } from '../series/treeSeries.js';
import type { IntegratorSettings } from '../simulate/integrator.js';
import type { SimulationProblem } from '../simulate/problem.js';
import type { Start } from '../simulate/starts.js';
import { simulate, type SimulationResult } from '../simulate/trajectories.js';
import { ladderWarnings, validate, type ValidationResult } from '../simulate/validate.js';

export interface ReportOptions {
  /** Highest counter term K shown and simulated (EoM_0 … EoM_K); validation needs ξ_{K+1}. */
  readonly order: number;
  /** Learning rate of the trajectory plots. */
  readonly lr: number;
  /** GD steps of the trajectory plots. */
  readonly steps: number;
  /** Learning-rate ladder of the error-versus-η plots. */
  readonly lrs: readonly number[];
  /** Horizon T of the global error. */
  readonly horizon: number;
  /** The two parameters of the trajectory plot (default: the only two; none for other counts). */
  readonly axes?: readonly [string, string];
  readonly integrator?: IntegratorSettings;
  /** Start of a multistep method's trajectories and validation (default 'manifold'); the other start is shown too. */
  readonly start?: Start;
  /** Called as work progresses: fraction of the whole report in [0, 1] and what runs now. */
  readonly onProgress?: (fraction: number, label: string) => void;
}

export interface ReportLatex {
  /** Shared subexpressions named once: [name, definition] in LaTeX. */
  readonly definitions: [string, string][];
  /** The loss in those names. */
  readonly loss: string;
  /** xi[k].components[i]: component i of ξ_k. */
  readonly xi: { k: number; components: { v: string; latex: string }[] }[];
}

export interface ReportData {
  readonly lossSource: string;
  readonly vars: readonly string[];
  readonly init: Readonly<Record<string, number>>;
  readonly weightDecay: string | undefined;
  readonly constants: Readonly<Record<string, number>>;
  readonly options: Omit<ReportOptions, 'onProgress'>;
  readonly counterTerms: ReportLatex;
  readonly simulation: SimulationResult;
  readonly validation: ValidationResult;
  /** A multistep method from its other start (rest when `start` is manifold): trajectories and validation. */
  readonly alternate?: { readonly simulation: SimulationResult; readonly validation: ValidationResult };
  /** Warnings of the trajectory run and of the ladder, each once. */
  readonly warnings: string[];
}

export function reportData(problem: SimulationProblem, options: ReportOptions): ReportData {
  const { onProgress, ...settings } = options;
  const K = options.order;
  if (options.axes && (options.axes.some((a) => !problem.vars.includes(a)) || options.axes[0] === options.axes[1])) {
    throw new RangeError(`axes must be two different parameters of ${problem.vars.join(', ')}, got ${options.axes.join(', ')}`);
  }
  if (K + 1 > problem.maxOrder) throw new RangeError(`a report of order ${K} needs counter terms up to ξ_${K + 1}; the problem has ${problem.maxOrder}`);
  onProgress?.(0, 'counter terms');
  const counterTerms = reportLatex(problem, K);
  // Shares of the work, roughly: the trajectory run, then the validation ladder.
  onProgress?.(0.1, 'trajectories');
  const multistep = problem.lags > 1;
  const runs = (start: Start, from: number, share: number) => {
    const simulation = simulate(problem, {
      lr: options.lr,
      steps: options.steps,
      orders: Array.from({ length: K + 2 }, (_, i) => i - 1),
      ...(multistep ? { start } : {}),
      ...(options.integrator ? { integrator: options.integrator } : {}),
      onProgress: (f, label) => onProgress?.(from + 0.3 * share * f, `trajectories: ${label}`),
    });
    const validation = validate(problem, {
      order: K,
      lrs: options.lrs,
      horizon: options.horizon,
      ...(multistep ? { start } : {}),
      ...(options.integrator ? { integrator: options.integrator } : {}),
      onProgress: (f, label) => onProgress?.(from + share * (0.3 + 0.6 * f), `error orders: ${label}`),
    });
    return { simulation, validation };
  };
  const start = options.start ?? 'manifold';
  const { simulation, validation } = runs(start, 0.1, multistep ? 0.45 : 1);
  const alternate = multistep ? runs(start === 'manifold' ? 'rest' : 'manifold', 0.55, 0.45) : undefined;
  const warnings = [...new Set([...simulation.warnings.map((w) => `η = ${options.lr}: ${w}`), ...ladderWarnings(problem, options.lrs)])];
  return {
    lossSource: problem.loss.source,
    vars: problem.vars,
    init: problem.initRecord,
    weightDecay: problem.loss.weightDecay,
    constants: problem.constants,
    options: settings,
    counterTerms,
    simulation,
    validation,
    ...(alternate ? { alternate } : {}),
    warnings,
  };
}

/**
 * The loss and ξ_0 … ξ_K of the problem's loss in LaTeX, shared subexpressions named once.
 *
 * @example
 *   reportLatex(simulationProblem({ loss: 'x^2 + y^2', init: { x: 1, y: 1 }, maxOrder: 1 }), 0).xi[0].components[0].latex // '2 x' (ξ_0 = ½ H g = ½·2·2x)
 */
export function reportLatex(problem: SimulationProblem, K: number): ReportLatex {
  return closedFormLatex(problem.loss, new CounterTermSolver(problem.rule).solveThrough(K));
}

/**
 * The loss and the closed forms of a counter-term series for it in LaTeX, shared subexpressions
 * named once as in every other output of the loss (by the gradient, then ξ_0 … ξ_K). With
 * `batches`, the series is over labelled trees (SGD) and each node reads its batch's loss. Closed
 * forms that would cost more than `budget` term products to expand are written, as by `eom derive
 * --loss`, as a program over named derivative entries and tree vectors (loss/sharedForms.ts).
 *
 * @example
 *   closedFormLatex(loss, new CounterTermSolver(sgdRule(2, 'shuffle')).solveThrough(0), batches).xi[0]
 */
export function closedFormLatex<C>(loss: Loss, series: readonly TreeSeries<C>[], batches?: readonly Loss[], budget = EXPANSION_BUDGET): ReportLatex {
  // Too large to expand (as `eom derive --loss` decides): the program over named derivative entries.
  const { xi, refs } = expandedOrShared(loss, series, { expansionBudget: budget }, batches);
  return namedLatex(loss, xi, refs);
}

/**
 * The loss and ξ_0 … ξ_K given as normal forms in LaTeX, shared subexpressions named once (by the
 * gradient, then ξ_0 … ξ_K), as closedFormLatex prints them.
 *
 * @example
 *   namedLatex(loss, adaptiveCounterTerms(loss.source, { order: 1, rule }).xi).xi[1].components[0].latex
 */
export function namedLatex(loss: Loss, xi: readonly (readonly Poly[])[], refs?: ReadonlyMap<number, Poly>): ReportLatex {
  const named = new PolyPrinter(loss, refs).named([loss.expr, ...xi.flat()], 'latex', namingBasis(loss, xi));
  const n = loss.vars.length;
  return {
    definitions: named.definitions,
    loss: named.bodies[0]!,
    xi: xi.map((_, k) => ({ k, components: loss.vars.map((v, i) => ({ v, latex: named.bodies[1 + k * n + i]! })) })),
  };
}
