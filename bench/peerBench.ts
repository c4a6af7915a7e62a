/**
 * Peer and size measurements for `npm run bench`:
 *
 * - the SymPy peer (bench/sympy_peer.py: the published formulas of docs/counter-terms.md,
 *   differentiated, contracted and expanded by SymPy, as a careful user would) against
 *   `eom derive --loss` on the same 2-variable polynomial, both as fresh processes;
 * - `eom derive --loss … --format json` of the scale-invariant loss with weight decay: time and size;
 * - the compiled EoM_2 field of that loss: generated source, first call, warm call against g.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTreeCounterTerms } from '../src/compile/structured.js';
import { solveCounterTerms } from '../src/derive/solver.js';
import { Loss } from '../src/loss/loss.js';
import { fmtMs, median, scaleLoss } from './checkBench.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = `${ROOT}dist/cli/eom.cjs`;
const MODULE_ENTRY = `${ROOT}dist/cli/main.js`;
const PEER = `${ROOT}bench/sympy_peer.py`;
const PYTHON = '/usr/bin/python3';

export const PEER_LOSS = '(x^2 + y^2 - 1)^2 + 0.5*x*y^3';
export const PEER_ORDERS = [2, 4] as const;

/**
 * Wall time of one fresh process, in ms, its CPU time (user + system, from /usr/bin/time when
 * present: robust on a loaded machine) and its stdout length in bytes.
 */
function timed(cmd: string, args: string[], timeoutMs = 0): { ms: number; cpuMs: number; bytes: number } {
  const timeFile = join(tmpdir(), `eom-bench-time-${process.pid}`);
  const withTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const out = withTime
    ? execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: timeoutMs, killSignal: 'SIGKILL' })
    : execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: timeoutMs, killSignal: 'SIGKILL' });
  const ms = performance.now() - t0;
  const [user, sys] = withTime ? readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number) : [NaN, NaN];
  return { ms, cpuMs: (user! + sys!) * 1000, bytes: Buffer.byteLength(out) };
}

/** Is SymPy importable by /usr/bin/python3? */
export function sympyAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import sympy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface PeerRow {
  K: number;
  eomMs: number[];
  sympyMs: number[];
  eomCpuMs: number[];
  sympyCpuMs: number[];
}

/** Fresh `eom derive --loss` and fresh SymPy script, alternating, `runs` times each. */
export function measurePeer(runs: number, progress: (s: string) => void): PeerRow[] {
  return PEER_ORDERS.map((K) => {
    const row: PeerRow = { K, eomMs: [], sympyMs: [], eomCpuMs: [], sympyCpuMs: [] };
    for (let i = 0; i < runs; i++) {
      progress(`peer K=${K} run ${i + 1}/${runs}`);
      const e = timed(process.execPath, [CLI, 'derive', '--loss', PEER_LOSS, '--order', String(K)]);
      const s = timed(PYTHON, [PEER, String(K), PEER_LOSS]);
      row.eomMs.push(e.ms);
      row.eomCpuMs.push(e.cpuMs);
      row.sympyMs.push(s.ms);
      row.sympyCpuMs.push(s.cpuMs);
    }
    return row;
  });
}

/** Longest one output of the large closed form may run before it is recorded as unfinished. */
export const SCALE_JSON_BUDGET_MS = 180_000;

export type ScaleForm = 'json' | 'inline' | 'text' | 'latex';

/**
 * `eom derive --loss <scale loss> --weight-decay lambda --order 2` in one form (JSON with `where`,
 * JSON `--inline`, text, LaTeX), or undefined when it takes longer than the budget.
 */
export function measureScale(form: ScaleForm): { ms: number; cpuMs: number; bytes: number } | undefined {
  const { loss, vars } = scaleLoss();
  const format = form === 'inline' ? 'json' : form;
  const args = [CLI, 'derive', '--loss', loss, '--vars', vars.join(','), '--weight-decay', 'lambda', '--order', '2', '--format', format];
  try {
    return timed(process.execPath, form === 'inline' ? [...args, '--inline'] : args, SCALE_JSON_BUDGET_MS);
  } catch {
    return undefined;
  }
}

/** One start-up row: a command line and what it runs. */
interface StartupRun {
  label: string;
  args: string[];
}

