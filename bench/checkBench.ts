/**
 * Measurements of the checking side for `npm run bench`: the exact zero test, the shipped
 * derivation files claim by claim, the symmetry closed forms, the HTML report, and the compiled
 * EoM_1 field of the scale-invariant loss. Each function runs inside one fresh child process.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { loadDerivations } from '../src/check/load.js';
import { runDerivation } from '../src/check/run.js';
import { solveCounterTerms } from '../src/derive/solver.js';
import { scaleNormRate, translationRate } from '../src/derive/symmetryRates.js';
import { Loss } from '../src/loss/loss.js';
import { symmetryGenerator, type Symmetry } from '../src/loss/symmetry.js';
import { zeroTest } from '../src/algebra/zero.js';
import { REPORT_EXAMPLES } from '../src/report/examples.js';
import { reportHtml } from '../src/report/html.js';
import { reportData } from '../src/report/reportData.js';
import { simulationProblem } from '../src/simulate/problem.js';

const SCALE_FILE = new URL('../../derivations/scale-weight-decay.json', import.meta.url);
export const DERIVATIONS_DIR = new URL('../../derivations/', import.meta.url);

/** The scale-invariant loss of derivations/scale-weight-decay.json and its parameters. */
export function scaleLoss(): { loss: string; vars: string[] } {
  const { inputs } = JSON.parse(readFileSync(SCALE_FILE, 'utf8')) as { inputs: { loss: string; vars: string[] } };
  return { loss: inputs.loss, vars: inputs.vars };
}

export const ZERO_CASES = {
  scale: { note: 'θ·∇L = 0, scale-invariant loss of scale-weight-decay.json' },
  logsumexp: { note: 'Σ_k ∂L/∂z_k = 0, L = logsumexp(z1, z2, z3) − z1' },
} as const;
export type ZeroCase = keyof typeof ZERO_CASES;

export interface ZeroFigures {
  /** Terms of the generator X·∇L handed to zeroTest. */
  terms: number;
  /** Building the generator (parse + differentiate). */
  generatorMs: number;
  /** The first proof in the process (builds the rewriter's caches). */
  coldMs: number;
  /** Median of further proofs of the same (fresh-parsed) identity. */
  warmMs: number;
}

/** Time to prove one symmetry identity exactly with zeroTest. */
export function zeroFigures(name: ZeroCase): ZeroFigures {
  const spec =
    name === 'scale'
      ? { ...scaleLoss(), kind: 'scale' as const }
      : { loss: 'logsumexp(z1, z2, z3) - z1', vars: ['z1', 'z2', 'z3'], kind: 'translation' as const };
  const t0 = performance.now();
  const loss = Loss.parse(spec.loss, { vars: spec.vars });
  const symmetry: Symmetry = { kind: spec.kind, group: spec.vars };
  const generator = symmetryGenerator(loss, symmetry);
  const generatorMs = performance.now() - t0;
  const prove = () => {
    const t = performance.now();
    if (!zeroTest(generator).zero) throw new Error(`bench: ${name}: the identity was not proved`);
    return performance.now() - t;
  };
  const coldMs = prove();
  const warm = Array.from({ length: 5 }, prove);
  return { terms: generator.size, generatorMs, coldMs, warmMs: median(warm) };
}

export interface DerivationFigures {
  name: string;
  passed: boolean;
  totalMs: number;
  /** Claim names (including "symmetry" and "setup": reading the file, parsing the loss) with their time. */
  claims: { name: string; ms: number }[];
}

/** One run of one shipped derivation file, timed claim by claim through `onClaim`. */
export function derivationFigures(file: string): DerivationFigures {
  const t0 = performance.now();
  const [d] = loadDerivations([new URL(file, DERIVATIONS_DIR).pathname]);
  const claims: { name: string; ms: number }[] = [];
  let current = 'setup';
  let since = t0;
  const r = runDerivation(d!, {
    onClaim: (_d, claim) => {
      const now = performance.now();
      claims.push({ name: current, ms: now - since });
      current = claim.name;
      since = now;
    },
  });
  const end = performance.now();
  claims.push({ name: current, ms: end - since });
  return { name: d!.name, passed: r.passed, totalMs: end - t0, claims };
}

