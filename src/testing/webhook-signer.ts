import type { components } from "../../generated/flatpeak.js";
import { FLATPEAK_API_VERSION } from "../client/version.js";
import { encodeBase64Url } from "../shared/base64url.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import { SIGNATURE_PARAMS, signedContent } from "../webhooks/signed-content.js";

/**
 * Signs webhook deliveries the way Flatpeak does, with a key pair of its own,
 * so an app can test its webhook endpoint without Flatpeak.
 *
 * @example
 * const signer = await createTestWebhookSigner();
 * const verifier = createWebhookVerifier({ keys: signer.jwks });
 */
export interface TestWebhookSigner {
  /** Key id of the signing key, sent as `Flatpeak-Key-ID`. */
  kid: string;
  /** The public key, as one JSON Web Key of the spec's shape (`kty`, `kid`, `n`, `e`, `use`, `alg`). */
  keys: Array<components["schemas"]["JsonWebKey"]>;
  /** The public key as a JSON Web Key Set, exactly as `GET /jwks.json` answers it (so it fits the mock's answer). */
  jwks: components["schemas"]["JsonWebKeySet"];
  /** The headers of a delivery of `body` (a string is UTF-8 encoded); `timestamp` in Unix seconds, default now. */
  sign(body: string | Uint8Array, options?: { timestamp?: number; kid?: string }): Promise<Record<string, string>>;
}

const SIGNER_KEYS: EveryKey<{ kid?: string }> = { kid: true };
const SIGN_KEYS: EveryKey<{ timestamp?: number; kid?: string }> = { timestamp: true, kid: true };
const ALGORITHM = { name: "RSA-PSS", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } as const;

/**
 * Creates a {@link TestWebhookSigner} with a fresh RSA-2048 key pair (Web
 * Crypto), signing with RSA-PSS, SHA-256 and a 32-byte salt like Flatpeak.
 *
 * @example
 * import { createTestWebhookSigner } from "flatpeak-client/testing";
 *
 * const signer = await createTestWebhookSigner();
 * const body = JSON.stringify(createTestEvent("tariff.expired"));
 * const response = await fetch("http://localhost:3000/webhooks", { method: "POST", body, headers: await signer.sign(body) });
 */
export async function createTestWebhookSigner(options: { kid?: string } = {}): Promise<TestWebhookSigner> {
  checkKeys("createTestWebhookSigner", options, SIGNER_KEYS);
  const kid = options.kid ?? "wsk_test_signer";
  // Stryker disable next-line BooleanLiteral: a public key exports whether or not the pair is extractable
  const pair = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  // Stryker disable next-line StringLiteral: the JWK of an RSA public key always has n and e; the defaults only satisfy the type
  const { n = "", e = "" } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const publicKey = { kty: "RSA", kid, use: "sig", alg: "PS256", n, e };
  return {
    kid,
    keys: [publicKey],
    jwks: { keys: [publicKey] },
    async sign(body, signOptions = {}) {
      checkKeys("signer.sign", signOptions, SIGN_KEYS);
      const timestamp = String(signOptions.timestamp ?? Math.floor(Date.now() / 1000));
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
      const signature = new Uint8Array(await crypto.subtle.sign(SIGNATURE_PARAMS, pair.privateKey, signedContent(timestamp, bytes)));
      return {
        "Flatpeak-Signature": `v1=${encodeBase64Url(signature)}`,
        "Flatpeak-Signature-Scheme": "v1",
        "Flatpeak-Timestamp": timestamp,
        "Flatpeak-Key-ID": signOptions.kid ?? kid,
        "Flatpeak-Version": FLATPEAK_API_VERSION,
        "Content-Type": "application/json",
      };
    },
  };
}
