/**
 * The test kit's webhook signer, made inside each test (not at module level),
 * so that a signer that cannot be made fails a test rather than a file load.
 */
import { describe, expect, it } from "vitest";
import { createTestEvent, createTestWebhookSigner } from "../../src/testing/index.js";
import { createWebhookVerifier } from "../../src/webhooks/index.js";

describe("createTestWebhookSigner", () => {
  it("makes a fresh RSA key pair whose public key verifies what it signs", async () => {
    const fresh = await createTestWebhookSigner({ kid: "wsk_fresh" });
    expect(fresh.keys).toEqual([expect.objectContaining({ kid: "wsk_fresh", kty: "RSA", use: "sig", alg: "PS256" })]);
    expect(fresh.jwks).toEqual({ keys: fresh.keys });
    const body = JSON.stringify(createTestEvent("device.update"));
    expect((await createWebhookVerifier({ keys: fresh.jwks }).verify(body, await fresh.sign(body))).type).toBe("device.update");
  });

  it("signs the exact bytes of a body given as bytes", async () => {
    const signer = await createTestWebhookSigner();
    const bytes = new TextEncoder().encode(JSON.stringify(createTestEvent("device.update")));
    const verifier = createWebhookVerifier({ keys: signer.jwks });
    expect((await verifier.verify(bytes, await signer.sign(bytes))).type).toBe("device.update");
  });

  it("names its key wsk_test_signer unless told otherwise", async () => {
    expect((await createTestWebhookSigner()).kid).toBe("wsk_test_signer");
  });
});
