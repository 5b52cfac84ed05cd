/**
 * Why a delivery was refused:
 * - `missing_header`: a signature header is missing, empty or malformed;
 * - `unsigned`: the delivery says `Flatpeak-Signature: none` and unsigned deliveries are not allowed;
 * - `unknown_scheme`: no signature of a scheme this package knows (`v1`);
 * - `unknown_key`: no signing key has the delivery's `Flatpeak-Key-ID`, even after refetching the keys;
 * - `stale` / `future`: the timestamp is further in the past / future than the tolerance;
 * - `bad_signature`: no signature matches the exact bytes received;
 * - `not_raw_body`: the body given was already parsed, so its bytes are lost;
 * - `invalid_payload`: the signed body is not a Flatpeak event;
 * - `keys_unavailable`: the signing keys could not be fetched.
 *
 * @example
 * if (error instanceof FlatpeakWebhookError && error.reason === "stale") console.warn("replayed or late delivery");
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
  | "keys_unavailable";

/**
 * A webhook delivery that cannot be trusted, with the `reason`. Its message
 * names what was wrong and never contains the body or key material.
 *
 * @example
 * try {
 *   await verifier.verify(rawBody, request.headers);
 * } catch (error) {
 *   if (error instanceof FlatpeakWebhookError) return new Response(null, { status: 400 });
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
