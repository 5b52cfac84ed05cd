const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The bytes of a base64url text (padding optional), or `undefined` when the
 * text is not base64url. Needs only `atob`, so it runs on every runtime.
 *
 * @example
 * decodeBase64Url("AQAB"); // Uint8Array [1, 0, 1]
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  const unpadded = text.replace(/=+$/, "");
  if (!BASE64URL.test(unpadded) || unpadded.length % 4 === 1) return undefined;
  const binary = atob(unpadded.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * base64url text without padding, as Flatpeak writes signatures.
 *
 * @example
 * encodeBase64Url(new Uint8Array([1, 0, 1])); // "AQAB"
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}
