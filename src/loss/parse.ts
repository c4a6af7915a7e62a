/**
 * A user's loss string to the exact normal form. mathjs parses (never evaluates); the tree is then
 * walked against a whitelist: numbers (exact: 0.5 is 1/2), names, + − * / ^, parentheses and the
 * registered smooth functions. Anything else is refused with a one-line message and a column.
 *
 * Parameters are `vars` if given, else every free name in order of first appearance; other names
 * are symbolic constants. `pi` is π and `e` is exp(1).
 *
 * @example
 *   const p = parseLoss('a*x^2 + y^2', { vars: ['x', 'y'] });
 *   p.vars // ['x', 'y'];  p.constants // ['a']
 */
import type { MathNode } from 'mathjs';
import { mathjsParse } from '../syntax/mathjsParser.js';
import type { Rational } from '../series/fraction.js';
import { atoms, type AtomTable } from '../algebra/atoms.js';
import { decimalToRational } from '../series/decimal.js';
import { LossError } from './errors.js';
import { NON_SMOOTH, functionNames, lookupFunction } from '../algebra/functions/index.js';
import { Poly } from '../algebra/poly.js';

/** Longest loss accepted, in characters (a --loss-file too): a sum over a few thousand data points. */
export const MAX_LOSS_LENGTH = 200_000;
/** Deepest nesting of parentheses, calls and powers (long sums and products are chains, not nesting). */
export const MAX_NESTING = 200;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const BUILTIN_SYMBOLS: ReadonlySet<string> = new Set(['pi', 'e']);

export interface ParsedLoss {
  /** The loss as given. */
  readonly source: string;
  readonly vars: readonly string[];
  readonly constants: readonly string[];
  readonly expr: Poly;
}

export interface ParseOptions {
  /** Parameter names; default: every free name, in order of first appearance. */
  readonly vars?: readonly string[];
  /** Exact values for constants (from --set); such names are replaced by their value. */
  readonly values?: ReadonlyMap<string, Rational>;
  /** Names that are constants whatever --vars says (e.g. a symbolic weight decay). */
  readonly constantNames?: readonly string[];
  readonly table?: AtomTable;
  /** One part of a larger loss (an SGD batch): --vars and --set names need not all occur in it. */
  readonly partial?: boolean;
}

export function parseLoss(source: string, options: ParseOptions = {}): ParsedLoss {
  try {
    return parseLossText(source, options);
  } catch (e) {
    // In a loss over several lines (a --loss-file), say where: line and column.
    if (e instanceof LossError && e.column !== undefined && /[\r\n]/.test(source)) throw new LossError(`${e.detail} (${lineAndColumn(source, e.column)})`);
    throw e;
  }
}

