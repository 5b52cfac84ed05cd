/**
 * Every key of `T`, each marked with a `V` (`true` unless the table tells
 * more): the table of an options object's keys that {@link checkKeys} takes,
 * which the compiler keeps complete.
 *
 * @example
 * const KEYS: EveryKey<{ timeoutMs?: number; maxRetries?: number }> = { timeoutMs: true, maxRetries: true };
 */
export type EveryKey<T, V = true> = { readonly [K in keyof Required<T>]: V };

/**
 * Refuses an options object that is not an object, or that holds a key
 * `known` does not list, with a `TypeError` from `where` that names the key,
 * says where it belongs when it is an option of something else (`elsewhere`:
 * the key and the call it goes in), or suggests the known key it is a typo
 * of (the first that begins or ends with the same four letters, in any
 * case), and lists the keys `where` takes — so that a mistake in a
 * configuration, from TypeScript or not, fails at startup instead of being
 * silently ignored.
 *
 * @example
 * checkKeys("createFlatpeakClient", { maxRetires: 5 }, { timeoutMs: true, maxRetries: true });
 * // TypeError: createFlatpeakClient: unknown option maxRetires; did you mean maxRetries? It takes timeoutMs, maxRetries.
 */
export function checkKeys(where: string, options: unknown, known: object, elsewhere: Readonly<Record<string, string>> = {}): void {
  const names = Object.keys(known);
  if (options === null || typeof options !== "object") throw new TypeError(`${where}: pass an object of { ${names.join(", ")} }.`);
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(known, key)) continue;
    const near = names.find((name) => alike(name, key));
    const fix = Object.hasOwn(elsewhere, key) ? `it belongs in ${elsewhere[key]}.` : near ? `did you mean ${near}?` : "leave it out.";
    throw new TypeError(`${where}: unknown option ${key.slice(0, 40)}; ${fix} It takes ${names.join(", ")}.`);
  }
}

/** Whether `name` and `key` begin or end with the same four letters, in any case. */
function alike(name: string, key: string): boolean {
  const [a, b] = [name.toLowerCase(), key.toLowerCase()];
  return a.slice(0, 4) === b.slice(0, 4) || a.slice(-4) === b.slice(-4);
}

/**
 * For {@link checkKeys}: each of `keys` belongs in `call`, given as
 * `call({ key })`.
 *
 * @example
 * belongsIn("createFlatpeakClient", ["timeoutMs"]); // { timeoutMs: "createFlatpeakClient({ timeoutMs })" }
 */
export function belongsIn(call: string, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, `${call}({ ${key} })`]));
}
