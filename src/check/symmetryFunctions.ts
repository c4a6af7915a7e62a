/**
 * Claim functions that come from a symmetry's closed forms (filled in with derive/symmetryRates).
 */
import type { Loss } from '../loss/loss.js';
import type { Poly } from '../loss/poly.js';
import type { Symmetry } from '../loss/symmetry.js';
import type { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import type { CounterTermSource } from './counterTermSource.js';
import type { ClaimValue } from './values.js';

type Fns<S, V> = Record<string, (args: readonly ClaimValue<S, V>[]) => ClaimValue<S, V>>;

export const symmetryFunctions = {
  abstract(_source: CounterTermSource): Fns<Rational, TreeSeries<Rational>> {
    return {};
  },
  concrete(_ctx: { loss: Loss; loss0: Loss; source: CounterTermSource; symmetry?: Symmetry; weightDecay?: string | undefined }): Fns<Poly, Poly[]> {
    return {};
  },
};