function parseLossText(original: string, options: ParseOptions): ParsedLoss {
  const table = options.table ?? atoms;
  if (original.trim() === '') throw new LossError('the loss is empty');
  if (original.length > MAX_LOSS_LENGTH) throw new LossError(`the loss is longer than ${MAX_LOSS_LENGTH} characters (${original.length})`);
  // Line breaks are spaces (a long loss may span lines) and # starts a comment to the end of its
  // line; both keep every character's offset, so columns refer to the text as given.
  const source = original.replace(/#[^\r\n]*/g, (c) => ' '.repeat(c.length)).replace(/[\r\n]/g, ' ');
  checkNesting(source);
  let tree: MathNode;
  try {
    tree = mathjsParse(source);
  } catch (e) {
    const err = e as Error & { char?: number };
    if (err instanceof RangeError) throw new LossError(`the loss is nested too deeply to parse (at most ${MAX_NESTING} levels)`);
    const msg = err.message.replace(/\s*\(char \d+\)\s*$/, '');
    throw new LossError(`cannot parse the loss: ${msg}`, typeof err.char === 'number' ? err.char : undefined);
  }

  validateTree(tree, source);
  const names = freeNames(tree, source);
  const values: ReadonlyMap<string, Rational> = options.values ?? new Map();
  const fixed = new Set([...values.keys(), ...(options.constantNames ?? [])]);
  const vars = options.vars ? [...options.vars] : names.filter((n) => !BUILTIN_SYMBOLS.has(n) && !fixed.has(n));
  if (vars.length === 0 && names.some((n) => fixed.has(n))) {
    const taken = names.filter((n) => fixed.has(n));
    throw new LossError(
      `the loss has no parameters left: ${taken.map((n) => `"${n}"`).join(', ')} ${taken.length > 1 ? 'are constants' : 'is a constant'} (given by --set or --weight-decay); use a number or another name`,
    );
  }
  checkVars(vars, options.partial ? vars : names, options.vars !== undefined);
  for (const name of values.keys()) {
    if (vars.includes(name)) throw new LossError(`--set: "${name}" is a parameter, not a constant`);
    if ((!names.includes(name) && !options.partial) || BUILTIN_SYMBOLS.has(name)) {
      const known = names.filter((n) => !vars.includes(n) && !BUILTIN_SYMBOLS.has(n));
      throw new LossError(`--set: "${name}" does not occur in the loss (its constants: ${known.length ? known.join(', ') : 'none'})`);
    }
  }
  const constants = names.filter((n) => !vars.includes(n) && !BUILTIN_SYMBOLS.has(n) && !values.has(n));
  for (const c of constants) {
    const problem = nameProblem(c);
    if (problem) throw new LossError(problem, columnOf(source, c));
  }
  const symbols = new Map<string, Poly>();
  vars.forEach((v) => symbols.set(v, table.variable(v)));
  constants.forEach((c) => symbols.set(c, table.constantSymbol(c)));
  for (const [name, v] of values) symbols.set(name, Poly.constant(v));
  symbols.set('pi', table.constantSymbol('pi', Math.PI));
  symbols.set('e', table.call('exp', [Poly.one]));

  let depth = 0;
  const walk = (node: MathNode): Poly => {
    if (++depth > MAX_NESTING) throw new LossError(`the loss is nested too deeply (at most ${MAX_NESTING} levels)`);
    try {
      return convert(node, walk, symbols, source, table);
    } finally {
      depth--;
    }
  };
  let expr: Poly;
  try {
    expr = walk(tree);
  } catch (e) {
    if (e instanceof LossError) throw e;
    if (e instanceof RangeError) throw new LossError(e.message);
    throw e;
  }
  return { source: original, vars, constants, expr };
}

/**
 * A loss as one line: comments dropped, line breaks and runs of blanks as one space (a loss read
 * from a file, in a header or a title).
 *
 * @example
 *   lossOnOneLine('x^2   # the x part\n + y^2') // 'x^2 + y^2'
 */
export function lossOnOneLine(source: string): string {
  if (!/[#\r\n]/.test(source)) return source;
  return source.replace(/#[^\r\n]*/g, ' ').replace(/\s+/g, ' ').trim();
}

/** "line 3, column 7" of a 1-based offset into a text with line breaks. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset - 1);
  const lines = before.split(/\r\n|\r|\n/);
  return `line ${lines.length}, column ${lines[lines.length - 1]!.length + 1}`;
}

/** Refuse brackets nested beyond MAX_NESTING before mathjs's recursive descent meets them. */
function checkNesting(source: string): void {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '(' || ch === '[' || ch === '{') {
      if (++depth > MAX_NESTING) throw new LossError(`the loss is nested too deeply: parentheses at most ${MAX_NESTING} deep`, i + 1);
    } else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
}

/** Why a name cannot be a parameter or constant, or undefined if it can. */
export function nameProblem(name: string, where = ''): string | undefined {
  if (IDENTIFIER.test(name)) return undefined;
  return `${where}"${name}" is not a valid name: names are ASCII letters, digits and _, not starting with a digit${asciiHint(name)}`;
}

const GREEK_NAMES = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');

/** " (write theta for θ)" when the name is a Greek letter (α = U+03B1 … ω = U+03C9, skipping final ς). */
function asciiHint(name: string): string {
  const code = name.codePointAt(0)!;
  if (name.length !== 1 || code < 0x3b1 || code > 0x3c9 || code === 0x3c2) return '';
  return ` (write ${GREEK_NAMES[code - 0x3b1 - (code > 0x3c2 ? 1 : 0)]} for ${name})`;
}

/** Every node with its parent, in source order, without recursion (a long sum is a deep tree). */
function* preorder(tree: MathNode): Generator<[MathNode, MathNode | undefined]> {
  const stack: [MathNode, MathNode | undefined][] = [[tree, undefined]];
  while (stack.length) {
    const [node, parent] = stack.pop()!;
    yield [node, parent];
    const children: MathNode[] = [];
    node.forEach((child) => children.push(child));
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, node]);
  }
}

/** Free names (symbols that are not function names), in order of first appearance in the text. */
function freeNames(tree: MathNode, source: string): string[] {
  const set = new Set<string>();
  for (const [node, parent] of preorder(tree)) {
    if (node.type !== 'SymbolNode') continue;
    const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === node;
    if (!isCallee) set.add((node as unknown as { name: string }).name);
  }
  return [...set].sort((a, b) => (columnOf(source, a) ?? 0) - (columnOf(source, b) ?? 0));
}

function checkVars(vars: readonly string[], present: readonly string[], explicit: boolean): void {
  if (vars.length === 0) throw new LossError('the loss has no parameters (no free names); give it some, e.g. "x^2 + y^2"');
  const seen = new Set<string>();
  const where = explicit ? '--vars: ' : '';
  for (const v of vars) {
    const problem = nameProblem(v, where);
    if (problem) throw new LossError(problem);
    if (BUILTIN_SYMBOLS.has(v) || lookupFunction(v)) throw new LossError(`${where}"${v}" is a reserved name`);
    if (seen.has(v)) throw new LossError(`--vars: "${v}" is listed twice`);
    seen.add(v);
    if (!present.includes(v)) throw new LossError(`--vars: "${v}" does not occur in the loss`);
  }
}

/**
 * 1-based column of the first occurrence of a name as a token (numbers are skipped as whole
 * tokens, so the y in "2y" is found and the e in "1e5" is not), optionally followed by "(".
 */
export function columnOf(source: string, name: string, call = false): number | undefined {
  const token = /(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([\p{L}_$][\p{L}\p{N}_$]*)/gu;
  for (let m = token.exec(source); m !== null; m = token.exec(source)) {
    if (m[2] !== name) continue;
    if (call && !/^\s*\(/.test(source.slice(m.index + name.length))) continue;
    return m.index + 1;
  }
  return undefined;
}

/** Best-effort column of the construct a refused node stands for. */
function columnOfNode(source: string, type: string): number | undefined {
  const marks: Record<string, RegExp> = {
    AccessorNode: /[[.]/,
    ArrayNode: /\[/,
    AssignmentNode: /(?<![<>=!])=(?!=)/,
    BlockNode: /[;\n]/,
    ConditionalNode: /\?/,
    FunctionAssignmentNode: /(?<![<>=!])=(?!=)/,
    IndexNode: /\[/,
    ObjectNode: /\{/,
    RangeNode: /:/,
    RelationalNode: /[<>]=?|[=!]=/,
  };
  const re = marks[type];
  const m = re ? re.exec(source) : null;
  return m ? m.index + 1 : undefined;
}

/**
 * Refuse what cannot be a loss before looking at names: strings and other non-numbers, refused
 * node types, non-smooth, unknown or misused functions. Walks in source order.
 */
function validateTree(tree: MathNode, source: string): void {
  for (const [node] of preorder(tree)) validateNode(node, source);
}

function validateNode(node: MathNode, source: string): void {
  const n = node as unknown as Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const v = n['value'];
      const isNumber = v !== null && typeof v === 'object' && (v as { isBigNumber?: boolean }).isBigNumber;
      if (!isNumber || !(v as { isFinite(): boolean }).isFinite()) {
        throw new LossError(`only finite numbers may appear as constants, not ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`, columnOfText(source, v));
      }
      return;
    }
    case 'SymbolNode':
    case 'ParenthesisNode':
    case 'OperatorNode':
      return;
    case 'FunctionNode': {
      const callee = n['fn'] as MathNode;
      if (callee.type !== 'SymbolNode') throw new LossError('only named functions may be called');
      const name = (callee as unknown as { name: string }).name;
      const col = columnOf(source, name, true);
      const why = NON_SMOOTH.get(name);
      if (why) {
        throw new LossError(`${name} is not smooth: counter terms of order K need derivatives of order K+2 of the loss; ${why}`, col);
      }
      const spec = lookupFunction(name);
      if (!spec) throw new LossError(`unknown function ${name}; known: ${functionNames().join(', ')}`, col);
      const count = (n['args'] as MathNode[]).length;
      if (spec.arity === 'variadic' ? count < 1 : count !== spec.arity) {
        const want = spec.arity === 'variadic' ? 'at least 1 argument' : `${spec.arity} argument${spec.arity === 1 ? '' : 's'}`;
        throw new LossError(`${name} takes ${want}, got ${count}`, col);
      }
      return;
    }
    default:
      throw new LossError(`${describe(node.type)} is not allowed in a loss (only numbers, names, + - * / ^ and smooth functions)`, columnOfNode(source, node.type));
  }
}

function columnOfText(source: string, v: unknown): number | undefined {
  const text = typeof v === 'string' ? v : String(v);
  const i = source.indexOf(text);
  return i < 0 ? undefined : i + 1;
}

type Walk = (node: MathNode) => Poly;

const SUM: ReadonlySet<string> = new Set(['add', 'subtract']);
const PRODUCT: ReadonlySet<string> = new Set(['multiply', 'divide']);

/**
 * a ± b ± c … (or a · b / c …) as its operands in source order, each with the operator before
 * it: mathjs nests such chains to the left, as deep as they are long, so they are unrolled here
 * by a loop rather than walked recursively.
 */
function chain(node: MathNode, ops: ReadonlySet<string>): [string, MathNode][] {
  const out: [string, MathNode][] = [];
  let cur = node as unknown as { type: string; fn?: unknown; args?: MathNode[] };
  while (cur.type === 'OperatorNode' && typeof cur.fn === 'string' && ops.has(cur.fn) && cur.args!.length === 2) {
    out.push([cur.fn, cur.args![1]!]);
    cur = cur.args![0]! as unknown as typeof cur;
  }
  out.push(['', cur as unknown as MathNode]);
  return out.reverse();
}

function convert(node: MathNode, walk: Walk, symbols: Map<string, Poly>, source: string, table: AtomTable): Poly {
  const n = node as unknown as Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': // validateTree has checked it is a finite BigNumber
      return Poly.constant(decimalToRational((n['value'] as { toString(): string }).toString()));
    case 'SymbolNode': {
      const name = n['name'] as string;
      const p = symbols.get(name);
      if (p) return p;
      if (lookupFunction(name)) throw new LossError(`${name} is a function: write ${name}(…)`, columnOf(source, name));
      throw new LossError(`unknown name "${name}"`, columnOf(source, name));
    }
    case 'ParenthesisNode':
      return walk(n['content'] as MathNode);
    case 'OperatorNode': {
      const fn = n['fn'] as string;
      if (fn === 'add' || fn === 'subtract') return Poly.sum(chain(node, SUM).map(([op, x]) => (op === 'subtract' ? walk(x).neg() : walk(x))));
      if (fn === 'multiply' || fn === 'divide') {
        let product = Poly.one;
        for (const [op, x] of chain(node, PRODUCT)) {
          const factor = walk(x);
          if (op !== 'divide') product = product.mul(factor);
          else if (factor.isZero()) throw new LossError('division by zero', indexOfOperator(source, '/'));
          else product = product.mul(table.inverse(factor));
        }
        return product;
      }
      const args = (n['args'] as MathNode[]).map(walk);
      switch (fn) {
        case 'unaryMinus':
          return args[0]!.neg();
        case 'unaryPlus':
          return args[0]!;
        case 'pow':
          return power(args[0]!, args[1]!, table, source);
        default:
          throw new LossError(
            `operator ${String(n['op'])} is not allowed in a loss (use + - * / ^ and smooth functions)`,
            indexOfOperator(source, String(n['op'])),
          );
      }
    }
    case 'FunctionNode': {
      // validateTree has checked the name (smooth, known) and the number of arguments.
      const name = ((n['fn'] as MathNode) as unknown as { name: string }).name;
      return table.call(name, (n['args'] as MathNode[]).map(walk));
    }
    default:
      throw new LossError(`${describe(node.type)} is not allowed in a loss (only numbers, names, + - * / ^ and smooth functions)`, columnOfNode(source, node.type));
  }
}

function power(base: Poly, exponent: Poly, table: AtomTable, source: string): Poly {
  const r = exponent.constantValue();
  if (r !== undefined) {
    try {
      return table.power(base, r);
    } catch (e) {
      throw new LossError((e as Error).message, indexOfOperator(source, '^'));
    }
  }
  // e^v = exp(v); otherwise u^v with v not a number is exp(v·log(u)), defined for u > 0.
  const e = table.callOf(base);
  if (e?.name === 'exp' && e.args[0]!.constantValue()?.num === 1n && e.args[0]!.constantValue()?.den === 1n) return table.call('exp', [exponent]);
  return table.call('exp', [exponent.mul(table.call('log', [base]))]);
}

function indexOfOperator(source: string, op: string): number | undefined {
  const i = source.indexOf(op);
  return i < 0 ? undefined : i + 1;
}

function describe(type: string): string {
  const words: Record<string, string> = {
    AccessorNode: 'indexing or property access',
    ArrayNode: 'a matrix or vector literal',
    AssignmentNode: 'an assignment',
    BlockNode: 'a block of several expressions',
    ConditionalNode: 'a conditional (a ? b : c)',
    FunctionAssignmentNode: 'a function definition',
    IndexNode: 'an index',
    ObjectNode: 'an object literal',
    RangeNode: 'a range (a:b)',
    RelationalNode: 'a comparison',
  };
  return words[type] ?? type;
}

