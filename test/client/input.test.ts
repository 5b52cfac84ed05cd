import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, type FlatpeakClientOptions } from "../../src/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("options are checked before any request", () => {
  const cases: Array<[string, FlatpeakClientOptions, RegExp]> = [
    ["no credentials", {}, /no credentials\. Pass \{ accountId, apiKey \}/],
    ["accountId without apiKey", { accountId: "acc_1" }, /apiKey is missing/],
    ["apiKey without accountId", { apiKey: "key" }, /accountId is missing/],
    ["an empty apiKey", { accountId: "acc_1", apiKey: " " }, /apiKey must be a non-empty string/],
    ["login and token together", { accountId: "acc_1", apiKey: "key", token: "t" }, /only one of/],
    ["a baseUrl that is not http(s)", { token: "t", baseUrl: "ftp://api.flatpeak.com" }, /baseUrl must use http or https, got "ftp:"/],
    ["a baseUrl that is not a URL", { token: "t", baseUrl: "api.flatpeak.com" }, /baseUrl must be an absolute http\(s\) URL/],
    ["a baseUrl with credentials", { token: "t", baseUrl: "https://acc:key@api.flatpeak.com" }, /must not contain credentials/],
    ["a negative timeout", { token: "t", timeoutMs: -1 }, /timeoutMs must be a whole number/],
    ["too many retries", { token: "t", maxRetries: 50 }, /maxRetries must be a whole number from 0 to 10/],
    ["an Authorization header", { token: "t", headers: { authorization: "Bearer x" } }, /headers: must not set Authorization/],
  ];

  it.each(cases)("rejects %s with a TypeError naming the fix", (_name, options, message) => {
    expect(() => createFlatpeakClient(options)).toThrow(TypeError);
    expect(() => createFlatpeakClient(options)).toThrow(message);
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
