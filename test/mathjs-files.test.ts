/**
 * src/syntax/mathjsFiles.ts: the table of mathjs's files the parser loads by path (and that the CLI
 * bundle inlines). Truth: mathjs's own factory naming, create<Name> in the file <Name>.js, and its
 * package layout; and the parser built from them agrees with the whole library's parse.
 */
import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { MATHJS_NODE_TYPES, MATHJS_PARSER_FILES, requireMathjsFile } from '../src/syntax/mathjsFiles.js';
import { mathjsParse } from '../src/syntax/mathjsParser.js';

describe('mathjs parser files', () => {
  it('each node type file exports its factory, create<Type>, which names its dependencies', () => {
    for (const type of MATHJS_NODE_TYPES) {
      const factory = requireMathjsFile(`expression/node/${type}.js`)[`create${type}`] as unknown as { dependencies: string[] };
      expect(typeof factory, type).toBe('function');
      expect(Array.isArray(factory.dependencies), type).toBe(true);
    }
  });

  it('every node type comes after the node types its factory depends on', () => {
    MATHJS_NODE_TYPES.forEach((type, i) => {
      const { dependencies } = requireMathjsFile(`expression/node/${type}.js`)[`create${type}`] as unknown as { dependencies: string[] };
      for (const dep of dependencies.map((d) => d.replace(/^\?/, ''))) {
        const j = MATHJS_NODE_TYPES.indexOf(dep);
        if (j >= 0) expect(j, `${type} needs ${dep}`).toBeLessThan(i);
      }
    });
  });

  it('the parser and the BigNumber class are listed and load', () => {
    expect(MATHJS_PARSER_FILES).toContain('expression/parse.js');
    expect(typeof requireMathjsFile('expression/parse.js')['createParse']).toBe('function');
    expect(typeof requireMathjsFile('type/bignumber/BigNumber.js')['createBigNumberClass']).toBe('function');
  });

  it('a file outside the table is refused, whatever mathjs has', () => {
    expect(() => requireMathjsFile('index.js')).toThrow(/not one of mathjs's parser files/);
    expect(() => requireMathjsFile('../../package.json')).toThrow(/not one of mathjs's parser files/);
  });

  it('the parser built from these files prints as the whole library does', () => {
    for (const source of ['2*x + 0.5', 'exp(-x*y)/(1 + x^2)', 'x^2*y - 3*sin(y)', '-(x - 1)^3']) {
      expect(mathjsParse(source).toString()).toBe(parse(source).toString());
    }
  });
});
