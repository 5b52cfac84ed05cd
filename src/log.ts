/**
 * One line of what the client did on its own: a login, a login that failed
 * (with the status Flatpeak answered, or the kind of failure when no answer
 * came), a retry, a second login after rejected credentials. Never carries
 * credentials; `url` is a path with secret query values masked.
 *
 * @example
 * const entry: FlatpeakLogEntry = { event: "retry", method: "GET", url: "/customers", attempt: 1, delayMs: 500, status: 503 };
 */
export type FlatpeakLogEntry =
  | { event: "login"; expiresInSeconds: number }
  | { event: "login_failed"; status?: number; kind?: string }
  | { event: "relogin"; method: string; url: string; status: number }
  | { event: "retry"; method: string; url: string; attempt: number; delayMs: number; status?: number; kind?: string };

/**
 * Receives a {@link FlatpeakLogEntry} for each thing worth logging. A hook
 * that throws is ignored: logging never changes the outcome of a call.
 *
 * @example
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, log: (entry) => console.debug("flatpeak", entry) });
 */
export type FlatpeakLogHook = (entry: FlatpeakLogEntry) => void;

/**
 * `hook` (a log hook, an `onError`), made unable to throw into its caller.
 *
 * @example
 * const log = shielded((entry) => JSON.stringify(entry)); // never throws
 */
export function shielded<T>(hook: ((value: T) => void) | undefined): ((value: T) => void) | undefined {
  return (
    hook &&
    ((value) => {
      try {
        hook(value);
      } catch {
        // A broken hook must not turn an outcome into a failure.
      }
    })
  );
}
