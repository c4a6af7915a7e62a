/**
 * What a long `eom derive` says on stderr. Before the large orders of a run to K ≥ 14 (K ≥ 13 with a
 * progress line) an estimate of its time and peak memory: memory from the solver's size model
 * (derive/limits.ts), time extrapolated from the time ξ_12 took on this machine, with the solve's
 * work Θ(N² T(N)) at N nodes (T(N) trees, N values of m, at most N − 1 cuts a tree: ≈ 3× per order;
 * measured ratios run 2.2–3×, so the estimate errs long).
 * Then a line per order (solved, or for `--loss` built): rewritten in place on a terminal, one line each with `--progress` (a log).
 *
 * @example
 *   const report = new DeriveProgress(14, { lines: false });
 *   for (let k = 0; k <= 14; k++) { writeOrder(solver.xi(k)); report.solved(k, trees(k)); }
 *   report.done();
 *   // stderr: "eom: ξ_0 … ξ_14: about 40 s and 690 MB peak memory (an estimate: …)"
 */
import { estimatedSolverBytes } from '../derive/limits.js';
import { rootedTreeCounts } from '../trees/count.js';
import { Progress } from './progress.js';

/** The order whose running time calibrates the estimate (about a second of work, its JIT warm-up done). */
export const CALIBRATION_ORDER = 12;

/** Ring operations of solving ξ_k alone, up to a constant: N² T(N) with N = k + 2 nodes. */
export function orderWork(k: number): number {
  const N = k + 2;
  return N * N * Number(rootedTreeCounts(N)[N]!);
}

/**
 * Seconds still needed for ξ_{k+1} … ξ_K when ξ_k alone took `seconds`.
 *
 * @example
 *   remainingSeconds(1, 12, 14) // ≈ 12.4: orders 13 and 14 are 3.1× and 9.3× the work of order 12
 */
export function remainingSeconds(seconds: number, k: number, K: number): number {
  let work = 0;
  for (let j = k + 1; j <= K; j++) work += orderWork(j);
  return (seconds * work) / orderWork(k);
}

/** "0.4 s", "40 s", "3.2 min". */
export function durationText(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  return seconds < 90 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

/** "690 MB", "4.6 GB" (decimal units, as `time` and `free -h` roughly show them). */
export function bytesText(bytes: number): string {
  return bytes < 1e9 ? `${Math.round(bytes / 1e6)} MB` : `${(bytes / 1e9).toFixed(1)} GB`;
}

export class DeriveProgress {
  private readonly started = performance.now();
  private last = this.started;
  private readonly line: Progress;
  private readonly stream: NodeJS.WritableStream;

  /**
   * `lines`: one line per order on stderr whatever it is (`--progress`); otherwise a line rewritten
   * in place, only on a terminal (or with EOM_PROGRESS=1).
   */
  constructor(
    private readonly K: number,
    private readonly options: { readonly lines: boolean },
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.stream = stream;
    this.line = new Progress({}, stream);
  }

  /** After ξ_k is solved and written. */
  solved(k: number, trees: number): void {
    const now = performance.now();
    const seconds = (now - this.started) / 1000;
    const orderSeconds = (now - this.last) / 1000;
    this.last = now;
    if (k === CALIBRATION_ORDER && this.K > k && (this.K >= 14 || this.showing)) {
      const total = seconds + remainingSeconds(orderSeconds, k, this.K);
      this.say(
        `eom: ξ_0 … ξ_${this.K}: about ${durationText(total)} and ${bytesText(estimatedSolverBytes(this.K))} peak memory ` +
          `(an estimate: time extrapolated from ξ_${k} on this machine now, each order ≈ 3× the one before; memory from a model measured on Node 20)`,
      );
    }
    if (k === this.K) return;
    this.show(`eom: ξ_${k} done (${trees} trees, ${durationText(seconds)} so far); solving ξ_${k + 1}…`);
  }

  /** After ξ_k of a loss's closed forms is built (`eom derive --loss`: no tree count, no estimate). */
  built(k: number): void {
    const seconds = (performance.now() - this.started) / 1000;
    this.show(`eom: ξ_${k} of ${this.K} built (${durationText(seconds)} so far)${k < this.K ? `; building ξ_${k + 1}…` : ''}`);
  }

  /** Clear the in-place line before other output reaches the terminal. */
  pause(): void {
    this.line.done();
  }

  done(): void {
    this.line.done();
  }

  /** Whether progress is shown at all. */
  private get showing(): boolean {
    return this.options.lines || this.line.enabled;
  }

  /** A line of its own with `lines`, else the in-place line. */
  private show(text: string): void {
    if (this.options.lines) this.stream.write(`${text}\n`);
    else this.line.update(text);
  }

  private say(text: string): void {
    this.line.done();
    this.stream.write(`${text}\n`);
  }
}
