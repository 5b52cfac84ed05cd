/**
 * The fields of a JSON text read from a store, for the caller to check one by
 * one: none for no text (`undefined`, which is no JSON either), for text that
 * is not JSON, or for `null` (written by another version of the package, or
 * damaged), so that such a value reads as a miss instead of throwing.
 *
 * @example
 * const { token, expiresAt } = storedFields<StoredToken>(await store.get(key));
 */
export function storedFields<T>(text: string | undefined): Partial<T> {
  try {
    return (JSON.parse(String(text)) as Partial<T> | null) ?? {};
  } catch {
    return {};
  }
}
