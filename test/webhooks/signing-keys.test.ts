import { afterEach, describe, expect, it } from "vitest";
import { createTestEvent, createTestWebhookSigner } from "../../src/testing/index.js";
import { FlatpeakWebhookError, createWebhookVerifier } from "../../src/webhooks/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

const current = await createTestWebhookSigner({ kid: "wsk_test_current" });
const next = await createTestWebhookSigner({ kid: "wsk_test_next" });
const body = JSON.stringify(createTestEvent("location.update"));
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A JWKS endpoint whose answer the test changes as it goes. */
async function jwksServer(answer: () => { status?: number; body: unknown; headers?: Record<string, string> } | "hang") {
  server = await startLocalServer((_request, response) => {
    const reply = answer();
    if (reply === "hang") return;
    if (typeof reply.body === "string") {
      response.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      response.end(reply.body);
    } else json(response, reply.status ?? 200, reply.body, reply.headers);
  });
  return `${server.baseUrl}/jwks.json`;
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(FlatpeakWebhookError);
  return (error as FlatpeakWebhookError).reason;
}

describe("the signing key cache", () => {
  it("fetches the JWKS once for 100 concurrent verifications on a cold cache", async () => {
    const jwksUrl = await jwksServer(() => ({ body: current.jwks }));
    const verifier = createWebhookVerifier({ jwksUrl });
    const headers = await current.sign(body);
    await Promise.all(Array.from({ length: 100 }, () => verifier.verify(body, headers)));
    expect(server!.requests).toHaveLength(1);
  });

  it("honours Cache-Control max-age, and refetches after it", async () => {
    let maxAge = "3600";
    const jwksUrl = await jwksServer(() => ({ body: current.jwks, headers: { "cache-control": `public, max-age=${maxAge}` } }));
    const verifier = createWebhookVerifier({ jwksUrl, jwksCooldownMs: 0 });
    const headers = await current.sign(body);
    for (let i = 0; i < 3; i++) await verifier.verify(body, headers);
    expect(server!.requests).toHaveLength(1);
    const expiring = createWebhookVerifier({ jwksUrl, jwksCooldownMs: 0 });
    maxAge = "0";
    for (let i = 0; i < 3; i++) await expiring.verify(body, headers);
    expect(server!.requests).toHaveLength(4);
  });

  it("refetches once for an unknown key id, and picks up a rotated key after the cooldown", async () => {
    let keys = current.keys;
    const jwksUrl = await jwksServer(() => ({ body: { keys } }));
    const verifier = createWebhookVerifier({ jwksUrl, jwksCooldownMs: 100 });
    await verifier.verify(body, await current.sign(body));
    const fromNext = await next.sign(body);
    expect(await reason(verifier.verify(body, fromNext))).toBe("unknown_key");
    expect(server!.requests).toHaveLength(1);
    keys = [...current.keys, ...next.keys];
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await verifier.verify(body, fromNext)).type).toBe("location.update");
    expect(server!.requests).toHaveLength(2);
  });

  it("lets forged key ids cause at most one fetch per cooldown", async () => {
    const jwksUrl = await jwksServer(() => ({ body: current.jwks }));
    const verifier = createWebhookVerifier({ jwksUrl });
    await verifier.verify(body, await current.sign(body));
    for (let i = 0; i < 50; i++) expect(await reason(verifier.verify(body, await current.sign(body, { kid: `wsk_forged_${i}` })))).toBe("unknown_key");
    expect(server!.requests.length).toBeLessThanOrEqual(2);
  });

  it.each<[string, () => { status?: number; body: unknown } | "hang"]>([
    ["down", () => ({ status: 503, body: { code: "unavailable" } })],
    ["slow", () => "hang"],
    ["answering garbage", () => ({ body: "<html>not a key set</html>" })],
    ["answering JSON without keys", () => ({ body: { keys: "none" } })],
  ])("reports keys_unavailable when the JWKS is %s, within the timeout", async (_name, answer) => {
    const jwksUrl = await jwksServer(answer);
    const verifier = createWebhookVerifier({ jwksUrl, jwksTimeoutMs: 200 });
    const startedAt = performance.now();
    expect(await reason(verifier.verify(body, await current.sign(body)))).toBe("keys_unavailable");
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });

  it("keeps using the keys it has when a refetch fails", async () => {
    let healthy = true;
    const jwksUrl = await jwksServer(() => (healthy ? { body: current.jwks, headers: { "cache-control": "max-age=0" } } : { status: 500, body: {} }));
    const verifier = createWebhookVerifier({ jwksUrl, jwksCooldownMs: 0 });
    const headers = await current.sign(body);
    await verifier.verify(body, headers);
    healthy = false;
    expect((await verifier.verify(body, headers)).type).toBe("location.update");
    expect(server!.requests.length).toBeGreaterThanOrEqual(2);
  });

  it("uses the fetch option for the JWKS", async () => {
    const requested: string[] = [];
    const verifier = createWebhookVerifier({
      jwksUrl: "https://keys.example.test/jwks.json",
      fetch: async (input) => {
        requested.push(input);
        return Response.json(current.jwks);
      },
    });
    await verifier.verify(body, await current.sign(body));
    expect(requested).toEqual(["https://keys.example.test/jwks.json"]);
  });
});
