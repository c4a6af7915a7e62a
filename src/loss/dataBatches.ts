/**
 * Batch losses from a per-example loss ℓ(θ; d) and a data table (SGD with --data): which names
 * are parameters and which are data columns, and — for closed forms, on small tables — the batch
 * losses L_k = (1/b) Σ_{r ∈ k} ℓ(θ; d_r) as exact normal forms, each cell read as an exact decimal.
 *
 * @example
 *   const t = parseDataCsv('x,y\n1,2\n2,3\n');
 *   dataBatchLosses('(w*x - y)^2', t, 1).losses[1].expr // (2w − 3)²
 */
import { LossError } from './errors.js';
import { Loss, type LossOptions } from './loss.js';
import type { DataTable } from './dataTable.js';
import type { Rational } from '../series/fraction.js';

/** Most rows whose sum is written out as closed forms (beyond, the numeric route averages at run time). */
export const MAX_CLOSED_FORM_ROWS = 64;

/** The parameters θ (given by `vars`, or every free name that is not a column) and the data columns the loss reads. */
export function dataParameters(
  source: string,
  data: DataTable,
  options: Pick<LossOptions, 'vars' | 'values'> = {},
): { theta: string[]; dataNames: string[]; values: ReadonlyMap<string, Rational> } {
  const probe = Loss.parse(source, { values: options.values, partial: true });
  const dataNames = probe.vars.filter((v) => data.columns.has(v));
  const clash = options.vars?.find((v) => data.columns.has(v));
  if (clash !== undefined) throw new LossError(`--vars: "${clash}" is a column of the data file, not a parameter`);
  const theta = options.vars ? [...options.vars] : probe.vars.filter((v) => !data.columns.has(v));
  if (theta.length === 0) throw new LossError('the loss has no parameters besides its data columns');
  const unknown = probe.vars.filter((v) => !theta.includes(v) && !data.columns.has(v));
  if (unknown.length) throw new LossError(`"${unknown[0]}" is neither a parameter (--vars) nor a column of the data file`);
  return { theta, dataNames, values: probe.values };
}

/** Check that b divides the rows; m = rows / b. */
export function batchCount(rows: number, b: number): number {
  if (!Number.isSafeInteger(b) || b < 1) throw new LossError(`--batch-size must be a positive integer, got ${b}`);
  if (rows % b !== 0) throw new LossError(`--batch-size ${b} does not divide the ${rows} rows: ${rows % b} would be left over (drop them, or pick a divisor of ${rows})`);
  return rows / b;
}

/** The batch losses and their mean, exactly; at most MAX_CLOSED_FORM_ROWS rows. */
export function dataBatchLosses(source: string, data: DataTable, b: number, options: LossOptions = {}, file = 'the data file'): { mean: Loss; losses: Loss[] } {
  const m = batchCount(data.rows, b);
  if (data.rows > MAX_CLOSED_FORM_ROWS) {
    throw new LossError(`closed forms sum every row symbolically, so at most ${MAX_CLOSED_FORM_ROWS} rows (${file} has ${data.rows}); eom simulate and eom validate take any number`);
  }
  const { theta, dataNames, values } = dataParameters(source, data, options);
  const given = options.values instanceof Map ? [...options.values] : Object.entries(options.values ?? {});
  const rows = Array.from({ length: data.rows }, (_, r) =>
    Loss.parse(source, {
      ...options,
      vars: theta,
      partial: true,
      values: new Map<string, string | number>([...given, ...dataNames.map((c) => [c, data.cells.get(c)![r]!] as const)]),
    }),
  );
  const losses = Array.from({ length: m }, (_, k) => Loss.mean(rows.slice(k * b, (k + 1) * b), `mean of ${source} over rows ${k * b + 1}–${(k + 1) * b} of ${file}`, values));
  const mean = Loss.mean(losses, source, values);
  return { mean, losses };
}
