#!/usr/bin/env node
/**
 * The `eom` command line: thin commands over the library.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { DivergenceError } from '../simulate/divergence.js';
import { EXIT_DIVERGED, EXIT_USAGE, UserError } from './errors.js';
import { LossError, oneLine } from '../loss/errors.js';
import { ExpansionError } from '../algebra/poly.js';
import { CodegenError } from '../compile/codegen.js';
import { eomkitVersion } from '../version.js';

type Write = (s: string) => void;
type SetExit = (code: number) => void;

/**
 * Each command's module, loaded on demand: a run loads the one it invokes (start-up is most of a
 * short run), help and unknown commands load them all.
 */
const COMMANDS: ReadonlyMap<string, (write: Write, setExit: SetExit) => Promise<Command>> = new Map([
  ['derive', async (write) => (await import('./deriveCommand.js')).deriveCommand(write)],
  ['simulate', async (write) => (await import('./simulateCommands.js')).simulateCommand(write)],
  ['validate', async (write, setExit) => (await import('./simulateCommands.js')).validateCommand(write, setExit)],
  ['report', async (write) => (await import('./reportCommand.js')).reportCommand(write, packageVersion())],
  ['symmetry', async (write) => (await import('./symmetryCommand.js')).symmetryCommand(write)],
  ['check', async (write, setExit) => (await import('./checkCommand.js')).checkCommand(write, setExit)],
  ['export', async (write) => (await import('./exportCommand.js')).exportCommand(write, packageVersion())],
]);

/**
 * The `eom` program with every command, or only `only` when it names one.
 *
 * @example
 *   (await buildProgram(undefined, undefined, 'derive')).commands.map((c) => c.name()) // ['derive']
 */
export async function buildProgram(write: Write = (s) => process.stdout.write(s), setExit: SetExit = (code) => (process.exitCode = code), only?: string): Promise<Command> {
  const program = new Command('eom')
    .description('Counter terms of the continuous-time equation of motion of gradient descent (Miyagawa, NeurIPS 2022)')
    .version(packageVersion());
  const names = only !== undefined && COMMANDS.has(only) ? [only] : [...COMMANDS.keys()];
  for (const cmd of await Promise.all(names.map((n) => COMMANDS.get(n)!(write, setExit)))) program.addCommand(cmd);
  for (const c of [program, ...program.commands]) {
    c.exitOverride();
    // Commander's own usage errors, on one line and prefixed like ours: its line breaks ("…\n(Did
    // you mean --order?)") become spaces.
    c.configureOutput({ outputError: (str, write) => write(`eom: ${oneLine(str.trim().replace(/\s*\n\s*/g, ' '))}\n`) });
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let status = 0;
  try {
    const program = await buildProgram(undefined, (code) => (status = code), argv[0]);
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

const packageVersion = eomkitVersion;

/** True when this file is the program being run (not imported, e.g. by the in-process tests). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Run `eom` as a program: `argv` without node and the script, exit status and a closed pipe handled
 * as a command line expects. The npm bin (cli/eom.cts, through the bundle) and `node
 * dist/cli/main.js` both come here.
 */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  // A closed pipe (`eom … | head`) ends the output quietly, not with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  // A closed stderr (`eom … 2>&1 | true`) loses the messages, not the exit status: 2 stays 2.
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });

  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`eom: internal error: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

if (isEntryPoint()) runCli();
