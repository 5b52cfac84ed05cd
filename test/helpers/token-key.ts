/**
 * The key under which tokenStore keeps the token of a credential, computed
 * here as the README gives it (the first 128 bits of SHA-256 over a label,
 * the account id and the API key, base64url), independently of the code.
 */
import { createHash } from "node:crypto";

export function fingerprintOf(accountId: string, apiKey: string): string {
  return createHash("sha256").update(`flatpeak-client token key\u0000${accountId}\u0000${apiKey}`).digest().subarray(0, 16).toString("base64url");
}

export function tokenKeyOf(accountId: string, apiKey: string, baseUrl = "https://api.flatpeak.com"): string {
  return `flatpeak:token:${accountId}:${baseUrl}:${fingerprintOf(accountId, apiKey)}`;
}
