/**
 * `eom derive` end to end in fresh processes, the output counted rather than kept:
 * - `--order 14 --format json` (solve and stream 190 MB of JSON): one run, wall time and peak RSS;
 * - `--order 10` and `--order 12` in every output format, against the targets ≤ 1 s and ≤ 5 s.
 * `npm run bench` includes both; `node dist-bench/bench/bench.js --only order14,formats` runs them alone.
 */
import { buildProgram } from '../src/cli/main.js';
import { fmtMs, median } from './checkBench.js';

export interface StreamFigures {
  K: number;
  format: string;
  ms: number;
  maxRssMiB: number;
  outputMB: number;
}

/** Inside the child process: run the CLI's derive in-process, its output counted. */
export async function deriveFigures(K: number, format: string): Promise<StreamFigures> {
  let bytes = 0;
  const t0 = performance.now();
  const program = await buildProgram((s) => void (bytes += Buffer.byteLength(s)), undefined, 'derive');
  await program.parseAsync(['derive', '--order', String(K), '--format', format], { from: 'user' });
  const ms = performance.now() - t0;
  return { K, format, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, outputMB: bytes / 1e6 };
}

/** Markdown: the one-run table. */
export function streamSection(f: StreamFigures): string[] {
  return [
    `## Order ${f.K} end to end (\`eom derive --order ${f.K} --format ${f.format}\`, one run, fresh process)`,
    '',
    '| wall time | peak RSS | output |',
    '|---|---|---|',
    `| ${(f.ms / 1000).toFixed(1)} s | ${f.maxRssMiB.toFixed(0)} MiB | ${f.outputMB.toFixed(0)} MB |`,
    '',
    'The output is written order by order and term by term as the solver finishes each order, so its peak memory is the',
    "solver's (trees, cuts as Int32Array triples, exact slices); orders 15 and 16 need ≈ 2.8× and 7.5× that memory.",
    '',
  ];
}

/** Every `--format` of `eom derive`, and the orders with a time target (issue: ≤ 1 s at 10, ≤ 5 s at 12). */
export const DERIVE_FORMATS = ['text', 'index', 'latex', 'markdown', 'json'] as const;
export const FORMAT_ORDERS = [
  { K: 10, targetMs: 1000, runs: 3 },
  { K: 12, targetMs: 5000, runs: 3 },
] as const;

/** Markdown: one row per format, wall time and peak RSS per order (medians of fresh processes). */
export function formatsSection(runs: StreamFigures[]): string[] {
  const cell = (K: number, format: string) => {
    const mine = runs.filter((f) => f.K === K && f.format === format);
    return `${fmtMs(median(mine.map((f) => f.ms)))} | ${median(mine.map((f) => f.maxRssMiB)).toFixed(0)} MiB | ${median(mine.map((f) => f.outputMB)).toFixed(1)} MB`;
  };
  const head = FORMAT_ORDERS.map(({ K, targetMs }) => `order ${K}: wall (target ≤ ${targetMs / 1000} s) | peak RSS | output`).join(' | ');
  return [
    '## `eom derive --order K --format F`, every format (fresh processes)',
    '',
    `| format | ${head} |`,
    `|---|${FORMAT_ORDERS.map(() => '---|---|---|').join('')}`,
    ...DERIVE_FORMATS.map((format) => `| ${format} | ${FORMAT_ORDERS.map(({ K }) => cell(K, format)).join(' | ')} |`),
    '',
    `Median of ${FORMAT_ORDERS.map((o) => o.runs).join(' and ')} runs; the CLI's derive runs in-process in each child (the process's start-up,`,
    'about 0.2 s: see the start-up table below, is excluded), solving every order and streaming each term as it is written. No sum is checked by KaTeX at',
    'run time: every notation rule is checked for all trees up to 10 nodes in the tests.',
    '',
  ];
}
