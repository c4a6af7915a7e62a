/**
 * `eom check [files or folders]`: run derivations (derivations/*.json) and print one line per
 * claim; exit 1 if any claim fails, 2 if a file is malformed.
 */
import { Command } from 'commander';
import { UserError } from './errors.js';
import { parseChoice } from './options.js';
import { Progress } from './progress.js';
import type { Derivation, DerivationResult } from '../check/index.js';

/** Exit status when a claim fails. */
export const EXIT_CLAIM_FAILED = 1;

export function checkCommand(write: (s: string) => void, setExit: (code: number) => void): Command {
  return new Command('check')
    .description('check derivations: each file states claims (exact identities, or predictions against GD) and every claim is run')
    .argument('[paths...]', 'derivation files (.json) or folders of them', ['derivations'])
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--only <names>', 'run only the derivations with these names (comma-separated)')
    .addHelpText(
      'after',
      `
Examples:
  eom check                                   every derivation in ./derivations
  eom check derivations/quadratic-loss.json
  eom check my-derivations/ --format json

A derivation file is JSON: { "name", "title", "source", "inputs", "claims" }. Inputs are
{ "abstract": true } (true for every loss), { "loss", "vars", "values", "weightDecay",
"symmetry": { "kind": "scale" | "translation", "group": [...] } } or SGD's batch losses
{ "batches": ["L1", "L2", …], "sampling": "shuffle" | "cyclic", "vars", "weightDecay" } (L their
mean; claims also know m, gb(k), Hb(k), Lb(k), Db(k, …) for k = 1..m). A symbolic claim
{ "kind": "symbolic", "name", "expression", "for": { "k": [0, 6] } } holds when the expression is
exactly zero, e.g. "xi(k) - H^(k+1)*g/(k+2)". See docs/tutorials/checking-derivations.md.
Exit status: 0 all claims hold, 1 a claim failed, 2 a file is malformed.`,
    )
    .action(async (paths: string[], opts: { format: string; only?: string }) => {
      const format = parseChoice('--format', opts.format, ['text', 'json'] as const);
      const { loadDerivations, runDerivation, ClaimError } = await import('../check/index.js');
      let derivations: Derivation[];
      try {
        derivations = loadDerivations(paths);
      } catch (e) {
        if (e instanceof ClaimError) throw new UserError(e.message);
        throw e;
      }
      if (opts.only !== undefined) {
        const names = opts.only.split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = names.filter((n) => !derivations.some((d) => d.name === n));
        if (unknown.length) throw new UserError(`--only: no derivation named ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${derivations.map((d) => d.name).join(', ')})`);
        derivations = derivations.filter((d) => names.includes(d.name));
      }
      const progress = new Progress({ enabled: format === 'text' });
      const results: DerivationResult[] = [];
      for (const d of derivations) {
        let r: DerivationResult;
        try {
          r = runDerivation(d, { onClaim: (_d, c) => progress.update(`${d.name}: ${c.name}…`) });
        } catch (e) {
          if (e instanceof ClaimError) throw new UserError(e.message);
          throw e;
        } finally {
          progress.done();
        }
        results.push(r);
        if (format === 'text') {
          write(`${d.file}: ${d.title} (${d.source})\n`);
          for (const c of r.results) write(`  ${c.passed ? 'pass' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
        }
      }
      const claims = results.flatMap((r) => r.results);
      const failed = claims.filter((c) => !c.passed).length;
      if (format === 'json') {
        write(
          JSON.stringify(
            {
              passed: failed === 0,
              derivations: results.map((r) => ({ file: r.derivation.file, name: r.derivation.name, title: r.derivation.title, source: r.derivation.source, passed: r.passed, claims: r.results })),
            },
            null,
            2,
          ) + '\n',
        );
      } else write(`${claims.length - failed} passed, ${failed} failed (${results.length} derivation${results.length === 1 ? '' : 's'})\n`);
      if (failed) setExit(EXIT_CLAIM_FAILED);
    });
}
