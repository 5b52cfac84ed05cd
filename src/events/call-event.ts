import type { FlatpeakErrorKind } from "../errors/errors.js";

/**
 * What every event of a call carries.
 *
 * @example
 * const base: CallEventBase = { callId: "fp_3f9a1c.17", method: "POST", operation: "POST /prices/{id}", apiVersion: "2025-09-14.anode" };
 */
export interface CallEventBase {
  /** The same for every event of one call, and for no other call. */
  callId: string;
  method: string;
  /** Method and path template, e.g. `POST /prices/{id}`: ids stay out of it. */
  operation: string;
  /** The `Flatpeak-Version` the call sent. */
  apiVersion: string;
}

/**
 * One event of the client's work, as `callEvents({ onEvent })` reports it:
 * - `call_start`: a call began;
 * - `attempt_end`: one attempt ended: its `status` (and Flatpeak's `code` of
 *   a non-2xx answer), or the `errorKind` of a failure without an answer;
 *   when it will be sent again, `retryInMs` and `retryReason`;
 * - `call_end`: the call ended: `outcome`, the final `status`, `code` or
 *   `errorKind`, `durationMs` in all and the number of `attempts`;
 * - `relogin`: Flatpeak rejected the call's token (401, or 403
 *   `access_denied`) and the client logs in once more;
 * - `login` / `login_failed`: a login of the client (for any call), and one
 *   that failed, with the status Flatpeak answered or the kind of failure;
 * - `token_shared`: a token another process logged in for, read from the
 *   `tokenStore` (`flatpeak-client/fleet`) instead of logging in;
 * - `token_store_failed`: the token store failed or was too slow (`action`:
 *   `read`, `write`, `lock` or `delete`), so the process logged in by itself.
 *
 * No event holds a body, a header value other than the API version, a
 * token, a key, a `connect_token` or a filled-in path.
 *
 * @example
 * const event: FlatpeakCallEvent = { type: "call_end", callId: "fp_3f9a1c.17", method: "GET", operation: "GET /customers/{id}", apiVersion: "2025-09-14.anode", outcome: "http_error", status: 404, code: "not_found", durationMs: 41.2, attempts: 1 };
 */
export type FlatpeakCallEvent =
  | ({ type: "call_start" } & CallEventBase)
  | ({ type: "attempt_end"; attempt: number; durationMs: number; status?: number; code?: string; errorKind?: FlatpeakErrorKind; retryInMs?: number; retryReason?: string } & CallEventBase)
  | ({ type: "call_end"; outcome: "ok" | "http_error" | "failed"; status?: number; code?: string; errorKind?: FlatpeakErrorKind; durationMs: number; attempts: number } & CallEventBase)
  | ({ type: "relogin"; status: number } & CallEventBase)
  | { type: "login" | "token_shared"; operation: "GET /login"; expiresInSeconds: number }
  | { type: "login_failed"; operation: "GET /login"; status?: number; errorKind?: FlatpeakErrorKind | "unknown" }
  | { type: "token_store_failed"; operation: "GET /login"; action: "read" | "write" | "lock" | "delete" };

/**
 * The event of one `type`.
 *
 * @example
 * function slowest(events: FlatpeakCallEventOf<"call_end">[]) {
 *   return events.reduce((slow, event) => (event.durationMs > slow.durationMs ? event : slow));
 * }
 */
export type FlatpeakCallEventOf<T extends FlatpeakCallEvent["type"]> = Extract<FlatpeakCallEvent, { type: T }>;
