/**
 * An explicit Runge–Kutta method from a JSON tableau with exact entries:
 *
 *     { "name": "ralston", "a": [[0, 0], ["2/3", 0]], "b": ["1/4", "3/4"] }
 *
 * Entries are integers or strings "p/q" or exact decimals ("0.25"); `name` is optional.
 *
 * @example
 *   parseTableauJson('{"a": [[0, 0], [1, 0]], "b": ["1/2", "1/2"]}').name // "tableau"
 */
import { decimalToRational } from '../series/decimal.js';
import { parseRational, rational, type Rational } from '../series/fraction.js';
import { explicitRungeKuttaRule, type UpdateRule } from './updateRule.js';

/** Largest number of stages accepted (the B-series cost grows with it). */
export const MAX_TABLEAU_STAGES = 16;

export function parseTableauJson(text: string, source = 'tableau'): UpdateRule {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new SyntaxError(`${source}: expected an object {"a": [[…]], "b": […]}`);
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key !== 'a' && key !== 'b' && key !== 'name') throw new SyntaxError(`${source}: unknown field "${key}" (fields: a, b, name)`);
  }
  const b = entries(obj['b'], `${source}: b`);
  if (b.length === 0 || b.length > MAX_TABLEAU_STAGES) throw new RangeError(`${source}: b must have 1 to ${MAX_TABLEAU_STAGES} entries`);
  const rows = obj['a'];
  if (!Array.isArray(rows)) throw new SyntaxError(`${source}: a must be an array of rows`);
  const a = rows.map((row, i) => entries(row, `${source}: a[${i}]`));
  const name = obj['name'] === undefined ? 'tableau' : obj['name'];
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,39}$/.test(name)) {
    throw new SyntaxError(`${source}: name must be a short identifier (letters, digits, - and _)`);
  }
  return explicitRungeKuttaRule(name, `explicit Runge–Kutta method "${name}" (${b.length} stages)`, { a, b });
}

function entries(value: unknown, where: string): Rational[] {
  if (!Array.isArray(value)) throw new SyntaxError(`${where} must be an array`);
  return value.map((x, j) => exact(x, `${where}[${j}]`));
}

function exact(x: unknown, where: string): Rational {
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x)) throw new SyntaxError(`${where}: ${x} is not exact; write it as a string "p/q"`);
    return rational(x);
  }
  if (typeof x !== 'string') throw new SyntaxError(`${where} must be a number or a string "p/q"`);
  if (/^\s*-?\d+\.\d+\s*$/.test(x)) return decimalToRational(x); // "0.25" is 1/4, exactly
  try {
    return parseRational(x);
  } catch {
    throw new SyntaxError(`${where}: "${x}" is not an exact number`);
  }
}
