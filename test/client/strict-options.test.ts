import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, type FlatpeakClientOptions } from "../../src/index.js";
import { tokenStore } from "../../src/fleet/index.js";
import { callLimits } from "../../src/limits/index.js";
import { createMemoryStore } from "../../src/store/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

const TAKES = "It takes accountId, apiKey, token, getToken, apiVersion, timeoutMs, maxRetries, use, baseUrl, fetch, headers.";
const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function refusal(options: object): string {
  try {
    createFlatpeakClient({ accountId: "acc_1", apiKey: "key", ...options } as FlatpeakClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as TypeError).message;
  }
  throw new Error("expected a TypeError");
}

describe("createFlatpeakClient refuses a key it does not take", () => {
  it.each([
    ["maxConcurrency", 16, "use: [callLimits({ maxConcurrency, deadlineMs })]"],
    ["deadlineMs", 5_000, "use: [callLimits({ maxConcurrency, deadlineMs })]"],
    ["log", () => undefined, "use: [callEvents({ onEvent })]"],
    ["onEvent", () => undefined, "use: [callEvents({ onEvent })]"],
    ["tokenStore", {}, "use: [tokenStore(store)]"],
  ])("says where %s went", (key, value, plugin) => {
    expect(refusal({ [key]: value })).toBe(`createFlatpeakClient: unknown option ${key}; it belongs in ${plugin}. ${TAKES}`);
  });

  it.each([
    ["maxRetires", "maxRetries"],
    ["apikey", "apiKey"],
    ["accountID", "accountId"],
    ["acountId", "accountId"],
    ["baseURL", "baseUrl"],
    ["timeout", "timeoutMs"],
    ["Headers", "headers"],
    ["Use", "use"],
  ])("suggests the key a typo %s means", (typo, meant) => {
    expect(refusal({ [typo]: 1 })).toBe(`createFlatpeakClient: unknown option ${typo}; did you mean ${meant}? ${TAKES}`);
  });

  it("names a key like no other, with the keys it takes", () => {
    expect(refusal({ colour: "blue" })).toBe(`createFlatpeakClient: unknown option colour; leave it out. ${TAKES}`);
  });

  it("refuses a key given as undefined too, and names at most 40 characters of it", () => {
    expect(refusal({ region: undefined })).toMatch(/^createFlatpeakClient: unknown option region; leave it out\./);
    expect(refusal({ ["k".repeat(500)]: 1 })).toMatch(new RegExp(`unknown option ${"k".repeat(40)}; leave`));
  });

  it("takes every key it lists", () => {
    const plugins = [callLimits()];
    const client = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", apiVersion: "2025-09-14.anode", timeoutMs: 1, maxRetries: 0, use: plugins, baseUrl: "http://127.0.0.1:1", fetch, headers: {} });
    expect(typeof client.GET).toBe("function");
  });
});

describe("a plugin the client cannot use is refused at creation", () => {
  it.each<[string, FlatpeakClientOptions]>([
    ["token", { token: "eyJ.a.b" }],
    ["getToken", { getToken: () => "eyJ.a.b" }],
  ])("the token store on a %s client, which never logs in", (_form, credentials) => {
    expect(() => createFlatpeakClient({ ...credentials, use: [tokenStore(createMemoryStore())] })).toThrow(
      new TypeError("createFlatpeakClient: tokenStore() shares logins, and a client with token or getToken never logs in: give accountId and apiKey, or leave it out."),
    );
  });

  it("the token store on a client that logs in is taken", () => {
    expect(() => createFlatpeakClient({ accountId: "acc_1", apiKey: "key", use: [tokenStore(createMemoryStore())] })).not.toThrow();
  });
});

describe("per-call options", () => {
  async function serve() {
    const server = await startLocalServer((request, response) => json(response, 200, { data: [], has_more: false, object: "list", url: request.url }));
    servers.push(server);
    return server;
  }

  it.each(["accountId", "apiKey", "token", "getToken", "apiVersion", "timeoutMs", "maxRetries", "use"])("refuse %s, an option of the client, before anything is sent", async (key) => {
    const server = await serve();
    const flatpeak = createFlatpeakClient({ token: "eyJ.a.b", baseUrl: server.baseUrl });
    await expect(flatpeak.GET("/customers", { [key]: 1 } as never)).rejects.toThrow(new TypeError(`GET /customers: ${key} is an option of the client (createFlatpeakClient), not of a call.`));
    expect(server.requests).toHaveLength(0);
  });

  it("take RequestInit's keys and keys of the app's own, which reach its middleware", async () => {
    const server = await serve();
    const flatpeak = createFlatpeakClient({ token: "eyJ.a.b", baseUrl: server.baseUrl });
    const seen: unknown[] = [];
    flatpeak.use({ onRequest: ({ request }) => void seen.push([request.cache, request.keepalive, (request as unknown as { tenant?: string }).tenant]) });
    const { response } = await flatpeak.GET("/customers", { cache: "no-store", keepalive: true, tenant: "t1" } as never);
    expect(response.status).toBe(200);
    expect(seen).toEqual([["no-store", true, "t1"]]);
  });
});