/**
 * `--loss` and the abstract derive through the npm bin (bundle and code cache) and through the
 * unbundled ES module entry, and bare `node -e 0` as the floor, each a fresh process, alternating.
 */
const STARTUP_RUNS: readonly StartupRun[] = [
  { label: '`eom derive --loss "x^2" --order 0`', args: [CLI, 'derive', '--loss', 'x^2', '--order', '0'] },
  { label: '`node dist/cli/main.js derive --loss "x^2" --order 0` (unbundled)', args: [MODULE_ENTRY, 'derive', '--loss', 'x^2', '--order', '0'] },
  { label: '`eom derive --order 0`', args: [CLI, 'derive', '--order', '0'] },
  { label: '`node dist/cli/main.js derive --order 0` (unbundled)', args: [MODULE_ENTRY, 'derive', '--order', '0'] },
  { label: '`node -e 0` (Node alone)', args: ['-e', '0'] },
];

export type StartupFigures = { label: string; ms: number[]; cpuMs: number[] }[];

export function measureStartup(runs: number, progress: (s: string) => void): StartupFigures {
  const out = STARTUP_RUNS.map((r) => ({ label: r.label, ms: [] as number[], cpuMs: [] as number[] }));
  for (let i = 0; i < runs; i++) {
    progress(`start-up run ${i + 1}/${runs}`);
    STARTUP_RUNS.forEach((r, j) => {
      const t = timed(process.execPath, r.args);
      out[j]!.ms.push(t.ms);
      out[j]!.cpuMs.push(t.cpuMs);
    });
  }
  return out;
}

/** Markdown: start-up of `--loss` against the abstract derive, bundled and not, and Node alone. */
export function startupSection(m: StartupFigures): string[] {
  return [
    '## Start-up of `eom derive --loss` (fresh processes)',
    '',
    '| command | wall (median) | CPU (median) |',
    '|---|---|---|',
    ...m.map((r) => `| ${r.label} | ${fmtMs(median(r.ms))} | ${fmtMs(median(r.cpuMs))} |`),
    '',
    `Median of ${m[0]?.ms.length ?? 0} alternating runs. \`eom\` is the npm bin, dist/cli/eom.cjs: the command line bundled into one`,
    "file with V8's code cache recorded at build time (scripts/bundle-cli.mjs). The unbundled entry loads the same",
    "program as some seventy ES modules. Either way a run loads only the invoked command's modules, and `--loss`",
    "adds mathjs's parse factory and node types (syntax/mathjsParser.ts), never the whole library.",
    '',
  ];
}

export interface Field2Figures {
  buildMs: number;
  sourceChars: number;
  coldMs: number;
  /** CPU time of the first call (this process only). */
  coldCpuMs: number;
  gradientNs: number;
  fieldNs: number;
}

/** The compiled EoM_2 field of the scale-invariant loss (λ = 0.1), in a fresh process. */
export function field2Figures(): Field2Figures {
  const { loss, vars } = scaleLoss();
  let t = performance.now();
  const L = Loss.parse(loss, { vars, weightDecay: '0.1' });
  const c = compileTreeCounterTerms(L, solveCounterTerms(2));
  const field = c.fieldOfOrder(2);
  const buildMs = performance.now() - t;
  const th = new Float64Array([1, 0.5, -0.3]);
  const out = new Float64Array(3);
  t = performance.now();
  const cpu0 = process.cpuUsage();
  field(th, 0.1, out);
  const cpu = process.cpuUsage(cpu0);
  const coldMs = performance.now() - t;
  const coldCpuMs = (cpu.user + cpu.system) / 1000;
  const time = (reps: number, f: (i: number) => void, warm: number) => {
    for (let i = 0; i < warm; i++) f(i);
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f(i);
    return ((performance.now() - t0) * 1e6) / reps;
  };
  const gradientNs = time(200_000, (i) => ((th[0] = 1 + i * 1e-9), c.gradient(th, out)), 20_000);
  const fieldNs = time(20_000, (i) => ((th[0] = 1 + i * 1e-9), field(th, 0.1, out)), 10_000);
  return { buildMs, sourceChars: field.toString().length, coldMs, coldCpuMs, gradientNs, fieldNs };
}


