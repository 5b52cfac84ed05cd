/**
 * One line of what the client did on its own: a login, a retry, a second
 * login after rejected credentials. Never carries credentials.
 *
 * @example
 * const entry: FlatpeakLogEntry = { event: "retry", method: "GET", url: "/customers", attempt: 1, delayMs: 500, status: 503 };
 */
export type FlatpeakLogEntry =
  | { event: "login"; expiresInSeconds: number }
  | { event: "relogin"; method: string; url: string; status: number }
  | { event: "retry"; method: string; url: string; attempt: number; delayMs: number; status?: number; kind?: string };

/**
 * Receives a {@link FlatpeakLogEntry} for each thing worth logging.
 *
 * @example
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, log: (entry) => console.debug("flatpeak", entry) });
 */
export type FlatpeakLogHook = (entry: FlatpeakLogEntry) => void;
