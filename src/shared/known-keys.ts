/**
 * Refuses an options object that holds a key `known` does not list, with a
 * `TypeError` from `where` that names the key, says which plugin took it
 * when it moved to one (`moved`: the key and the plugin call it goes in),
 * or suggests the known key it is a typo of (the first that begins or ends
 * with the same four letters, in any case), and lists the keys `where`
 * takes — so that a mistake in a configuration, from TypeScript or not, fails at
 * startup instead of being silently ignored.
 *
 * @example
 * checkKeys("createFlatpeakClient", { maxRetires: 5 }, ["timeoutMs", "maxRetries"]);
 * // TypeError: createFlatpeakClient: unknown option maxRetires; did you mean maxRetries? It takes timeoutMs, maxRetries.
 */
export function checkKeys(where: string, options: object, known: readonly string[], moved: Readonly<Record<string, string>> = {}): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = known.find((name) => alike(name, key));
    const fix = Object.hasOwn(moved, key) ? `it moved to ${moved[key]}.` : near ? `did you mean ${near}?` : "leave it out.";
    throw new TypeError(`${where}: unknown option ${key.slice(0, 40)}; ${fix} It takes ${known.join(", ")}.`);
  }
}

/** Whether `name` and `key` begin or end with the same four letters, in any case. */
function alike(name: string, key: string): boolean {
  const [a, b] = [name.toLowerCase(), key.toLowerCase()];
  return a.slice(0, 4) === b.slice(0, 4) || a.slice(-4) === b.slice(-4);
}
