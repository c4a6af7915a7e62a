/**
 * A data file for a per-example loss: CSV with a header row of column names (the loss's data
 * symbols) and one numeric row per example. Parsed strictly as data: names must be identifiers,
 * every cell a finite decimal number, every row as long as the header; nothing is evaluated.
 *
 * @example
 *   const t = parseDataCsv('x,y\n1,2\n3,4\n');
 *   t.rows // 2;  t.columns.get('y') // Float64Array [2, 4]
 */
import { LossError } from './errors.js';

export interface DataTable {
  /** Column name → its values, one per row (a Map: names are user data). */
  readonly columns: ReadonlyMap<string, Float64Array>;
  /** Column name → each cell as written (exact decimals for closed forms). */
  readonly cells: ReadonlyMap<string, readonly string[]>;
  readonly rows: number;
}

/** Most rows and columns read (a file of 10⁶ rows × 64 columns is 512 MB of doubles). */
export const MAX_DATA_ROWS = 1_000_000;
export const MAX_DATA_COLUMNS = 64;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseDataCsv(text: string, where = 'the data file'): DataTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (lines.length === 0) throw new LossError(`${where} is empty: it needs a header row of column names`);
  const header = lines[0]!.split(',').map((s) => s.trim());
  if (header.length > MAX_DATA_COLUMNS) throw new LossError(`${where} has ${header.length} columns; at most ${MAX_DATA_COLUMNS}`);
  header.forEach((h, i) => {
    if (!NAME.test(h)) throw new LossError(`${where}: column ${i + 1} of the header is "${h}", not a name (letters, digits, _)`);
  });
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) throw new LossError(`${where}: the column "${dup}" appears twice`);
  const rows = lines.length - 1;
  if (rows === 0) throw new LossError(`${where} has a header but no rows`);
  if (rows > MAX_DATA_ROWS) throw new LossError(`${where} has ${rows} rows; at most ${MAX_DATA_ROWS}`);
  const values = header.map(() => new Float64Array(rows));
  const texts = header.map(() => new Array<string>(rows));
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(',').map((s) => s.trim());
    if (cells.length !== header.length) throw new LossError(`${where}: row ${r + 1} has ${cells.length} values, the header ${header.length}`);
    cells.forEach((c, i) => {
      if (!NUMBER.test(c)) throw new LossError(`${where}: row ${r + 1}, column "${header[i]}": "${c.slice(0, 40)}" is not a number`);
      const x = Number(c);
      if (!Number.isFinite(x)) throw new LossError(`${where}: row ${r + 1}, column "${header[i]}": ${c.slice(0, 40)} is not finite`);
      values[i]![r] = x;
      texts[i]![r] = c;
    });
  }
  return { columns: new Map(header.map((h, i) => [h, values[i]!])), cells: new Map(header.map((h, i) => [h, texts[i]!])), rows };
}
