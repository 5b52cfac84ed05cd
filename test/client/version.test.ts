import { afterEach, describe, expect, inject, it } from "vitest";
import { FLATPEAK_API_VERSION, apiVersionOf, createFlatpeakClient } from "../../src/index.js";
import { answerLogin, json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer;
afterEach(async () => server?.close());

async function echoingServer() {
  server = await startLocalServer((request, response) => {
    if (answerLogin(request, response, "t")) return;
    json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] }, { "Flatpeak-Version": String(request.headers["flatpeak-version"]) });
  });
  return server;
}

describe("Flatpeak-Version", () => {
  it("is the spec's version by default", () => {
    expect(FLATPEAK_API_VERSION).toBe("2025-09-14.anode");
  });

  it("is sent with every request, the login included", async () => {
    await echoingServer();
    const flatpeak = createFlatpeakClient({ accountId: "acc", apiKey: "key", baseUrl: server.baseUrl });
    await flatpeak.GET("/customers");
    await flatpeak.DELETE("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(server.requests.map((r) => r.headers["flatpeak-version"])).toEqual(Array(3).fill(FLATPEAK_API_VERSION));
  });

  it("can be overridden per client and per call", async () => {
    await echoingServer();
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, apiVersion: "2024-08-24.zero" });
    await flatpeak.GET("/customers");
    await flatpeak.GET("/customers", { headers: { "Flatpeak-Version": "2025-01-01.busbar" } });
    expect(server.requests.map((r) => r.headers["flatpeak-version"])).toEqual(["2024-08-24.zero", "2025-01-01.busbar"]);
  });

  it("is readable on the result as the server echoed it", async () => {
    await echoingServer();
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    expect(apiVersionOf(await flatpeak.GET("/customers"))).toBe(FLATPEAK_API_VERSION);
  });

  it("reaches the Prism mock with every call", async () => {
    const seen: string[] = [];
    const flatpeak = createFlatpeakClient({
      accountId: "acc",
      apiKey: "key",
      baseUrl: inject("mockBaseUrl"),
      fetch: (request, init) => {
        seen.push(request.headers.get("Flatpeak-Version") ?? "none");
        return fetch(request, init);
      },
    });
    const { data } = await flatpeak.GET("/customers");
    expect(data?.object).toBe("list");
    expect(seen).toEqual([FLATPEAK_API_VERSION, FLATPEAK_API_VERSION]);
  });

  it("is echoed by the mock, because the spec declares the header on every response", async () => {
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: inject("mockBaseUrl") });
    expect(apiVersionOf(await flatpeak.GET("/customers"))).toBe(FLATPEAK_API_VERSION);
    expect(apiVersionOf(await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } }, headers: { Prefer: "code=404" } }))).toBe(FLATPEAK_API_VERSION);
  });
});

describe("GET /jwks.json", () => {
  it("is fetched without logging in or sending a bearer token", async () => {
    server = await startLocalServer((request, response) => {
      if (answerLogin(request, response, "t")) return;
      json(response, 200, { keys: [{ kty: "RSA", kid: "wsk_test_1", n: "AQAB", e: "AQAB" }] });
    });
    const flatpeak = createFlatpeakClient({ accountId: "acc", apiKey: "key", baseUrl: server.baseUrl });
    const { data } = await flatpeak.GET("/jwks.json");
    expect(data?.keys[0]?.kid).toBe("wsk_test_1");
    expect(server.requests.map((r) => [r.url, r.headers.authorization])).toEqual([["/jwks.json", undefined]]);
  });

  it("is, like GET /login, sent as it is: no login and no bearer token", async () => {
    server = await startLocalServer((request, response) => json(response, request.url === "/login" ? 403 : 200, request.url === "/login" ? { code: "access_denied" } : { keys: [] }));
    const flatpeak = createFlatpeakClient({ accountId: "acc", apiKey: "key", baseUrl: server.baseUrl });
    const login = flatpeak.GET as unknown as (path: string) => Promise<{ error?: unknown }>;
    expect((await login("/login")).error).toMatchObject({ status: 403 });
    expect(server.requests.map((r) => [r.url, r.headers.authorization])).toEqual([["/login", undefined]]);
  });
});
