import { encodeBase64Url } from "../shared/base64url.js";

/**
 * A one-way fingerprint of a credential, for the key under which a store
 * keeps its token: the first 128 bits of SHA-256 over the account id and
 * the API key (after a label of this use), base64url-encoded. Different keys
 * of one account get different fingerprints; the key cannot be recovered
 * from one. Web Crypto only.
 *
 * @example
 * const fingerprint = await credentialFingerprint("acc_…", apiKey); // 22 characters, such as "k3JqN0x…"
 */
export async function credentialFingerprint(accountId: string, apiKey: string): Promise<string> {
  const bytes = new TextEncoder().encode(`flatpeak-client token key\u0000${accountId}\u0000${apiKey}`);
  return encodeBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).subarray(0, 16));
}
