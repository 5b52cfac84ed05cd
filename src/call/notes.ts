import type { FlatpeakErrorKind } from "../errors.js";
import type { OutgoingRequest } from "../outgoing-request.js";
import type { Outcome } from "../retry-policy.js";

/**
 * What the client tells the plugins that listen of what it did on its own,
 * with no call behind it: a login, and a login that failed (with the status
 * Flatpeak answered, or the kind of failure when no answer came).
 *
 * @example
 * const note: ClientNote = { type: "login", expiresInSeconds: 3600 };
 */
export type ClientNote = { type: "login"; expiresInSeconds: number } | { type: "login_failed"; status?: number; kind?: FlatpeakErrorKind | "unknown" };

/**
 * What the steps of a call tell the plugins that observe it: each attempt
 * as it ended (and the wait before the next one, when there is one), and a
 * second login after Flatpeak rejected the call's token.
 *
 * @example
 * call.note?.({ type: "relogin", status: 401 });
 */
export type CallNote =
  | { type: "attempt"; request: OutgoingRequest; attempt: number; startedAt: number; outcome: Outcome; retryInMs: number | undefined }
  | { type: "relogin"; status: number };
