/**
 * `record[key]` for a key the program derived from its own config (a deploy
 * Region, an environment's name): a missing entry is a bug, reported with the
 * key and the keys there are instead of flowing on as `undefined` into a
 * resource's inputs.
 */
export function entryOf<V>(record: Readonly<Record<string, V>>, key: string, what: string): V {
  const value = record[key];
  if (value === undefined) {
    const known = Object.keys(record).join(", ");
    throw new Error(`${what} ${key} is missing (there are: ${known === "" ? "none" : known})`);
  }
  return value;
}

/** The first of a list the config validation keeps non-empty; an empty one is a bug, named by `what`. */
export function firstOf<T>(list: readonly T[], what: string): T {
  const [first] = list;
  if (first === undefined) throw new Error(`${what} is empty`);
  return first;
}

/** `record` with `f` applied to each value, its keys and their order kept. */
export function mapValues<V, W>(
  record: Readonly<Record<string, V>>,
  f: (value: V) => W,
): Record<string, W> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}

/** `list[index]` where the caller sized the list itself (one entry per item of a layout): a short one is a bug, named by `what`. */
export function itemAt<T>(list: readonly T[], index: number, what: string): T {
  const item = list[index];
  if (item === undefined)
    throw new Error(`${what} ${index + 1} is missing (there are ${list.length})`);
  return item;
}
