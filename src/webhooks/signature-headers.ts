import { decodeBase64Url } from "../shared/base64url.js";
import { FlatpeakWebhookError } from "./errors.js";
import { headerValue, type WebhookHeaders } from "./headers.js";

/**
 * The most `v1=` signatures a delivery may carry: one per signing key in
 * rotation, so that no delivery costs more than a few RSA checks.
 *
 * @example
 * if (values.length > MAX_SIGNATURES) throw new FlatpeakWebhookError("missing_header", "too many signatures");
 */
export const MAX_SIGNATURES = 4;

/**
 * The delivery's `Flatpeak-Timestamp`, when it is a Unix time within
 * `toleranceMs` of now, both ways; otherwise why not (`missing_header`,
 * `stale`, `future`).
 *
 * @example
 * const timestamp = readTimestamp(headers, 300_000);
 */
export function readTimestamp(headers: WebhookHeaders, toleranceMs: number): string {
  const timestamp = headerValue(headers, "Flatpeak-Timestamp")?.trim();
  if (!timestamp) throw missing("Flatpeak-Timestamp");
  if (!/^\d{1,12}$/.test(timestamp)) throw new FlatpeakWebhookError("missing_header", "Flatpeak-Timestamp is not a Unix time in seconds.");
  const ageMs = Date.now() - Number(timestamp) * 1000;
  if (ageMs > toleranceMs) throw new FlatpeakWebhookError("stale", `The delivery was signed ${Math.round(ageMs / 1000)} s ago, more than the tolerance allows; it may be a replay.`);
  if (-ageMs > toleranceMs) throw new FlatpeakWebhookError("future", `The delivery is signed ${Math.round(-ageMs / 1000)} s in the future, more than the tolerance allows; check this machine's clock.`);
  return timestamp;
}

/**
 * The decoded `v1=` signatures of the header; several may be present while
 * keys rotate, never more than {@link MAX_SIGNATURES}.
 *
 * @example
 * const signatures = v1Signatures(headers, headerValue(headers, "Flatpeak-Signature") ?? "");
 */
export function v1Signatures(headers: WebhookHeaders, header: string): Uint8Array<ArrayBuffer>[] {
  const scheme = headerValue(headers, "Flatpeak-Signature-Scheme")?.trim();
  if (scheme !== undefined && scheme !== "v1") throw new FlatpeakWebhookError("unknown_scheme", `Flatpeak-Signature-Scheme "${scheme.slice(0, 16)}" is not one this package verifies (v1).`);
  const values = header
    .split(/[\s,]/)
    .filter((part) => part.startsWith("v1="))
    .map((part) => decodeBase64Url(part.slice(3)));
  if (values.length === 0) throw new FlatpeakWebhookError("unknown_scheme", "Flatpeak-Signature holds no v1= signature.");
  if (values.length > MAX_SIGNATURES) throw new FlatpeakWebhookError("missing_header", `Flatpeak-Signature holds ${values.length} v1= signatures; a delivery carries at most ${MAX_SIGNATURES} (one per signing key in rotation).`);
  const decoded = values.filter((value): value is Uint8Array<ArrayBuffer> => value !== undefined && value.length > 0);
  if (decoded.length === 0) throw new FlatpeakWebhookError("missing_header", "Flatpeak-Signature holds a v1= value that is not base64url.");
  return decoded;
}

/**
 * The refusal of a delivery without `header`.
 *
 * @example
 * if (!header) throw missing("Flatpeak-Key-ID");
 */
export function missing(header: string): FlatpeakWebhookError {
  return new FlatpeakWebhookError("missing_header", `The delivery has no ${header} header. Pass all request headers, as a Headers or a plain object.`);
}
