/**
 * `eom derive`: the counter terms ξ_0 … ξ_K of an update rule, in one of several notations.
 */
import { Command } from 'commander';
import { CounterTermSolver } from '../derive/solver.js';
import { updateRules } from '../derive/updateRule.js';
import { countRootedTrees } from '../trees/count.js';
import { counterTermsIndex, counterTermsLatex, counterTermsText } from '../notation/render.js';
import { counterTermsJson } from '../notation/json.js';
import { counterTermsMarkdown } from '../notation/markdown.js';
import { parseChoice, parseOrder } from './options.js';
import { Progress } from './progress.js';

const FORMATS = ['text', 'latex', 'index', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

export function deriveCommand(write: (s: string) => void): Command {
  return new Command('derive')
    .description('derive the counter terms ξ_0 … ξ_K of the equation of motion, exactly')
    .option('-k, --order <K>', 'highest order K of ξ_K (trees with K+2 nodes)', '2')
    .option('-f, --format <format>', `output notation: ${FORMATS.join(', ')}`, 'text')
    .option('-m, --method <rule>', `update rule: ${[...updateRules.keys()].join(', ')}`, 'gd')
    .addHelpText(
      'after',
      `
Examples:
  eom derive                         ξ_0, ξ_1, ξ_2 of gradient descent as text
  eom derive --order 4 --format latex
  eom derive --order 6 --format json > xi.json
  eom derive --method extragradient --order 3

ξ_k = Σ c·F(τ) over rooted trees τ with k+2 nodes; F(•) = g, F([τ1..τm]) = ∇^{m+1}L[F(τ1), …, F(τm)].`,
    )
    .action((opts: { order: string; format: string; method: string }) => {
      const K = parseOrder(opts.order);
      const format: Format = parseChoice('--format', opts.format, FORMATS);
      const rule = updateRules.get(parseChoice('--method', opts.method, [...updateRules.keys()]))!;
      const progress = new Progress();
      const solver = new CounterTermSolver(rule);
      const xi = solver.solveThrough(K, (p) => {
        if (p.k < K) progress.update(`solving ξ_${p.k + 1} (${countRootedTrees(p.k + 3)} trees)…`);
      });
      progress.done();
      write(render(format, rule.name, rule.description, xi));
    });
}

function render(format: Format, method: string, description: string, xi: Parameters<typeof counterTermsText>[0]): string {
  switch (format) {
    case 'text':
      return counterTermsText(xi);
    case 'latex':
      return counterTermsLatex(xi);
    case 'index':
      return counterTermsIndex(xi);
    case 'markdown':
      return counterTermsMarkdown(description, xi);
    case 'json':
      return JSON.stringify(counterTermsJson(method, xi), null, 2) + '\n';
  }
}
