import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestEvent, createTestWebhookSigner } from "../../src/testing/index.js";
import { encodeBase64Url } from "../../src/shared/base64url.js";
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
    ["an error status", () => ({ status: 503, body: { keys: [] } }), "answered 503, not 200 with the key set"],
    ["another 2xx status", () => ({ status: 203, body: current.jwks }), "answered 203, not 200 with the key set"],
    ["a 400", () => ({ status: 400, body: {} }), "answered 400, not 200 with the key set"],
    ["a 300", () => ({ status: 300, body: {} }), "answered 300 (a redirect, which is never followed), not 200 with the key set"],
    ["a 399", () => ({ status: 399, body: {} }), "answered 399 (a redirect, which is never followed), not 200 with the key set"],
    ["a body that is not JSON", () => ({ body: "<html>" }), "answered 200 with a body that is not JSON"],
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

  it("skips keys it cannot import or use, and names an unknown key id, cut to 64 characters", async () => {
    const [key] = current.keys;
    const unusable = [{ ...key, kid: "wsk_ec", kty: "EC" }, { ...key, kid: 5 }, { ...key, kid: "wsk_broken", n: "AA" }] as unknown as JsonWebKey[];
    const verifier = createWebhookVerifier({ keys: [...unusable, ...current.keys] });
    expect((await verifier.verify(body, await current.sign(body))).type).toBe("location.update");
    for (const kid of ["wsk_ec", "5", "wsk_broken"]) expect(await reason(verifier.verify(body, await current.sign(body, { kid })))).toBe("unknown_key");
    const long = `wsk_${"x".repeat(100)}`;
    const error = await verifier.verify(body, await current.sign(body, { kid: long })).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(`No webhook signing key has the id "${long.slice(0, 64)}" given in Flatpeak-Key-ID.`);
  });
});

