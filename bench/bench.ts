/**
 * `npm run bench`: how fast the counter-term engine is, written to docs/benchmarks.md.
 *
 * Every figure is a median over repeated runs, each in a fresh child process (fresh tree store,
 * honest peak memory), and is also given as a ratio to a baseline measured in the same run (a
 * fixed BigInt multiply-add loop), since these machines are shared and noisy. Tests never assert
 * timings.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CounterTermSolver } from '../src/derive/solver.js';
import { gradientDescent } from '../src/derive/updateRule.js';
import { EdgeCuts } from '../src/trees/edgeCuts.js';
import { TreeStore } from '../src/trees/store.js';
import { LOSSES, deriveMs, evaluationCosts, type EvalRatios } from './lossBench.js';
import { SIM_LOSS, simulateFigures, type SimulateFigures } from './simulateBench.js';
import { METHOD_CASES, methodMs } from './methodBench.js';
import { sgdSection } from './sgdBench.js';
import { DERIVE_FORMATS, FORMAT_ORDERS, deriveFigures, formatsSection, streamSection, type StreamFigures } from './streamBench.js';
import { pytorchFigures, pytorchSection, type PytorchFigures } from './pytorchBench.js';
import { field2Figures, field2Section, jsonSection, measurePeer, measureScale, measureStartup, peerSection, startupSection, sympyAvailable, type Field2Figures, type ScaleForm } from './peerBench.js';
import {
  checkSections,
  fmtMs,
  derivationFigures,
  fieldFigures,
  measureChecks,
  rateFigures,
  reportFigures,
  zeroFigures,
  type ZeroCase,
} from './checkBench.js';

interface Sample {
  K: number;
  enumerateMs: number;
  cutsMs: number;
  totalMs: number;
  perOrderMs: number[];
  maxRssMiB: number;
}

/** One measurement, run inside a child process. */
function measure(K: number): Sample {
  const t0 = performance.now();
  const probe = new TreeStore();
  probe.ensureOrder(K + 2);
  const enumerateMs = performance.now() - t0;
  const cuts = new EdgeCuts(probe);
  const t1 = performance.now();
  for (let n = 1; n <= K + 2; n++) for (const t of probe.ofOrder(n)) cuts.of(t);
  const cutsMs = performance.now() - t1;

  // The end-to-end figure: a fresh store, so enumeration and cuts are included.
  const perOrderMs: number[] = [];
  const t2 = performance.now();
  new CounterTermSolver(gradientDescent, { store: new TreeStore() }).solveThrough(K, (p) => perOrderMs.push(p.milliseconds));
  const totalMs = performance.now() - t2;
  return { K, enumerateMs, cutsMs, totalMs, perOrderMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

/** Baseline: 2·10^6 BigInt multiply-adds on ~100-bit numbers (what the solver's inner loop does). */
function baselineMs(): number {
  const t0 = performance.now();
  let acc = 0n;
  let x = (1n << 100n) + 12345n;
  for (let i = 0; i < 2_000_000; i++) {
    acc += x * 3n;
    x = x ^ BigInt(i & 1023);
  }
  if (acc === 42n) console.log('unreachable');
  return performance.now() - t0;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function runChild(args: string[]): unknown {
  const self = fileURLToPath(import.meta.url);
  return JSON.parse(execFileSync(process.execPath, [self, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

function main(): void {
  const [mode, arg] = process.argv.slice(2);
  if (mode === '--derive-order') return void deriveFigures(Number(arg), process.argv[4] ?? 'json').then((f) => process.stdout.write(JSON.stringify(f)));
  if (mode === '--child') return void process.stdout.write(JSON.stringify(measure(Number(arg))));
  if (mode === '--baseline') return void process.stdout.write(JSON.stringify(baselineMs()));
  if (mode === '--derive-loss') return void process.stdout.write(JSON.stringify(deriveMs(arg!)));
  if (mode === '--eval-loss') return void process.stdout.write(JSON.stringify(evaluationCosts(arg!)));
  if (mode === '--simulate') return void process.stdout.write(JSON.stringify(simulateFigures()));
  if (mode === '--zero') return void process.stdout.write(JSON.stringify(zeroFigures(arg as ZeroCase)));
  if (mode === '--derivation') return void process.stdout.write(JSON.stringify(derivationFigures(arg!)));
  if (mode === '--rates') return void process.stdout.write(JSON.stringify(rateFigures(Number(arg))));
  if (mode === '--report') return void process.stdout.write(JSON.stringify(reportFigures()));
  if (mode === '--field') return void process.stdout.write(JSON.stringify(fieldFigures()));
  if (mode === '--method') return void process.stdout.write(JSON.stringify(methodMs(arg!)));
  if (mode === '--pytorch') return void process.stdout.write(JSON.stringify(pytorchFigures()));
  if (mode === '--pytorch-section') return void process.stdout.write(pytorchSection(pytorchFigures()).join('\n'));
  if (mode === '--field2') return void process.stdout.write(JSON.stringify(field2Figures()));
  if (mode === '--only') {
    // A subset of the measurements, printed to stdout only (docs/benchmarks.md is left as it is).
    const names = (arg ?? '').split(',').filter(Boolean);
    const unknown = names.filter((n) => !GROUPS.has(n));
    if (!names.length || unknown.length) throw new Error(`--only takes a comma-separated list of ${[...GROUPS.keys()].join(', ')}; got "${arg ?? ''}"`);
    // The baseline of this run, so the figures compare across machines and load.
    const base = [0, 1, 2].map(() => runChild(['--baseline']) as number).sort((a, b) => a - b)[1]!;
    const lines = [`Baseline (2·10⁶ BigInt multiply-adds, median of 3 in this run): ${base.toFixed(1)} ms`, '', ...names.flatMap((n) => GROUPS.get(n)!(progress))];
    process.stderr.write('\n');
    return void process.stdout.write(lines.join('\n'));
  }

  const plan: [K: number, runs: number][] = [
    [4, 5],
    [6, 5],
    [8, 5],
    [10, 5],
    [12, 3],
  ];
  const baselines: number[] = [];
  const rows: { K: number; samples: Sample[] }[] = [];
  for (const [K, runs] of plan) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      baselines.push(runChild(['--baseline']) as number);
      samples.push(runChild(['--child', String(K)]) as Sample);
      process.stderr.write(`\rbench: ξ_0..ξ_${K} run ${i + 1}/${runs}   `);
    }
    rows.push({ K, samples });
  }
  /** Three timed runs of `mode name` per case, each beside a baseline run, in fresh processes. */
  const timedRows = (mode: string, names: readonly string[]) =>
    names.map((name) => {
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        baselines.push(runChild(['--baseline']) as number);
        ms.push(runChild([mode, name]) as number);
        process.stderr.write(`\rbench: ${mode.slice(2)} ${name} run ${i + 1}/3        `);
      }
      return { name, ms };
    });
  const lossRows = timedRows('--derive-loss', Object.keys(LOSSES));
  const methodRows = timedRows('--method', Object.keys(METHOD_CASES));
  const evalRows: { name: string; r: EvalRatios[] }[] = [];
  for (const name of ['poly2', 'logistic2', 'pairs10']) {
    const r: EvalRatios[] = [];
    for (let i = 0; i < 3; i++) r.push(runChild(['--eval-loss', name]) as EvalRatios);
    process.stderr.write(`\rbench: compiled ${name}            `);
    evalRows.push({ name, r });
  }
  const sims: SimulateFigures[] = [];
  for (let i = 0; i < 5; i++) {
    baselines.push(runChild(['--baseline']) as number);
    sims.push(runChild(['--simulate']) as SimulateFigures);
    process.stderr.write(`\rbench: simulate run ${i + 1}/5          `);
  }
  const checks = measureChecks(
    runChild,
    () => baselines.push(runChild(['--baseline']) as number),
    (s) => process.stderr.write(`\rbench: ${s}                    `),
  );
  process.stderr.write('\rbench: eom derive --order 14 --format json   ');
  const order14 = runChild(['--derive-order', '14']) as StreamFigures;
  process.stderr.write('\rbench: PyTorch export                    ');
  const torchFigures = runChild(['--pytorch']) as PytorchFigures;
  process.stderr.write('\n');
  const base = median(baselines);
  const trees = (K: number) => new TreeStore().ofOrder(K + 2).length;

  const lines: string[] = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.`,
    'Each figure is the median over fresh child processes. The baseline is 2·10⁶ BigInt multiply-adds',
    `measured in the same run (median ${base.toFixed(1)} ms); "× baseline" divides by it, so it is comparable across machines and load.`,
    '',
    '## Counter terms of gradient descent, ξ_0 … ξ_K (end to end: enumerate trees, cut edges, solve)',
    '',
    '| K | trees with K+2 nodes | wall time (median) | × baseline | peak RSS | µs per tree of the last order |',
    '|---|---|---|---|---|---|',
  ];
  for (const { K, samples } of rows) {
    const total = median(samples.map((s) => s.totalMs));
    const last = median(samples.map((s) => s.perOrderMs[K]!));
    lines.push(
      `| ${K} | ${trees(K)} | ${fmtMs(total)} | ${(total / base).toFixed(2)} | ${median(samples.map((s) => s.maxRssMiB)).toFixed(0)} MiB | ${((last * 1000) / trees(K)).toFixed(1)} |`,
    );
  }
  const big = rows[rows.length - 1]!;
  lines.push(
    '',
    `## Time per order (K = ${big.K}, median of ${big.samples.length})`,
    '',
    '| k | trees with k+2 nodes | ms for this order | µs per tree |',
    '|---|---|---|---|',
  );
  for (let k = 0; k <= big.K; k++) {
    const ms = median(big.samples.map((s) => s.perOrderMs[k]!));
    lines.push(`| ${k} | ${trees(k)} | ${ms.toFixed(1)} | ${((ms * 1000) / trees(k)).toFixed(1)} |`);
  }
  const en = median(big.samples.map((s) => s.enumerateMs));
  const cu = median(big.samples.map((s) => s.cutsMs));
  const tot = median(big.samples.map((s) => s.totalMs));
  lines.push(
    '',
    `## Where the time goes (K = ${big.K})`,
    '',
    `- enumerating the ${trees(big.K)} trees with ${big.K + 2} nodes (and all smaller ones): ${fmtMs(en)} (${pct(en, tot)} of the total)`,
    `- single-edge cuts of every tree (canonical trunk lookups): ${fmtMs(cu)} (${pct(cu, tot)})`,
    `- the solve itself — for each tree ρ with N nodes and each m ≤ N, the sum over cuts of P_{m−1}(trunk)·F̂(branch) in BigInt: ${fmtMs(Math.max(0, tot - en - cu))} (${pct(Math.max(0, tot - en - cu), tot)})`,
    '',
    'The solve is Θ(N² · T(N)) ring operations at order N (T(N) trees, ≤ N − 1 cuts each, N values of m), so each',
    'further order costs ≈ 2.7× the previous one (T(N+1)/T(N) → 2.955). The arithmetic needs no gcd in the inner loop:',
    'every slice of values shares one denominator, reduced once per slice.',
    '',
  );
  const gdRef = median(methodRows.find((r) => r.name === 'gd-10')!.ms);
  lines.push(
    '## Optimisers as data: momentum with β exact and with β symbolic (end to end, fresh tree store)',
    '',
    '| case | method | ξ_0 … ξ_K | wall time (median of 3) | × baseline | ÷ GD at K = 10 |',
    '|---|---|---|---|---|---|',
  );
  for (const { name, ms } of methodRows) {
    const m = median(ms);
    const c = METHOD_CASES[name]!;
    lines.push(`| ${name} | ${c.note} | K = ${c.K} | ${fmtMs(m)} | ${(m / base).toFixed(2)} | ${(m / gdRef).toFixed(2)} |`);
  }
  lines.push(
    '',
    'With β exact the solver runs the same integer arithmetic as for gradient descent (heavy ball reads no',
    'past iterate inside a gradient, so it costs what GD costs; Nesterov adds the stage products). With β',
    'symbolic the coefficients are rational functions in Q(β): numerators in Z[β] over one denominator',
    'per slice, with a primitive-remainder gcd per slice.',
    '',
  );
  lines.push(
    '## Counter terms of a loss (`lossCounterTerms`: parse, solve, build exact closed forms)',
    '',
    '| loss | what | wall time (median of 3) | × baseline |',
    '|---|---|---|---|',
  );
  for (const { name, ms } of lossRows) {
    const m = median(ms);
    lines.push(`| ${name} | ${LOSSES[name]!.note} | ${fmtMs(m)} | ${(m / base).toFixed(2)} |`);
  }
  lines.push(
    '',
    '## Compiled functions (per call, median of 3 runs in fresh processes)',
    '',
    '| loss | compiled g | compiled ξ_0 (tree-shaped) | ξ_0 / g | ξ_0 from its expanded closed form | mathjs `evaluate` of ξ_0 | mathjs / compiled ξ_0 |',
    '|---|---|---|---|---|---|---|',
  );
  for (const { name, r } of evalRows) {
    const g = median(r.map((x) => x.gradientNs));
    const x0 = median(r.map((x) => x.xi0Ns));
    const mj = median(r.map((x) => x.mathjsXi0Ns));
    const ratio = median(r.map((x) => x.xi0Ns / x.gradientNs));
    const speedup = median(r.map((x) => x.mathjsXi0Ns / x.xi0Ns));
    const closed = median(r.map((x) => x.closedXi0Ns));
    lines.push(
      `| ${name} | ${g.toFixed(0)} ns | ${x0.toFixed(0)} ns | ${ratio.toFixed(2)} | ${closed.toFixed(0)} ns | ${(mj / 1000).toFixed(1)} µs | ${speedup.toFixed(0)}× |`,
    );
  }
  lines.push(
    '',
    'Ratios are taken within one process, so machine load largely cancels. The tree-shaped ξ_0 computes',
    '½·H·g from the compiled gradient and Hessian entries (compile/structured.ts); the closed-form column',
    'compiles the expanded polynomial instead. mathjs evaluates the same exact ξ_0 strings that',
    '`--format json` prints, compiled once by `math.compile`.',
    '',
  );
  const gdMs = median(sims.map((x) => x.gdMs));
  const eomMs = median(sims.map((x) => x.eomMs));
  lines.push(
    '## Simulator: EoM_3 over 1000 GD steps (η = 0.01, relative tolerance 1e-12, ODEX)',
    '',
    `Loss \`${SIM_LOSS}\`, θ0 = (0.8, 0.4); median of ${sims.length} fresh processes (compilation excluded).`,
    '',
    '| figure | value |',
    '|---|---|',
    `| EoM_3 wall time, 1000 steps | ${fmtMs(eomMs)} (${(eomMs / base).toFixed(2)} × baseline) |`,
    `| GD wall time, 1000 steps | ${gdMs.toFixed(2)} ms (${((1000 / gdMs) * 1000).toExponential(2)} GD steps/s) |`,
    `| EoM right-hand-side evaluations per GD step | ${median(sims.map((x) => x.evaluationsPerStep)).toFixed(1)} |`,
    `| EoM time / GD time | ${median(sims.map((x) => x.eomMs / x.gdMs)).toFixed(0)} |`,
    '',
    'The EoM_3 time includes the second, looser run behind the integrator\'s error estimate. The',
    'integrator restarts on every GD interval so each reported point carries its full accuracy; the',
    'EoM field is the tree-shaped compiled function (g, Hessian entries and contractions shared).',
    '',
  );
  lines.push(...GROUPS.get('formats')!(progress));
  lines.push(...streamSection(order14));
  lines.push(...checkSections(checks, base));
  lines.push(...sgdSection());
  lines.push(...pytorchSection(torchFigures));
  lines.push(...peerGroup(progress));
  writeFileSync(new URL('../../docs/benchmarks.md', import.meta.url), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

const progress = (s: string) => process.stderr.write(`\rbench: ${s}                    `);

/** bench/peerBench.ts: the SymPy peer, the scale-invariant JSON and its EoM_2 field, each a group. */
const peerGroups = {
  peer: (say: (s: string) => void) => peerSection(sympyAvailable() ? measurePeer(3, say) : undefined),
  json: (say: (s: string) => void) => {
    const forms: ScaleForm[] = ['json', 'text', 'latex', ...(process.env.EOM_BENCH_INLINE === '1' ? (['inline'] as const) : [])];
    return jsonSection(forms.map((form) => (say(`scale-invariant closed form: ${form}`), { form, figures: measureScale(form) })));
  },
  startup: (say: (s: string) => void) => startupSection(measureStartup(7, say)),
  field2: (say: (s: string) => void) => field2Section([1, 2, 3].map((i) => (say(`EoM_2 field run ${i}/3`), runChild(['--field2']) as Field2Figures))),
};

function peerGroup(say: (s: string) => void): string[] {
  return [...peerGroups.startup(say), ...peerGroups.peer(say), ...peerGroups.json(say), ...peerGroups.field2(say)];
}

/** Measurement groups that `--only a,b` can run on their own. */
const GROUPS = new Map<string, (say: (s: string) => void) => string[]>([
  ...Object.entries(peerGroups),
  // bench/streamBench.ts: one fresh run of the largest routine order.
  ['order14', (say) => (say('eom derive --order 14 --format json'), streamSection(runChild(['--derive-order', '14']) as StreamFigures))],
  ['formats', (say) => formatsSection(measureFormats(say))],
]);

/** `eom derive --order K --format F` for the orders and formats of streamBench.ts, fresh processes, alternating formats. */
function measureFormats(say: (s: string) => void): StreamFigures[] {
  return FORMAT_ORDERS.flatMap(({ K, runs }) =>
    Array.from({ length: runs }, (_, i) =>
      DERIVE_FORMATS.map((format) => (say(`eom derive --order ${K} --format ${format} run ${i + 1}/${runs}`), runChild(['--derive-order', String(K), format]) as StreamFigures)),
    ).flat(),
  );
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(0)} %`;
}

main();