export interface RateFigures {
  K: number;
  solveMs: number;
  scaleMs: number;
  translationMs: number;
  /** Σ over the trees of ξ_0..ξ_K of 2^(nodes with ≤ 1 child): the λ-markings scaleNormRate contracts. */
  markings: number;
  scaleTerms: number;
}

/** scaleNormRate and translationRate of GD's ξ_0..ξ_K (the series solved first, timed apart). */
export function rateFigures(K: number): RateFigures {
  let t = performance.now();
  const xi = solveCounterTerms(K);
  const solveMs = performance.now() - t;
  t = performance.now();
  const rate = scaleNormRate(xi, K);
  const scaleMs = performance.now() - t;
  t = performance.now();
  translationRate(xi, K);
  const translationMs = performance.now() - t;
  let markings = 0;
  for (const s of xi) {
    for (const { tree } of s.terms()) {
      const lowDegree = (id: number): number => {
        const node = s.store.get(id);
        return (node.children.length <= 1 ? 1 : 0) + node.children.reduce((a, c) => a + lowDegree(c), 0);
      };
      markings += 2 ** lowDegree(tree.id);
    }
  }
  return { K, solveMs, scaleMs, translationMs, markings, scaleTerms: rate.terms.length };
}

export interface ReportFigures {
  /** simulationProblem: parse, solve ξ_0..ξ_{K+1}, compile. */
  problemMs: number;
  /** reportLatex: exact closed forms of ξ_0..ξ_K as LaTeX. */
  counterTermsMs: number;
  /** GD, GF and EoM_0..EoM_K trajectories. */
  trajectoriesMs: number;
  /** The error-order ladder. */
  errorOrdersMs: number;
  /** reportHtml: KaTeX, SVG plots, embedded fonts. */
  renderMs: number;
  totalMs: number;
  kB: number;
}

/** `eom report --example quartic` without the CLI and the file write, phase by phase. */
export function reportFigures(): ReportFigures {
  const ex = REPORT_EXAMPLES.find((e) => e.name === 'quartic')!;
  const init = Object.fromEntries(ex.init.split(',').map((kv) => [kv.split('=')[0]!, Number(kv.split('=')[1])]));
  const t0 = performance.now();
  const problem = simulationProblem({ loss: ex.loss, init, maxOrder: ex.order + 1 });
  const tProblem = performance.now();
  const marks = new Map<string, number>();
  const data = reportData(problem, {
    order: ex.order,
    lr: ex.lr,
    steps: ex.steps,
    lrs: ex.lrs,
    horizon: ex.steps * ex.lr,
    integrator: { relativeTolerance: 1e-13 }, // the CLI's default --tolerance
    onProgress: (_f, label) => {
      const phase = label.split(':')[0]!;
      if (!marks.has(phase)) marks.set(phase, performance.now());
    },
  });
  const tData = performance.now();
  const html = reportHtml(data, { title: `EoM report: ${ex.summary}`, description: ex.description, generator: 'eomkit bench' });
  const tHtml = performance.now();
  const at = (phase: string) => marks.get(phase) ?? tProblem;
  return {
    problemMs: tProblem - t0,
    counterTermsMs: at('trajectories') - at('counter terms'),
    trajectoriesMs: at('error orders') - at('trajectories'),
    errorOrdersMs: tData - at('error orders'),
    renderMs: tHtml - tData,
    totalMs: tHtml - t0,
    kB: Buffer.byteLength(html) / 1024,
  };
}

