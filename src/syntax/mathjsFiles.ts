/**
 * The files of mathjs that its parser needs, loaded by path from the installed package (pinned in
 * package.json): mathjs exports only its index, which would load the whole library (about 1.5 s).
 *
 * The CLI bundle (scripts/bundle-cli.mjs) replaces this module with one that requires the same
 * MATHJS_PARSER_FILES statically, so that they are inlined into the bundle and its code cache.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A mathjs factory: `create<Name>(dependencies)`. */
export type Factory = { (scope: Record<string, unknown>): unknown };

/** The node types the parser builds, in an order where each comes after the ones its factory needs. */
export const MATHJS_NODE_TYPES: readonly string[] = [
  'Node',
  'AccessorNode',
  'ArrayNode',
  'AssignmentNode',
  'BlockNode',
  'ConditionalNode',
  'ConstantNode',
  'FunctionAssignmentNode',
  'SymbolNode', // before FunctionNode, which needs it
  'FunctionNode',
  'IndexNode',
  'ObjectNode',
  'OperatorNode',
  'ParenthesisNode',
  'RangeNode',
  'RelationalNode',
];

/** Under mathjs's lib/cjs: the node types, the parser, and the BigNumber class (for 0x1F-style literals). */
export const MATHJS_PARSER_FILES: readonly string[] = [...MATHJS_NODE_TYPES.map((type) => `expression/node/${type}.js`), 'expression/parse.js', 'type/bignumber/BigNumber.js'];

/** The exports of one of MATHJS_PARSER_FILES. */
export function requireMathjsFile(path: string): Record<string, Factory> {
  if (!MATHJS_PARSER_FILES.includes(path)) throw new Error(`internal: ${path} is not one of mathjs's parser files`);
  const require = createRequire(import.meta.url);
  return require(join(dirname(require.resolve('mathjs/package.json')), 'lib', 'cjs', path)) as Record<string, Factory>;
}
