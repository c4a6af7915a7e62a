/**
 * `eom derive --order 14 --format json` end to end (solve and stream 190 MB of JSON) in a fresh
 * process: one run, wall time and peak RSS, the output counted rather than kept. `npm run bench`
 * includes it; `node dist-bench/bench/bench.js --only order14` runs it alone.
 */
import { buildProgram } from '../src/cli/main.js';

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
