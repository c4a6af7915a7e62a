/**
 * Option values that are numbers or lists of numbers, with one-line errors naming the option.
 *
 * @example
 *   parseAssignments('--init', 'x=1,y=0.5') // { x: 1, y: 0.5 }
 *   parseNumberList('--lrs', '0.2,0.1') // [0.2, 0.1]
 */
import { nameRecord } from '../loss/names.js';
import { UserError } from './errors.js';

/** A decimal literal: 2, -0.5, .5, 1e-3 (no hex, binary or Infinity). */
const DECIMAL = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;
const NUMBER = new RegExp(`^(${DECIMAL})(?:\\s*/\\s*(${DECIMAL}))?$`);

/**
 * A number as every option takes it: a decimal literal or a fraction of two (1/3), as in --set.
 *
 * @example
 *   parseNumber('--lr', '1/8') // 0.125
 */
export function parseNumber(option: string, value: string, check: (x: number) => string | undefined = () => undefined): number {
  const m = NUMBER.exec(value.trim());
  const x = m ? (m[2] === undefined ? Number(m[1]) : Number(m[1]) / Number(m[2])) : NaN;
  if (!Number.isFinite(x)) throw new UserError(`${option} must be a finite number (0.5, 1e-3, 1/3), got "${value}"`);
  const problem = check(x);
  if (problem) throw new UserError(`${option} ${problem}, got "${value}"`);
  return x;
}

export const positive = (x: number) => (x > 0 ? undefined : 'must be positive');

export function parseInteger(option: string, value: string, min: number): number {
  if (!/^\s*-?\d+\s*$/.test(value)) throw new UserError(`${option} must be an integer, got "${value}"`);
  const n = Number(value);
  if (n < min) throw new UserError(`${option} must be at least ${min}, got "${value}"`);
  return n;
}

export function parseNumberList(option: string, value: string, check = positive): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw new UserError(`${option} must be a comma-separated list of numbers, got "${value}"`);
  return parts.map((p) => parseNumber(option, p, check));
}

/** "x=1,y=0.5" → { x: 1, y: 0.5 }, a record without a prototype (any name is just a key). */
export function parseAssignments(option: string, value: string): Record<string, number> {
  const out = nameRecord<number>();
  for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(.+)$/.exec(item);
    if (!m) throw new UserError(`${option} takes name=value pairs separated by commas, got "${item}"`);
    if (Object.hasOwn(out, m[1]!)) throw new UserError(`${option}: "${m[1]}" is given twice`);
    out[m[1]!] = parseNumber(`${option} ${m[1]}`, m[2]!);
  }
  if (Object.keys(out).length === 0) throw new UserError(`${option} needs name=value pairs, e.g. x=1,y=0.5`);
  return out;
}
