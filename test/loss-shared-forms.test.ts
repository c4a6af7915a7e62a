/**
 * Closed forms as a straight-line program (src/loss/sharedForms.ts): named derivative entries and
 * tree vectors instead of the expanded polynomial. Oracles:
 * - the expanded route (concrete.ts: placeholder contraction, no multiset weights): substituting
 *   every reference back must give exactly its normal forms, order by order, trees with repeated
 *   children included (ξ_3, ξ_4 of a polynomial loss: D²g[g,g], D³g[g,g,g], D²g[Hg,Hg], …);
 * - mathjs evaluating the `where` JSON (definitions in order) against the expanded form at points;
 * - KaTeX rendering whole outputs, which the printer itself only checks factor by factor.
 */
import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { solveCounterTerms } from '../src/derive/solver.js';
import { concreteCounterTerms } from '../src/loss/concrete.js';
import { sharedCounterTerms } from '../src/loss/sharedForms.js';
import { Loss, lossCounterTerms, lossCounterTermsJson, lossCounterTermsLatex, lossCounterTermsMarkdown, lossCounterTermsText } from '../src/index.js';
import { checkedLatex } from '../src/notation/katexCheck.js';
import { EXPANSION_BUDGET } from '../src/loss/counterTerms.js';
import { closedFormLatex, namedLatex } from '../src/report/reportData.js';
import { prng } from './helpers/lossOracles.js';
import { expandRefs as expand } from './helpers/sharedForms.js';

const CASES = [
  { source: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3', vars: ['x', 'y'], order: 4 },
  { source: 'tanh(x*y) + x/sqrt(1 + y^2)', vars: ['x', 'y'], order: 2, weightDecay: 'lambda' },
  { source: 'logsumexp(z1, z2, z3) - z1 + a*z2^3', vars: ['z1', 'z2', 'z3'], order: 3 },
] as const;

describe('shared closed forms against the expanded ones', () => {
  for (const c of CASES) {
    it(`${c.source}, ξ_0 … ξ_${c.order}`, () => {
      const loss = Loss.parse(c.source, { vars: c.vars, ...('weightDecay' in c ? { weightDecay: c.weightDecay } : {}) });
      const series = solveCounterTerms(c.order);
      const expanded = concreteCounterTerms(loss, series);
      const shared = sharedCounterTerms(loss, series);
      expect(shared.refs.size).toBeGreaterThan(0);
      shared.xi.forEach((xk, k) => xk.forEach((p, i) => expect(expand(p, shared.refs).equals(expanded[k]![i]!), `ξ_${k},${c.vars[i]}`).toBe(true)));
    });
  }
});

describe('lossCounterTerms beyond its expansion budget', () => {
  const source = 'tanh(x*y) + x/sqrt(1 + y^2)';
  const opts = { vars: ['x', 'y'], order: 2, weightDecay: 'lambda' } as const;
  const full = lossCounterTerms(source, opts);
  const program = lossCounterTerms(source, { ...opts, expansionBudget: 0 });

  it('is expanded within the budget and a program beyond it', () => {
    expect(full.refs).toBeUndefined();
    expect(lossCounterTerms(source, { ...opts, expansionBudget: EXPANSION_BUDGET }).refs).toBeUndefined();
    expect(program.refs?.size).toBeGreaterThan(0);
  });

  it('prints JSON whose where form evaluates to the expanded closed form, and an inline form that agrees', () => {
    const named = lossCounterTermsJson(program);
    const inline = lossCounterTermsJson(program, { inline: true });
    const reference = lossCounterTermsJson(full, { inline: true });
    const rand = prng(77);
    for (let t = 0; t < 3; t++) {
      const point: Record<string, number> = { x: 1.4 * rand() - 0.7, y: 1.4 * rand() - 0.7, lambda: 0.1 };
      const scope: Record<string, number> = { ...point };
      for (const [name, d] of Object.entries(named.where!)) scope[name] = evaluate(d, { ...scope }) as number;
      named.xi.forEach((x, k) =>
        opts.vars.forEach((v) => {
          const want = evaluate(reference.xi[k]!.components[v]!, { ...point }) as number;
          const tol = 1e-9 * Math.max(1, Math.abs(want));
          expect(Math.abs((evaluate(x.components[v]!, { ...scope }) as number) - want), `ξ_${k},${v}`).toBeLessThanOrEqual(tol);
          expect(Math.abs((evaluate(inline.xi[k]!.components[v]!, { ...point }) as number) - want), `inline ξ_${k},${v}`).toBeLessThanOrEqual(tol);
        }),
      );
    }
  });

  it('prints LaTeX and Markdown that KaTeX renders whole (the printer checks factor by factor)', () => {
    for (const r of [program, full]) {
      const latex = lossCounterTermsLatex(r);
      const blocks = latex.match(/\\begin\{align\*\}[\s\S]*?\\end\{align\*\}/g)!;
      expect(blocks.length).toBeGreaterThan(2);
      for (const b of blocks) checkedLatex(b, true);
    }
    // Markdown writes the same definitions and bodies, each between $…$.
    const md = lossCounterTermsMarkdown(program);
    const spans = [...md.matchAll(/\$([^$]+)\$/g)];
    expect(spans.length).toBeGreaterThan(program.refs!.size);
    for (const m of spans) checkedLatex(m[1]!);
    expect(lossCounterTermsText(program)).toMatch(/^ {2}x: .*s\d+/m);
  });
});

describe('the scale-invariant loss with a symbolic weight decay (scale-weight-decay.json), ξ_0 … ξ_2', () => {
  it('states its closed forms in well under 1.5 MB of JSON', async () => {
    const { readFileSync } = await import('node:fs');
    const file = JSON.parse(readFileSync(new URL('../derivations/scale-weight-decay.json', import.meta.url), 'utf8')) as { inputs: { loss: string; vars: string[] } };
    const r = lossCounterTerms(file.inputs.loss, { vars: file.inputs.vars, weightDecay: 'lambda', order: 2, expansionBudget: EXPANSION_BUDGET });
    expect(r.refs?.size).toBeGreaterThan(0);
    const bytes = JSON.stringify(lossCounterTermsJson(r), null, 2).length;
    expect(bytes).toBeLessThan(1_500_000);
  });
});

describe("the report's closed forms (closedFormLatex) keep derive's expansion budget", () => {
  const loss = Loss.parse('(x^2 + y^2 - 1)^2 + 0.5*x*y^3', { vars: ['x', 'y'] });
  const series = solveCounterTerms(2);

  it('below it: the expanded normal forms, exactly what namedLatex prints for concreteCounterTerms', () => {
    expect(closedFormLatex(loss, series)).toEqual(namedLatex(loss, concreteCounterTerms(loss, series)));
  });

  it('beyond it: the program of sharedCounterTerms, every row of which KaTeX renders', () => {
    const r = closedFormLatex(loss, series, undefined, 10);
    const shared = sharedCounterTerms(loss, series);
    expect(r).toEqual(namedLatex(loss, shared.xi, shared.refs));
    expect(r).not.toEqual(closedFormLatex(loss, series));
    for (const [name, def] of r.definitions) checkedLatex(`${name} = ${def}`);
    for (const x of r.xi) for (const c of x.components) checkedLatex(c.latex);
  });
});
