import { afterEach, describe, expect, it, vi } from "vitest";
import { createFlatpeakClient, type FlatpeakClientOptions } from "../../src/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("options are checked before any request", () => {
  const cases: Array<[string, FlatpeakClientOptions, RegExp]> = [
    ["no credentials", {}, /no credentials\. Pass one of \{ accountId, apiKey \}, \{ token \} or \{ getToken \}/],
    ["accountId without apiKey", { accountId: "acc_1" }, /apiKey is missing/],
    ["apiKey without accountId", { apiKey: "key" }, /accountId is missing/],
    ["an empty apiKey", { accountId: "acc_1", apiKey: " " }, /apiKey must be a non-empty string/],
    ["login and token together", { accountId: "acc_1", apiKey: "key", token: "t" }, /only one of/],
    ["a baseUrl that is not http(s)", { token: "t", baseUrl: "ftp://api.flatpeak.com" }, /baseUrl must use http or https, got "ftp:"/],
    ["a baseUrl whose scheme only ends in http", { token: "t", baseUrl: "shttp://api.flatpeak.com" }, /baseUrl must use http or https, got "shttp:"/],
    ["a baseUrl that is not a URL", { token: "t", baseUrl: "api.flatpeak.com" }, /baseUrl must be an absolute URL such as "https:\/\/api\.flatpeak\.com"/],
    ["a baseUrl with credentials", { token: "t", baseUrl: "https://acc:key@api.flatpeak.com" }, /baseUrl must not have credentials, a query or a fragment/],
    ["a negative timeout", { token: "t", timeoutMs: -1 }, /timeoutMs must be a whole number/],
    ["too many retries", { token: "t", maxRetries: 50 }, /maxRetries must be a whole number from 0 to 10/],
    ["an Authorization header", { token: "t", headers: { authorization: "Bearer x" } }, /headers must not set Authorization; pass credentials as options/],
    ["null", null as unknown as FlatpeakClientOptions, /^createFlatpeakClient: pass an object of \{ accountId, apiKey, token, getToken, apiVersion, timeoutMs, maxRetries, use, baseUrl, fetch, headers \}\.$/],
    ["a string", "acc_1:key" as unknown as FlatpeakClientOptions, /pass an object of \{ accountId/],
    ["apiKey and token together", { apiKey: "key", token: "t" }, /only one of \{ accountId, apiKey \}, \{ token \} or \{ getToken \}/],
    ["accountId and getToken together", { accountId: "acc_1", getToken: () => "t" }, /only one of/],
    ["token and getToken together", { token: "t", getToken: () => "t" }, /only one of/],
    ["an apiKey that is a number", { accountId: "acc_1", apiKey: 42 as unknown as string }, /apiKey must be a non-empty string/],
    ["an empty baseUrl", { token: "t", baseUrl: "" }, /baseUrl must be a non-empty string/],
    ["a baseUrl read with its trailing newline", { token: "t", baseUrl: "https://api.flatpeak.com\n" }, /baseUrl has a control character \(newline, NUL, …\); trim it/],
    ["a baseUrl with only a user name", { token: "t", baseUrl: "https://acc@api.flatpeak.com" }, /baseUrl must not have credentials, a query or a fragment/],
    ["a baseUrl with only a password", { token: "t", baseUrl: "https://:key@api.flatpeak.com" }, /baseUrl must not have credentials, a query or a fragment/],
    ["a baseUrl with a query", { token: "t", baseUrl: "https://api.flatpeak.com/?v=1" }, /baseUrl must not have credentials, a query or a fragment/],
    ["a baseUrl with a fragment", { token: "t", baseUrl: "https://api.flatpeak.com/#v1" }, /baseUrl must not have credentials, a query or a fragment/],
    ["a timeout given as text", { token: "t", timeoutMs: "1000" as unknown as number }, /timeoutMs must be a whole number from 1 to 2147483647, got "1000"\./],
    ["a fractional timeout", { token: "t", timeoutMs: 1.5 }, /timeoutMs must be a whole number/],
    ["a timeout of 0", { token: "t", timeoutMs: 0 }, /timeoutMs must be a whole number/],
    ["maxRetries just above 10", { token: "t", maxRetries: 11 }, /maxRetries must be a whole number from 0 to 10, got 11/],
    ["a getToken that is not a function", { getToken: "t" as unknown as () => string }, /getToken must be a function/],
    ["a fetch that is not a function", { token: "t", fetch: {} as unknown as typeof fetch }, /fetch must be a function/],
    ["headers that are null", { token: "t", headers: null as unknown as Headers }, /headers must be an object, a Headers or \[name, value\] pairs/],
  ];

  it.each(cases)("rejects %s with a TypeError naming the fix", (_name, options, message) => {
    expect(() => createFlatpeakClient(options)).toThrow(TypeError);
    expect(() => createFlatpeakClient(options)).toThrow(message);
  });

  it.each<[string, FlatpeakClientOptions]>([
    ["timeoutMs at its bounds", { token: "t", timeoutMs: 1 }],
    ["timeoutMs at its upper bound", { token: "t", timeoutMs: 2_147_483_647 }],
    ["maxRetries at its bounds", { token: "t", maxRetries: 0 }],
    ["maxRetries at its upper bound", { token: "t", maxRetries: 10 }],
  ])("accepts %s", (_name, options) => {
    expect(createFlatpeakClient(options).GET).toBeTypeOf("function");
  });

  it("needs a fetch option in a runtime without a global fetch, and works with one", async () => {
    vi.stubGlobal("fetch", undefined);
    try {
      expect(() => createFlatpeakClient({ token: "t" })).toThrow(/this runtime has no fetch; pass one as fetch/);
      const custom = createFlatpeakClient({ token: "t", fetch: () => Promise.resolve(Response.json({ data: [], has_more: false })) });
      await expect(custom.GET("/customers")).resolves.toMatchObject({ data: { data: [] } });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("does not echo a secret it rejects", () => {
    expect(() => createFlatpeakClient({ token: "t", baseUrl: "https://acc:sk_secret@api.flatpeak.com" })).not.toThrow(/sk_secret/);
  });
});

describe("path parameters", () => {
  async function recording() {
    server = await startLocalServer((request, response) =>
      json(response, 200, { id: "cus_1", object: "customer", live_mode: false, time_created: "", account_id: "acc_1" }),
    );
    return createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
  }

  it.each(["", "  ", ".", ".."])("rejects the id %j before sending", async (id) => {
    const flatpeak = await recording();
    await expect(flatpeak.GET("/customers/{id}", { params: { path: { id } } })).rejects.toThrow(/path parameter "id"/);
    expect(server!.requests).toHaveLength(0);
  });

  it.each<[string, unknown, string]>([
    ["null", null, "must be a Flatpeak id, got null"],
    ["an object", { id: "cus_1" }, "must be a Flatpeak id, got object"],
    ["undefined", undefined, "must be a Flatpeak id, got undefined"],
    ["blank", "  ", 'is "", which would address another path'],
    [".", ".", 'is ".", which would address another path'],
    ["..", "..", 'is "..", which would address another path'],
  ])("refuses an id that is %s, saying which call, which parameter and why", async (_name, id, problem) => {
    const flatpeak = await recording();
    await expect(flatpeak.GET("/customers/{id}", { params: { path: { id: id as string } } })).rejects.toThrow(
      new TypeError(`GET /customers/{id}: path parameter "id" ${problem}.`),
    );
    expect(server!.requests).toHaveLength(0);
  });

  it("sends a number id as its digits", async () => {
    const flatpeak = await recording();
    await flatpeak.GET("/customers/{id}", { params: { path: { id: 42 as unknown as string } } });
    expect(server!.requests.map((r) => r.url)).toEqual(["/customers/42"]);
  });

  it("guards client.request like the method shortcuts", async () => {
    const flatpeak = await recording();
    await expect(flatpeak.request("get", "/customers/{id}", { params: { path: { id: ".." } } })).rejects.toThrow(TypeError);
    expect(server!.requests).toHaveLength(0);
  });

  it("rejects text that cannot be percent-encoded with a TypeError, not a URIError", async () => {
    const flatpeak = await recording();
    await expect(flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_\ud800" } } })).rejects.toThrow(/unpaired UTF-16 surrogate/);
    await expect(flatpeak.GET("/customers", { params: { query: { reference_id: "\udfff" } } })).rejects.toThrow(/query parameter "reference_id"/);
    expect(server!.requests).toHaveLength(0);
  });

  it.each([
    ["a/b", "/customers/a%2Fb"],
    ["x?delete=1", "/customers/x%3Fdelete%3D1"],
    ["../login", "/customers/..%2Flogin"],
    ["a#b", "/customers/a%23b"],
    ["%2e%2e", "/customers/%252e%252e"],
  ])("encodes %j so it cannot reach another path", async (id, path) => {
    const flatpeak = await recording();
    await flatpeak.PATCH("/customers/{id}", { params: { path: { id } }, body: {} });
    expect(server!.requests.map((r) => r.url)).toEqual([path]);
  });
});
