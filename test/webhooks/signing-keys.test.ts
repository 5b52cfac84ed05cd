import { afterEach, describe, expect, it, vi } from "vitest";
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

  it("fetches Flatpeak's JWKS unless told another URL", async () => {
    const requested: string[] = [];
    const verifier = createWebhookVerifier({ fetch: async (input) => (requested.push(input), Response.json(current.jwks)) });
    await verifier.verify(body, await current.sign(body));
    expect(requested).toEqual(["https://api.flatpeak.com/jwks.json"]);
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

  it.each<[string, () => { status?: number; body: unknown }, string]>([
    ["an error status", () => ({ status: 503, body: { keys: [] } }), "answered 503"],
    ["JSON without a keys array", () => ({ body: { keys: "none" } }), "did not answer a JSON Web Key Set"],
    ["JSON null", () => ({ body: "null" }), "did not answer a JSON Web Key Set"],
    ["a JSON array", () => ({ body: [] }), "did not answer a JSON Web Key Set"],
  ])("says where the keys could not be fetched from, with the cause, for %s", async (_name, answer, cause) => {
    const jwksUrl = await jwksServer(answer);
    const error = await createWebhookVerifier({ jwksUrl }).verify(body, await current.sign(body)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: "keys_unavailable", message: `The webhook signing keys could not be fetched from ${jwksUrl}.` });
    expect(((error as Error).cause as Error).message).toBe(`${jwksUrl} ${cause}`);
  });

  it("asks for JSON under a signal, and leaves no timer behind", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const seen: RequestInit[] = [];
      const verifier = createWebhookVerifier({ jwksUrl: "https://keys.example.test/jwks.json", fetch: async (_input, init) => (seen.push(init), Response.json(current.jwks)) });
      await verifier.verify(body, await current.sign(body));
      expect(new Headers(seen[0]?.headers).get("accept")).toBe("application/json");
      expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each<[string, string | undefined, number, number]>([
    ["max-age in seconds", "public, max-age=3600", 3_599_000, 3_600_000],
    ["the 10-minute default without Cache-Control", undefined, 599_000, 600_000],
    ["max-age=0, expired at once", "max-age=0", -1, 0],
  ])("keeps the keys for %s", async (_name, cacheControl, stillFresh, expired) => {
    vi.useFakeTimers({ toFake: ["performance"] });
    try {
      const jwksUrl = await jwksServer(() => ({ body: current.jwks, headers: cacheControl === undefined ? {} : { "cache-control": cacheControl } }));
      const verifier = createWebhookVerifier({ jwksUrl, jwksCooldownMs: 0 });
      const headers = await current.sign(body);
      await verifier.verify(body, headers);
      if (stillFresh >= 0) {
        vi.advanceTimersByTime(stillFresh);
        await verifier.verify(body, headers);
        expect(server!.requests).toHaveLength(1);
      }
      vi.advanceTimersByTime(expired - Math.max(stillFresh, 0));
      await verifier.verify(body, headers);
      expect(server!.requests).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("waits out the cooldown to the millisecond before refetching for an unknown key id", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    try {
      const jwksUrl = await jwksServer(() => ({ body: current.jwks }));
      const verifier = createWebhookVerifier({ jwksUrl, jwksCooldownMs: 1000 });
      const forged = await current.sign(body, { kid: "wsk_forged" });
      expect(await reason(verifier.verify(body, forged))).toBe("unknown_key");
      vi.advanceTimersByTime(999);
      expect(await reason(verifier.verify(body, forged))).toBe("unknown_key");
      expect(server!.requests).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(await reason(verifier.verify(body, forged))).toBe("unknown_key");
      expect(server!.requests).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("skips keys it cannot import, matches nothing with a key it cannot use, and names an unknown key id, cut to 64 characters", async () => {
    const [key] = current.keys;
    const unusable = [{ ...key, kid: "wsk_ec", kty: "EC" }, { ...key, kid: 5 }, { ...key, kid: "wsk_broken", n: "AA" }] as unknown as JsonWebKey[];
    const verifier = createWebhookVerifier({ keys: [...unusable, ...current.keys] });
    expect((await verifier.verify(body, await current.sign(body))).type).toBe("location.update");
    for (const kid of ["wsk_ec", "5"]) expect(await reason(verifier.verify(body, await current.sign(body, { kid })))).toBe("unknown_key");
    expect(await reason(verifier.verify(body, await current.sign(body, { kid: "wsk_broken" })))).toBe("bad_signature");
    const long = `wsk_${"x".repeat(100)}`;
    const error = await verifier.verify(body, await current.sign(body, { kid: long })).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(`No webhook signing key has the id "${long.slice(0, 64)}" given in Flatpeak-Key-ID.`);
  });
});
