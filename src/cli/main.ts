#!/usr/bin/env node
/**
 * The `eom` command line: thin commands over the library.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { deriveCommand } from './deriveCommand.js';
import { checkCommand } from './checkCommand.js';
import { symmetryCommand } from './symmetryCommand.js';
import { simulateCommand, validateCommand } from './simulateCommands.js';
import { reportCommand } from './reportCommand.js';
import { exportCommand } from './exportCommand.js';
import { DivergenceError } from '../simulate/divergence.js';
import { EXIT_DIVERGED, EXIT_USAGE, UserError } from './errors.js';
import { LossError, oneLine } from '../loss/errors.js';
import { ExpansionError } from '../loss/poly.js';
import { CodegenError } from '../compile/codegen.js';

export function buildProgram(
  write: (s: string) => void = (s) => process.stdout.write(s),
  setExit: (code: number) => void = (code) => (process.exitCode = code),
): Command {
  const program = new Command('eom')
    .description('Counter terms of the continuous-time equation of motion of gradient descent (Miyagawa, NeurIPS 2022)')
    .version(packageVersion())
    .addCommand(deriveCommand(write))
    .addCommand(simulateCommand(write))
    .addCommand(validateCommand(write, setExit))
    .addCommand(reportCommand(write, packageVersion()))
    .addCommand(symmetryCommand(write))
    .addCommand(checkCommand(write, setExit))
    .addCommand(exportCommand(write, packageVersion()));
  for (const c of [program, ...program.commands]) {
    c.exitOverride();
    // Commander's own usage errors, on one line and prefixed like ours.
    c.configureOutput({ outputError: (str, write) => write(`eom: ${oneLine(str.trimEnd())}\n`) });
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let status = 0;
  const program = buildProgram(undefined, (code) => (status = code));
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof DivergenceError) {
      process.stderr.write(`eom: error: ${oneLine(e.message)}\n`);
      return EXIT_DIVERGED;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE; // commander printed the message
    if (e instanceof UserError || e instanceof LossError || e instanceof CodegenError || e instanceof ExpansionError) {
      process.stderr.write(`eom: error: ${oneLine(e.message)}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof RangeError && /Maximum BigInt size|Invalid array length|allocation/i.test(e.message)) {
      process.stderr.write(`eom: error: out of memory (${e.message}); try a smaller --order\n`);
      return 1;
    }
    process.stderr.write(`eom: internal error: ${oneLine((e as Error).message ?? String(e))}\n`);
    if (process.env['EOM_DEBUG']) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}

/** The version in package.json (one source of truth). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}


// A closed pipe (`eom … | head`) ends the output quietly, not with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`eom: internal error: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
