/**
 * Why a delivery was not handled:
 * - `missing_header`: a signature header is missing, empty or malformed (more than four `v1=` signatures included);
 * - `unsigned`: the delivery says `Flatpeak-Signature: none` and unsigned deliveries are not allowed;
 * - `unknown_scheme`: no signature of a scheme this package knows (`v1`);
 * - `unknown_key`: no usable signing key has the delivery's `Flatpeak-Key-ID`, even after refetching the keys;
 * - `stale` / `future`: the timestamp is further in the past / future than the tolerance;
 * - `bad_signature`: no signature matches the exact bytes received;
 * - `not_raw_body`: the body given was already parsed, so its bytes are lost;
 * - `invalid_payload`: the signed body is not a Flatpeak event;
 * - `keys_unavailable`: the signing keys could not be fetched;
 * - `body_too_large`: the body is longer than the handler's `maxBodyBytes`;
 * - `body_timeout`: the body did not arrive within the handler's deadline;
 * - `body_unreadable`: the body stream failed, or the sender went away before it ended;
 * - `handler_timeout`: the handlers did not settle within the deadline (they go on, and keep their claim);
 * - `store_unavailable`: the store of the router's claims could not be reached, or answered what the store contract does not allow;
 * - `lease_lost`: the router's claim on the event was lost while its handlers ran (they outlived the lease, or the store could not be reached to renew it), so nothing was written and another delivery may hold it now.
 *
 * @example
 * if (isFlatpeakWebhookError(error, "stale")) console.warn("replayed or late delivery");
 */
export type FlatpeakWebhookErrorReason =
  | "missing_header"
  | "unsigned"
  | "unknown_scheme"
  | "unknown_key"
  | "stale"
  | "future"
  | "bad_signature"
  | "not_raw_body"
  | "invalid_payload"
  | "keys_unavailable"
  | "body_too_large"
  | "body_timeout"
  | "body_unreadable"
  | "handler_timeout"
  | "store_unavailable"
  | "lease_lost";

/**
 * A webhook delivery that was not handled, with the `reason`. Its message
 * names what was wrong and never contains the body or key material.
 *
 * @example
 * try {
 *   await verifier.verify(rawBody, request.headers);
 * } catch (error) {
 *   if (isFlatpeakWebhookError(error)) return Response.json({ error: "invalid_webhook" }, { status: 400 });
 *   throw error;
 * }
 */
export class FlatpeakWebhookError extends Error {
  override readonly name = "FlatpeakWebhookError" as const;
  readonly reason: FlatpeakWebhookErrorReason;

  constructor(reason: FlatpeakWebhookErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * True when `value` is a {@link FlatpeakWebhookError} — also one from another
 * copy of this package, such as its CommonJS build in an ES module app —
 * optionally of the given `reason`.
 *
 * @example
 * if (isFlatpeakWebhookError(error, "keys_unavailable")) console.warn("Flatpeak's signing keys are unreachable");
 */
export function isFlatpeakWebhookError(value: unknown, reason?: FlatpeakWebhookErrorReason): value is FlatpeakWebhookError {
  const isOne = value instanceof FlatpeakWebhookError || (value instanceof Error && value.name === "FlatpeakWebhookError" && typeof (value as { reason?: unknown }).reason === "string");
  return isOne && (reason === undefined || (value as FlatpeakWebhookError).reason === reason);
}
