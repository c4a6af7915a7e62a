/**
 * `npm ci` must not pull a package whose `engines.node` excludes the Node versions eomkit claims
 * (package.json `engines`, README "Node 20.19 or newer"): EBADENGINE warnings mean a dependency
 * may not run. Read from package-lock.json only (no network).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';
import { lowestVersions, satisfies } from './helpers/semverRange.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('the range reader', () => {
  // The examples of npm's semver documentation (https://github.com/npm/node-semver#advanced-range-syntax).
  it.each([
    ['1.2.3', '^1.2.3', true],
    ['1.9.9', '^1.2.3', true],
    ['2.0.0', '^1.2.3', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.9.0', '~1', true],
    ['14.17.0', '>=14.17', true],
    ['14.16.9', '>=14.17', false],
    ['12.5.0', '^10 || ^12 || >=14', true],
    ['13.0.0', '^10 || ^12 || >=14', false],
    ['12.0.0', '>= 12.0.0', true],
    ['20.18.9', '^20.19.0 || >=22.12.0', false],
    ['22.12.0', '^20.19.0 || >=22.12.0', true],
    ['5.0.0', '*', true],
  ])('%s satisfies %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('reads the lowest version of each alternative', () => {
    expect(lowestVersions('^20.19.0 || >=22.13.0')).toEqual(['20.19.0', '22.13.0']);
    expect(lowestVersions('>=20')).toEqual(['20.0.0']);
  });
});

describe('engines', () => {
  const supported = [...lowestVersions(pkg.engines.node), process.versions.node];

  it('the Node versions eomkit supports include the one running the tests', () => {
    expect(satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });

  it.each(supported)('every locked package admits Node %s', (node) => {
    const excluded: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || !entry.engines) continue;
      expect(Array.isArray(entry.engines), `${path}: engines as a list`).toBe(false);
      const range = (entry.engines as { node?: string }).node;
      if (range !== undefined && !satisfies(node, range)) excluded.push(`${path}@${entry.version} wants node ${range}`);
    }
    expect(excluded).toEqual([]);
  });
});
