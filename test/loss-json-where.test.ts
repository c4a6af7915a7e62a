/**
 * The loss JSON states shared subexpressions once (`where`), and `inline` writes them out: both
 * must be mathjs-parsable and mean the same. Oracle: mathjs itself, evaluating the `where` form
 * (definitions in order, then the components in them) and the inline form at random points; the
 * two strings share no text, so agreement is an independent check of the naming.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, parse } from 'mathjs';
import { lossCounterTerms, lossCounterTermsJson } from '../src/index.js';
import { prng } from './helpers/lossOracles.js';

const CASES = [
  { source: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3 + log(1 + exp(-x*y))', vars: ['x', 'y'], order: 2 },
  { source: 'logsumexp(z1, z2, z3) - z1 + sqrt(1 + z1^2)', vars: ['z1', 'z2', 'z3'], order: 1 },
  { source: 'tanh(x*y) + x/sqrt(1 + y^2)', vars: ['x', 'y'], order: 1, weightDecay: 'lambda' },
] as const;

describe('loss JSON: where form against the inline form', () => {
  for (const c of CASES) {
    it(c.source, () => {
      const r = lossCounterTerms(c.source, { vars: c.vars, order: c.order, ...('weightDecay' in c ? { weightDecay: c.weightDecay } : {}) });
      const named = lossCounterTermsJson(r);
      const inline = lossCounterTermsJson(r, { inline: true });
      expect(inline.where).toBeUndefined();
      const where = Object.entries(named.where!);
      expect(where.length).toBeGreaterThan(0);
      expect(Object.keys(named.whereLatex!)).toHaveLength(where.length);
      // Every string parses.
      for (const [, d] of where) parse(d);
      for (const x of [...named.xi, ...inline.xi]) for (const v of c.vars) parse(x.components[v]!);
      // Stating each subexpression once makes the JSON smaller.
      expect(JSON.stringify(named).length).toBeLessThan(JSON.stringify(inline).length);
      const rand = prng(1414);
      for (let t = 0; t < 4; t++) {
        const point: Record<string, number> = Object.fromEntries(c.vars.map((v) => [v, 1.6 * rand() - 0.8]));
        if ('weightDecay' in c) point.lambda = 0.1;
        const scope = { ...point };
        for (const [name, d] of where) (scope as Record<string, number>)[name] = evaluate(d, { ...scope }) as number;
        named.xi.forEach((x, k) =>
          c.vars.forEach((v) => {
            const a = evaluate(x.components[v]!, { ...scope }) as number;
            const b = evaluate(inline.xi[k]!.components[v]!, { ...point }) as number;
            expect(Math.abs(a - b), `ξ_${k},${v}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
          }),
        );
      }
    });
  }
});
