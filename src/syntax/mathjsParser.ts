/**
 * mathjs's parser alone: its `parse` factory and the node types, wired by hand, loading only those
 * modules (tens of ms; syntax/mathjsFiles.ts) instead of the whole library (about 1.5 s). A decimal
 * constant is kept as written (every digit reaches the exact converter); other literals (0x1F) are
 * decimal.js BigNumbers (500 digits), loaded only then.
 *
 * What the node types and the parser need only to evaluate or compile (typed-function dispatch,
 * subset, size, ResultSet, isBounded, the math namespace) is a stub: eomkit never evaluates a parsed
 * tree.
 *
 * @example
 *   mathjsParse('2*x + 0.5').toString() // '2 * x + 0.5'
 */
import type { MathNode } from 'mathjs';
import { MATHJS_NODE_TYPES, requireMathjsFile } from './mathjsFiles.js';

type Parse = (source: string) => MathNode;

let parser: Parse | undefined;

/** Parse `source` with mathjs's grammar (BigNumber constants); throws mathjs's SyntaxError. */
export function mathjsParse(source: string): MathNode {
  return (parser ??= buildParser())(source);
}


const PLAIN_DECIMAL = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A decimal literal as written (1.5, 2e-3), read by the converters as BigNumbers are: `isBigNumber`,
 * `isFinite()`, `toString()`. mathjs prints it by `toString`.
 */
class DecimalLiteral {
  readonly isBigNumber = true;
  constructor(private readonly text: string) {}
  isFinite(): boolean {
    return true;
  }
  toString(): string {
    return this.text;
  }
}

function buildParser(): Parse {
  const factory = (path: string, name: string) => requireMathjsFile(path)[`create${name}`]!;
  const config = { number: 'BigNumber', precision: 500 };
  // decimal.js (tens of ms to load) only for literals that are not plain decimals (0x1F, 0b101).
  let BigNumber: (new (text: string) => unknown) | undefined;
  const bigNumber = (text: string) => new (BigNumber ??= factory('type/bignumber/BigNumber.js', 'BigNumberClass')({ config }) as new (text: string) => unknown)(text);
  // parse's only typed-function signature used here is (string); conversions are for evaluation.
  const typed = Object.assign(
    (_name: string, signatures: { string: Parse }) => (source: unknown) => {
      if (typeof source !== 'string') throw new TypeError('String expected');
      return signatures.string(source);
    },
    { addConversion: () => undefined },
  );
  // NaN, Infinity are numbers; a plain decimal is kept as written, every digit.
  const numeric = (text: string, type: string) => (type === 'number' ? Number(text) : PLAIN_DECIMAL.test(text) ? new DecimalLiteral(text) : bigNumber(text));
  const unavailable = (name: string) => () => {
    throw new Error(`internal: mathjs ${name} is not loaded (eomkit only parses)`);
  };
  const scope: Record<string, unknown> = {
    typed,
    numeric,
    config,
    math: {},
    mathWithTransform: {},
    subset: unavailable('subset'),
    size: unavailable('size'),
    ResultSet: unavailable('ResultSet'),
    isBounded: unavailable('isBounded'),
  };
  for (const type of MATHJS_NODE_TYPES) scope[type] = factory(`expression/node/${type}.js`, type)(scope);
  return factory('expression/parse.js', 'Parse')(scope) as Parse;
}