export interface FieldFigures {
  gradientNs: number;
  xi0Ns: number;
  xi1Ns: number;
  field0Ns: number;
  field1Ns: number;
  /** Characters of the generated source (Function.prototype.toString). */
  gradientChars: number;
  field1Chars: number;
  /** simulationProblem: parse, solve ξ_0..ξ_1, generate and compile g, ξ_0, ξ_1 and the EoM_1 field. */
  problemMs: number;
}

/** Per-call cost of the compiled EoM_0/EoM_1 fields of the scale-invariant loss with λ = 0.1. */
export function fieldFigures(): FieldFigures {
  const { loss, vars } = scaleLoss();
  let t = performance.now();
  const problem = simulationProblem({ loss, vars, weightDecay: '0.1', init: { w1: 1, w2: 0.5, w3: -0.3 }, maxOrder: 1 });
  const problemMs = performance.now() - t;
  const c = problem.compiled;
  const field1 = c.fieldOfOrder(1);
  const field0 = c.fieldOfOrder(0);
  const th = Float64Array.from(problem.init);
  const out = new Float64Array(3);
  // Warm-up: a large generated function is split into inner functions (compile/codegen.ts), which
  // V8 optimises only after a few thousand calls; a simulation makes that many calls within steps.
  const time = (reps: number, f: (i: number) => void, warm = Math.min(reps, 5_000)) => {
    for (let i = 0; i < warm; i++) f(i); // warm up (JIT)
    t = performance.now();
    for (let i = 0; i < reps; i++) f(i);
    return ((performance.now() - t) * 1e6) / reps;
  };
  const at = (i: number) => (th[0] = 1 + i * 1e-9);
  return {
    gradientNs: time(200_000, (i) => (at(i), c.gradient(th, out))),
    xi0Ns: time(20_000, (i) => (at(i), c.xi[0]!(th, out))),
    xi1Ns: time(2_000, (i) => (at(i), c.xi[1]!(th, out)), 10_000),
    field0Ns: time(20_000, (i) => (at(i), field0(th, 0.1, out))),
    field1Ns: time(2_000, (i) => (at(i), field1(th, 0.1, out)), 10_000),
    gradientChars: c.gradient.toString().length,
    field1Chars: field1.toString().length,
    problemMs,
  };
}

/** "1.20 s" from 1000 ms up, else "267 ms". */
export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Everything the parent collects for these sections. */
export interface CheckMeasurements {
  zero: { name: ZeroCase; runs: ZeroFigures[] }[];
  derivations: { file: string; runs: DerivationFigures[] }[];
  rates: { K: number; runs: RateFigures[] }[];
  report: ReportFigures[];
  field: FieldFigures[];
}

/** Runs of each derivation file; the scale one takes ~20 s, so it runs once. */
const derivationRuns = (file: string) => (file === 'scale-weight-decay.json' ? 1 : 3);

/**
 * Runs every measurement of these sections in fresh child processes (`child(args)` parses the
 * child's JSON); `baseline()` records one baseline run between measurements.
 */
export function measureChecks(child: (args: string[]) => unknown, baseline: () => void, progress: (s: string) => void): CheckMeasurements {
  const runs = <T>(n: number, args: string[], label: string): T[] =>
    Array.from({ length: n }, (_, i) => {
      baseline();
      progress(`${label} run ${i + 1}/${n}`);
      return child(args) as T;
    });
  const files = readdirSync(DERIVATIONS_DIR).filter((f) => f.endsWith('.json')).sort();
  return {
    zero: (Object.keys(ZERO_CASES) as ZeroCase[]).map((name) => ({ name, runs: runs<ZeroFigures>(3, ['--zero', name], `zero test ${name}`) })),
    derivations: files.map((file) => ({ file, runs: runs<DerivationFigures>(derivationRuns(file), ['--derivation', file], `derivation ${file}`) })),
    rates: [2, 3, 4, 5, 6].map((K) => ({ K, runs: runs<RateFigures>(3, ['--rates', String(K)], `symmetry rates K=${K}`) })),
    report: runs<ReportFigures>(3, ['--report'], 'report quartic'),
    field: runs<FieldFigures>(3, ['--field'], 'EoM_1 field'),
  };
}