/** Markdown: the peer table (or why it is missing). */
export function peerSection(peer: PeerRow[] | undefined): string[] {
  const lines: string[] = ['## Against a peer: SymPy, by hand from the published formulas', ''];
  if (!peer) return [...lines, 'SymPy is not importable by /usr/bin/python3 on this machine: no peer figures.', ''];
  lines.push(
    `Loss \`${PEER_LOSS}\`; each figure is the median wall time of ${peer[0]?.eomMs.length ?? 0} fresh processes (start-up and imports included):`,
    '`eom derive --loss … --order K` against `python3 bench/sympy_peer.py K` (differentiate, contract with the',
    'formulas of docs/counter-terms.md, expand). Both print the same exact polynomials.',
    '',
    'CPU time (user + system of the child) is the steadier figure on a shared machine.',
    '',
    '| ξ_0 … ξ_K | eom derive --loss: wall (CPU) | SymPy script: wall (CPU) | SymPy / eomkit, wall | SymPy / eomkit, CPU |',
    '|---|---|---|---|---|',
  );
  for (const r of peer) {
    const e = median(r.eomMs);
    const s = median(r.sympyMs);
    const ec = median(r.eomCpuMs);
    const sc = median(r.sympyCpuMs);
    lines.push(`| K = ${r.K} | ${fmtMs(e)} (${fmtMs(ec)}) | ${fmtMs(s)} (${fmtMs(sc)}) | ${(s / e).toFixed(1)}× | ${(sc / ec).toFixed(1)}× |`);
  }
  return [...lines, ''];
}

/** Markdown: the scale-invariant closed forms in each measured form. */
export function jsonSection(rows: readonly { form: ScaleForm; figures: { ms: number; cpuMs: number; bytes: number } | undefined }[]): string[] {
  const label: Record<ScaleForm, string> = {
    json: 'JSON, shared subexpressions stated once (`where`, default)',
    inline: 'JSON `--inline` (every subexpression written out, expanded)',
    text: 'text',
    latex: 'LaTeX',
  };
  return [
    '## A large closed form (`derive --loss`, scale-invariant loss of scale-weight-decay.json, `--weight-decay lambda`, ξ_0 … ξ_2)',
    '',
    '| form | wall (CPU) time, one fresh process | size |',
    '|---|---|---|',
    ...rows.map(({ form, figures: f }) =>
      f ? `| ${label[form]} | ${fmtMs(f.ms)} (${fmtMs(f.cpuMs)}) | ${(f.bytes / 1e6).toFixed(2)} MB |` : `| ${label[form]} | did not finish within ${SCALE_JSON_BUDGET_MS / 1000} s | — |`,
    ),
    '',
    'Expanded, ξ_1 alone is 2 MB of text; beyond an expansion budget the closed forms are written as a program over',
    'named derivative entries and tree vectors (loss/sharedForms.ts), which `--inline` does not use.',
    '',
  ];
}

/** Markdown: the compiled EoM_2 field of the scale-invariant loss. */
export function field2Section(field: Field2Figures[]): string[] {
  const med = (f: (x: Field2Figures) => number) => median(field.map(f));
  return [
    '## Compiled EoM_2 field of the scale-invariant loss (λ = 0.1, θ = (1, 0.5, −0.3))',
    '',
    '| figure | value |',
    '|---|---|',
    `| generated source of the field | ${(med((x) => x.sourceChars) / 1000).toFixed(0)} kB |`,
    `| build (parse, solve ξ_0..ξ_2, generate, compile) | ${fmtMs(med((x) => x.buildMs))} |`,
    `| first call (cold): wall (CPU) | ${med((x) => x.coldMs).toFixed(2)} ms (${med((x) => x.coldCpuMs).toFixed(2)} ms) |`,
    `| warm call | ${(med((x) => x.fieldNs) / 1000).toFixed(2)} µs |`,
    `| gradient g, warm | ${med((x) => x.gradientNs).toFixed(0)} ns |`,
    `| field / gradient (within each process) | ${med((x) => x.fieldNs / x.gradientNs).toFixed(1)} |`,
    '',
    `Median of ${field.length} fresh processes. D^m g[v_1, …, v_m] is computed by forward-mode jets (compile/jets.ts).`,
    'Generated functions are parenthesised, so V8 compiles them when they are built (the build includes it) and the',
    'first call only runs the bytecode; chunks of long sums are functions outside the per-call body.',
    '',
  ];
}
