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