/** The Markdown sections for docs/benchmarks.md; `base` is the baseline median in ms. */
export function checkSections(m: CheckMeasurements, base: number): string[] {
  const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
  const xb = (x: number) => (x / base).toFixed(2);
  const med = <T>(runs: readonly T[], f: (r: T) => number) => median(runs.map(f));
  const lines: string[] = [
    '## Exact zero test (`zeroTest`): proving a symmetry identity',
    '',
    '| identity | generator terms | build the generator | first proof in a process | later proofs | first proof × baseline |',
    '|---|---|---|---|---|---|',
  ];
  for (const { name, runs } of m.zero) {
    const cold = med(runs, (r) => r.coldMs);
    lines.push(
      `| ${ZERO_CASES[name].note} | ${runs[0]!.terms} | ${ms(med(runs, (r) => r.generatorMs))} | ${ms(cold)} | ${ms(med(runs, (r) => r.warmMs))} | ${xb(cold)} |`,
    );
  }
  lines.push(
    '',
    'Median of 3 fresh processes. The first proof builds the rewriter\'s caches (rewritten atoms); later',
    'proofs of the same polynomial reuse them.',
    '',
    '## Derivation files (`runDerivation`, one file per fresh process)',
    '',
    '| file | claims | wall time | × baseline | runs | slowest claim (share of the file) |',
    '|---|---|---|---|---|---|',
  );
  for (const { file, runs } of m.derivations) {
    const total = med(runs, (r) => r.totalMs);
    const names = runs[0]!.claims.map((c) => c.name);
    const per = names.map((name, i) => ({ name, ms: med(runs, (r) => r.claims[i]?.ms ?? 0) }));
    const top = per.reduce((a, b) => (b.ms > a.ms ? b : a));
    const failed = runs.some((r) => !r.passed) ? ' (FAILED)' : '';
    lines.push(
      `| ${file}${failed} | ${names.filter((n) => n !== 'setup').length} | ${ms(total)} | ${xb(total)} | ${runs.length} | ${shorten(top.name)}: ${ms(top.ms)} (${((100 * top.ms) / total).toFixed(0)} %) |`,
    );
  }
  const scale = m.derivations.find((d) => d.file === 'scale-weight-decay.json');
  if (scale) {
    const r = scale.runs[0]!;
    lines.push('', `scale-weight-decay.json claim by claim (${scale.runs.length === 1 ? 'one run: it is the slow one' : `median of ${scale.runs.length}`}):`, '');
    lines.push('| claim | time | share |', '|---|---|---|');
    for (let i = 0; i < r.claims.length; i++) {
      const t = med(scale.runs, (x) => x.claims[i]?.ms ?? 0);
      lines.push(`| ${shorten(r.claims[i]!.name)} | ${ms(t)} | ${((100 * t) / med(scale.runs, (x) => x.totalMs)).toFixed(0)} % |`);
    }
  }
  lines.push(
    '',
    '"setup" is reading the file, parsing the loss with its weight decay and building the semantics;',
    '"symmetry" is the exact proof of the declared symmetry (the zero test above).',
    '',
    '## Symmetry closed forms of GD\'s EoM_K (`scaleNormRate`, `translationRate`)',
    '',
    '| K | λ-markings Σ 2^(nodes with ≤ 1 child) | solve ξ_0..ξ_K | scaleNormRate | × baseline | µs per marking | terms | translationRate |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const { K, runs } of m.rates) {
    const sc = med(runs, (r) => r.scaleMs);
    const mk = runs[0]!.markings;
    lines.push(
      `| ${K} | ${mk} | ${ms(med(runs, (r) => r.solveMs))} | ${ms(sc)} | ${xb(sc)} | ${((1000 * sc) / mk).toFixed(1)} | ${runs[0]!.scaleTerms} | ${(1000 * med(runs, (r) => r.translationMs)).toFixed(0)} µs |`,
    );
  }
  lines.push(
    '',
    'Median of 3 fresh processes. scaleNormRate contracts θ into every λ-marking of every tree, so its',
    'cost follows the marking count (exponential in the nodes with at most one child); translationRate',
    'reads one coefficient per order.',
    '',
  );
  const rp = m.report;
  const rTotal = med(rp, (r) => r.totalMs);
  const simulation = med(rp, (r) => r.trajectoriesMs + r.errorOrdersMs);
  const rows: [string, number][] = [
    ['problem: parse, solve ξ_0..ξ_3, compile', med(rp, (r) => r.problemMs)],
    ['counter terms as LaTeX (exact closed forms)', med(rp, (r) => r.counterTermsMs)],
    ['simulation: trajectories (GD, GF, EoM_0..EoM_2)', med(rp, (r) => r.trajectoriesMs)],
    ['simulation: error-order ladder', med(rp, (r) => r.errorOrdersMs)],
    ['rendering: `reportHtml` (KaTeX, SVG, fonts)', med(rp, (r) => r.renderMs)],
  ];
  lines.push(
    '## HTML report (`reportData` + `reportHtml`, `--example quartic`)',
    '',
    `Median of ${rp.length} fresh processes; the file is ${med(rp, (r) => r.kB).toFixed(0)} kB. Total ${ms(rTotal)} (${xb(rTotal)} × baseline), of which`,
    `simulation ${((100 * simulation) / rTotal).toFixed(0)} % and rendering ${((100 * med(rp, (r) => r.renderMs)) / rTotal).toFixed(0)} %.`,
    '',
    '| phase | time | share |',
    '|---|---|---|',
    ...rows.map(([name, t]) => `| ${name} | ${ms(t)} | ${((100 * t) / rTotal).toFixed(0)} % |`),
    '',
  );
  const f = m.field;
  const g = med(f, (r) => r.gradientNs);
  const us = (ns: number) => (ns >= 1e5 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`);
  lines.push(
    '## Compiled EoM_1 field of the scale-invariant loss (λ = 0.1, θ = (1, 0.5, −0.3))',
    '',
    '| function | per call (median of 3 processes) | / gradient | generated source |',
    '|---|---|---|---|',
    `| gradient g | ${us(g)} | 1 | ${(med(f, (r) => r.gradientChars) / 1024).toFixed(0)} kB |`,
    `| ξ_0 | ${us(med(f, (r) => r.xi0Ns))} | ${(med(f, (r) => r.xi0Ns) / g).toFixed(0)} | |`,
    `| ξ_1 | ${us(med(f, (r) => r.xi1Ns))} | ${(med(f, (r) => r.xi1Ns) / g).toFixed(0)} | |`,
    `| EoM_0 field | ${us(med(f, (r) => r.field0Ns))} | ${(med(f, (r) => r.field0Ns) / g).toFixed(0)} | |`,
    `| EoM_1 field | ${us(med(f, (r) => r.field1Ns))} | ${(med(f, (r) => r.field1Ns) / g).toFixed(0)} | ${(med(f, (r) => r.field1Chars) / 1024).toFixed(0)} kB |`,
    '',
    `Building the problem (parse, solve ξ_0..ξ_1, generate and compile every function above) takes ${ms(med(f, (r) => r.problemMs))}.`,
    'Per-call figures are taken within one process after a warm-up (10 000 calls for ξ_1 and the EoM_1',
    'field: their long sums are split into inner functions that V8 optimises only after a few thousand',
    'calls; before that a call costs about 2 ms). "Generated source" is the length of the compiled',
    'function\'s JavaScript.',
    '',
  );
  return lines;
}

function shorten(name: string): string {
  const s = name.replace(/\|/g, '\\|');
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
