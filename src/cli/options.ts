/**
 * Parsers for option values, each throwing a one-line `UserError` that names the option.
 *
 * @example
 *   parseOrder('3') // 3
 *   parseOrder('-1') // throws UserError: --order must be a non-negative integer, got "-1"
 */
import { estimatedSolverBytes, heapLimitBytes, largestFeasibleOrder } from '../derive/limits.js';
import { UserError } from './errors.js';

export function parseOrder(value: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new UserError(`--order must be a non-negative integer, got "${value}"`);
  const K = Number(value);
  const max = largestFeasibleOrder();
  if (K <= max) return K;
  const limit = `--order ${value.trim()} is too large: the largest order that fits in this process's memory is ${max}`;
  if (K > max + 2) throw new UserError(`${limit} (each order needs about 3× the memory of the one before)`);
  // Just beyond the limit, more memory may help: say how much.
  const need = (estimatedSolverBytes(K) / 2 ** 30).toFixed(1);
  const have = (heapLimitBytes() / 2 ** 30).toFixed(1);
  // The heap the estimate fits in (with the same margin), rounded up to whole GiB.
  const mib = Math.ceil(estimatedSolverBytes(K) / 0.75 / 2 ** 30) * 1024;
  throw new UserError(`${limit} (order ${K} needs about ${need} GiB, an estimate; this process may use ${have} GiB: raise it with NODE_OPTIONS=--max-old-space-size=${mib})`);
}

export function parseChoice<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${option} must be one of ${choices.join(', ')}; got "${value}"`);
}
