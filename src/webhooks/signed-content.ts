/**
 * How Flatpeak signs a webhook delivery: RSA-PSS with a 32-byte salt (the
 * SHA-256 hash is set on the key).
 *
 * @example
 * await crypto.subtle.verify(SIGNATURE_PARAMS, key, signature, signedContent(timestamp, body));
 */
export const SIGNATURE_PARAMS = { name: "RSA-PSS", saltLength: 32 } as const;

/**
 * The bytes Flatpeak signs: the `Flatpeak-Timestamp` value, a dot, then the
 * raw body.
 *
 * @example
 * signedContent("1767225600", new TextEncoder().encode("{}")); // the bytes of "1767225600.{}"
 */
export function signedContent(timestamp: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = new TextEncoder().encode(`${timestamp}.`);
  const bytes = new Uint8Array(prefix.length + body.length);
  bytes.set(prefix);
  bytes.set(body, prefix.length);
  return bytes;
}
