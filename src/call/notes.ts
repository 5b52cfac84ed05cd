import type { FlatpeakErrorKind } from "../errors/errors.js";
import type { OutgoingRequest } from "../http/outgoing-request.js";
import type { Outcome } from "./retry-policy.js";

/**
 * What the client tells the plugins that listen of what it did on its own,
 * with no call behind it: a login, a token shared by another process
 * through a store, a login that failed (with the status Flatpeak answered,
 * or the kind of failure when no answer came), and a token store that
 * failed or was too slow, so that the process logged in by itself.
 *
 * @example
 * const note: ClientNote = { type: "login", expiresInSeconds: 3600 };
 */
export type ClientNote =
  | { type: "login" | "token_shared"; expiresInSeconds: number }
  | { type: "login_failed"; status?: number; kind?: FlatpeakErrorKind | "unknown" }
  | { type: "token_store_failed"; action: "read" | "write" | "lock" | "delete" };

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