describe("keys, as strictly as jose", () => {
  /** A key pair of its own, signed and described as `change` says. */
  async function keyWith(change: (jwk: JsonWebKey) => JsonWebKey, modulusLength = 2048) {
    const pair = await crypto.subtle.generateKey({ name: "RSA-PSS", hash: "SHA-256", modulusLength, publicExponent: new Uint8Array([1, 0, 1]) }, true, ["sign", "verify"]);
    const { key_ops: _ops, ext: _ext, ...exported } = await crypto.subtle.exportKey("jwk", pair.publicKey);
    const jwk = change({ ...exported, kid: "wsk_test_candidate" } as JsonWebKey);
    const payload = JSON.stringify(createTestEvent("tariff.expired"));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "RSA-PSS", saltLength: 32 }, pair.privateKey, new TextEncoder().encode(`${timestamp}.${payload}`)));
    const headers = { "Flatpeak-Signature": `v1=${encodeBase64Url(signature)}`, "Flatpeak-Timestamp": timestamp, "Flatpeak-Key-ID": "wsk_test_candidate" };
    return { jwk, payload, headers };
  }

  it.each<[string, (jwk: JsonWebKey) => JsonWebKey, number, string]>([
    ["with alg PS256, use sig and key_ops verify", (jwk) => ({ ...jwk, alg: "PS256", use: "sig", key_ops: ["verify"] }), 2048, "tariff.expired"],
    ["without alg, use or key_ops", (jwk) => jwk, 2048, "tariff.expired"],
    ["of 3,072 bits", (jwk) => jwk, 3072, "tariff.expired"],
    ["labelled alg RS256", (jwk) => ({ ...jwk, alg: "RS256" }), 2048, "unknown_key"],
    ["labelled use enc", (jwk) => ({ ...jwk, use: "enc" }), 2048, "unknown_key"],
    ["whose key_ops lack verify", (jwk) => ({ ...jwk, key_ops: ["encrypt"] }), 2048, "unknown_key"],
    ["whose key_ops is not a list", (jwk) => ({ ...jwk, key_ops: "verify" as never }), 2048, "unknown_key"],
    ["of 1,024 bits", (jwk) => jwk, 1024, "unknown_key"],
  ])("uses an RSA key %s only as jose would", async (_name, change, bits, outcome) => {
    const { jwk, payload, headers } = await keyWith(change, bits);
    const verified = await createWebhookVerifier({ keys: [jwk] })
      .verify(payload, headers)
      .then(
        (event) => event.type,
        (error: FlatpeakWebhookError) => error.reason,
      );
    expect(verified).toBe(outcome);
  });

  it("follows no redirect for the JWKS, not even to keys that would verify", async () => {
    const target = await startLocalServer((_request, response) => json(response, 200, current.jwks));
    try {
      const jwksUrl = await jwksServer(() => ({ status: 302, body: "", headers: { location: `${target.baseUrl}/jwks.json` } }));
      const error = (await createWebhookVerifier({ jwksUrl })
        .verify(body, await current.sign(body))
        .catch((caught: unknown) => caught)) as FlatpeakWebhookError;
      expect(error.reason).toBe("keys_unavailable");
      expect((error.cause as Error).message).toBe(`${jwksUrl} answered 302 (a redirect, which is never followed), not 200 with the key set`);
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it("asks its fetch not to follow redirects, and refuses an answer from another origin a fetch followed anyway", async () => {
    const seen: RequestInit[] = [];
    const followed = Response.json(current.jwks);
    Object.defineProperty(followed, "url", { value: "https://elsewhere.example/jwks.json" });
    const verifier = createWebhookVerifier({ jwksUrl: "https://keys.example.test/jwks.json", fetch: async (_input, init) => (seen.push(init), followed) });
    expect(await reason(verifier.verify(body, await current.sign(body)))).toBe("keys_unavailable");
    expect(seen[0]?.redirect).toBe("manual");
    const redirected = Response.json(current.jwks);
    Object.defineProperty(redirected, "redirected", { value: true });
    const flagged = createWebhookVerifier({ jwksUrl: "https://keys.example.test/jwks.json", fetch: async () => redirected });
    expect(await reason(flagged.verify(body, await current.sign(body)))).toBe("keys_unavailable");
  });

  it("refuses a bodiless redirect a custom fetch returns", async () => {
    const verifier = createWebhookVerifier({ jwksUrl: "https://keys.example.test/jwks.json", fetch: async () => new Response(null, { status: 302 }) });
    const error = (await verifier.verify(body, await current.sign(body)).catch((caught: unknown) => caught)) as FlatpeakWebhookError;
    expect((error.cause as Error).message).toBe("https://keys.example.test/jwks.json answered 302 (a redirect, which is never followed), not 200 with the key set");
  });

  it("accepts an answer from the JWKS URL's own origin", async () => {
    const own = Response.json(current.jwks);
    Object.defineProperty(own, "url", { value: "https://keys.example.test/other/jwks.json" });
    const verifier = createWebhookVerifier({ jwksUrl: "https://keys.example.test/jwks.json", fetch: async () => own });
    expect((await verifier.verify(body, await current.sign(body))).type).toBe("location.update");
  });

  it("refuses a key set over 64 KiB, by its Content-Length or as it streams, without reading it whole", async () => {
    const declared = await jwksServer(() => ({ body: JSON.stringify(current.jwks), headers: { "content-length": String(65 * 1024) } }));
    expect(await reason(createWebhookVerifier({ jwksUrl: declared }).verify(body, await current.sign(body)))).toBe("keys_unavailable");
    await server?.close();
    let written = 0;
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      const chunk = `${" ".repeat(16 * 1024)}`;
      const pump = () => {
        while (written < 64 * 1024 * 1024 && !response.destroyed && response.write(chunk)) written += chunk.length;
        if (!response.destroyed && written < 64 * 1024 * 1024) response.once("drain", pump);
      };
      pump();
    });
    const error = (await createWebhookVerifier({ jwksUrl: `${server.baseUrl}/jwks.json` })
      .verify(body, await current.sign(body))
      .catch((caught: unknown) => caught)) as FlatpeakWebhookError;
    expect(error.reason).toBe("keys_unavailable");
    expect((error.cause as Error).message).toBe("The body is larger than the 65536 bytes allowed (the key set's limit).");
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it.each([
    ["a file URL", "file:///etc/jwks.json"],
    ["an ftp URL", "ftp://keys.example/jwks.json"],
    ["an ftp URL on this machine", "ftp://localhost/jwks.json"],
    ["http to a name that ends like localhost", "http://notlocalhost/jwks.json"],
    ["http to a name that starts like loopback", "http://127.0.0.1.example.com/jwks.json"],
    ["text that is not a URL", "not a url"],
    ["a relative path", "/jwks.json"],
    ["http to another machine", "http://keys.example/jwks.json"],
    ["a number", 42],
  ])("refuses a jwksUrl that is %s when it is created, naming the option", (_name, jwksUrl) => {
    expect(() => createWebhookVerifier({ jwksUrl: jwksUrl as string })).toThrow(/^createWebhookVerifier: jwksUrl must be an absolute https: URL such as "https:\/\/api\.flatpeak\.com\/jwks\.json" \(http: only for localhost\), got /);
  });

  it.each(["https://keys.example/jwks.json", "http://localhost:8080/jwks.json", "http://127.0.0.1:9/jwks.json", "http://127.10.200.30:9/jwks.json", "http://[::1]:9/jwks.json"])("takes %s as a jwksUrl", (jwksUrl) => {
    expect(() => createWebhookVerifier({ jwksUrl })).not.toThrow();
  });

  it("quotes a refused jwksUrl cut to 100 characters, or what it was instead", () => {
    const long = `ftp://${"x".repeat(200)}`;
    expect(() => createWebhookVerifier({ jwksUrl: long })).toThrow(`got ${JSON.stringify(long.slice(0, 100))}.`);
    expect(() => createWebhookVerifier({ jwksUrl: 42 as never })).toThrow(/, got 42\.$/);
  });

  it("refuses keys and jwksUrl together, since one of them would be ignored", () => {
    expect(() => createWebhookVerifier({ keys: current.jwks, jwksUrl: "https://keys.example/jwks.json" })).toThrow(
      new TypeError("createWebhookVerifier: pass either keys (a key set to use as it is) or jwksUrl (where to fetch one), not both."),
    );
  });
});
