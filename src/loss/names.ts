/**
 * Records keyed by a user's names (parameters, constants, loop variables). Any string may be such
 * a name, `__proto__`, `constructor` and `toString` included, so these records are read through
 * their own properties only and built without a prototype: a name is only ever a key.
 *
 * @example
 *   const r = nameRecord({ constructor: 1 });   // no prototype: r.toString is undefined
 *   ownValue({ x: 1 }, 'toString')              // undefined (Object.prototype is not looked at)
 *   nameMap(JSON.parse('{"__proto__": 2}'))     // Map { '__proto__' => 2 }
 */

/** Name → value, as a record or a Map. */
export type NameValues<T> = Readonly<Record<string, T>> | ReadonlyMap<string, T>;

/** The value of a name if the record itself holds it (never an inherited property). */
export function ownValue<T>(record: NameValues<T> | undefined, name: string): T | undefined {
  if (record === undefined) return undefined;
  if (record instanceof Map) return (record as ReadonlyMap<string, T>).get(name);
  return Object.hasOwn(record, name) ? (record as Readonly<Record<string, T>>)[name] : undefined;
}

/** The own entries, in order, as a Map. */
export function nameMap<T>(values: NameValues<T> | undefined): Map<string, T> {
  if (values === undefined) return new Map();
  if (values instanceof Map) return new Map(values as ReadonlyMap<string, T>);
  return new Map(Object.entries(values as Readonly<Record<string, T>>));
}

/** A copy without a prototype: every name, `__proto__` included, is an own key. */
export function nameRecord<T>(values?: NameValues<T> | Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (values === undefined) return out;
  const entries = values instanceof Map || Symbol.iterator in values ? (values as Iterable<readonly [string, T]>) : Object.entries(values as Readonly<Record<string, T>>);
  for (const [k, v] of entries) out[k] = v;
  return out;
}
