/**
 * A small reader of npm's `engines` ranges (no dependency, no network): `*`, `||`, space-separated
 * comparators, `>= > <= < =`, caret `^` and tilde `~`, partial versions (`20`, `14.17`).
 * It covers the range syntax package-lock.json uses; anything else throws, so a new form is noticed.
 *
 * @example
 *   satisfies('20.19.0', '^20.19.0 || >=22.12.0') // true
 *   satisfies('20.19.0', '>=22.12.0')             // false
 */
type Version = [number, number, number];

export function parseVersion(v: string): Version {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  if (!m) throw new Error(`not a version: "${v}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** One comparator as a test on versions; partial versions are filled with zeros (and bound `^`, `~`). */
function comparator(token: string): (v: Version) => boolean {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(token);
  if (!m) throw new Error(`unsupported range comparator "${token}"`);
  const op = m[1] ?? '=';
  const parts = [m[2], m[3], m[4]].filter((x) => x !== undefined).map(Number);
  const base: Version = [parts[0]!, parts[1] ?? 0, parts[2] ?? 0];
  const below = (upper: Version) => (v: Version) => compare(v, base) >= 0 && compare(v, upper) < 0;
  switch (op) {
    case '>=':
      return (v) => compare(v, base) >= 0;
    case '>':
      return (v) => compare(v, base) > 0;
    case '<=':
      return (v) => compare(v, base) <= 0;
    case '<':
      return (v) => compare(v, base) < 0;
    case '^':
      // ^1.2.3 < 2.0.0; ^0.2.3 < 0.3.0; ^0.0.3 < 0.0.4 (the left-most non-zero part is fixed)
      if (base[0] > 0 || parts.length === 1) return below([base[0] + 1, 0, 0]);
      if (base[1] > 0 || parts.length === 2) return below([0, base[1] + 1, 0]);
      return below([0, 0, base[2] + 1]);
    case '~':
      return parts.length === 1 ? below([base[0] + 1, 0, 0]) : below([base[0], base[1] + 1, 0]);
    default:
      // a bare partial version is an X-range: 20 is >=20.0.0 <21.0.0
      if (parts.length === 1) return below([base[0] + 1, 0, 0]);
      if (parts.length === 2) return below([base[0], base[1] + 1, 0]);
      return (v) => compare(v, base) === 0;
  }
}

export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split('||').some((alternative) => {
    const set = alternative.trim().replace(/(>=|<=|>|<|=)\s+/g, '$1');
    if (set === '' || set === '*' || set === 'x') return true;
    return set.split(/\s+/).every((c) => comparator(c)(v));
  });
}

/**
 * The lowest version each alternative of a range admits (its lower bound), e.g. the oldest Node 20
 * and Node 22 a package supports.
 *
 * @example
 *   lowestVersions('^20.19.0 || >=22.13.0') // ['20.19.0', '22.13.0']
 */
export function lowestVersions(range: string): string[] {
  return range.split('||').map((alternative) => {
    const m = /(?:>=|\^|~|=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(alternative.trim());
    if (!m || /^\s*[<>](?!=)/.test(alternative)) throw new Error(`no lower bound in "${alternative}"`);
    return `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}`;
  });
}
