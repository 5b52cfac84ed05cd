/**
 * Request headers as the frameworks hand them over: a `Headers`, or a plain
 * object such as Node's `IncomingHttpHeaders` (any letter case; repeated
 * headers as arrays).
 *
 * @example
 * const headers: WebhookHeaders = { "flatpeak-signature": "v1=…", "flatpeak-timestamp": "1776847880" };
 */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * One header's value, case-insensitively; repeated values are joined with
 * ", " as `Headers` does. `undefined` when absent.
 *
 * @example
 * headerValue(request.headers, "Flatpeak-Timestamp"); // "1776847880"
 */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  const values = Object.entries(headers)
    .filter(([key, value]) => key.toLowerCase() === wanted && value !== undefined)
    .flatMap(([, value]) => value as string | string[]);
  return values.length === 0 ? undefined : values.join(", ");
}
