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
  if (K > 4 * max) throw new UserError(`--order ${value.trim()} is far beyond what fits in memory; the largest order that fits is ${max}`);
  if (K > max) {
    const need = (estimatedSolverBytes(K) / 2 ** 30).toFixed(1);
    const have = (heapLimitBytes() / 2 ** 30).toFixed(1);
    throw new UserError(
      `--order ${K} needs about ${need} GiB but this process may use ${have} GiB; the largest order that fits is ${max}` +
        ' (raise the limit with NODE_OPTIONS=--max-old-space-size=<MiB>)',
    );
  }
  return K;
}

export function parseChoice<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${option} must be one of ${choices.join(', ')}; got "${value}"`);
}
