import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, type FlatpeakClientOptions } from "../../src/index.js";
import { json, loginRequests, startLocalServer, type LocalServer } from "../helpers/local-server.js";

const customer = { id: "cus_1", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" };
const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve() {
  const server = await startLocalServer((request, response) =>
    request.url === "/login" ? json(response, 200, { bearer_token: "token-1", expires_in: 3600 }) : json(response, 200, customer),
  );
  servers.push(server);
  return server;
}

function thrown(make: () => unknown): TypeError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return error as TypeError;
  }
  throw new Error("expected a TypeError");
}

describe("the headers option", () => {
  it.each<[string, FlatpeakClientOptions["headers"]]>([
    ["a plain object", { "X-Tenant": "t1", "X-Trace": "abc" }],
    ["a Headers", new Headers({ "X-Tenant": "t1", "X-Trace": "abc" })],
    ["[name, value] pairs", [["X-Tenant", "t1"], ["X-Trace", "abc"]]],
  ])("accepts %s and sends every header, on calls and on GET /login", async (_form, headers) => {
    const server = await serve();
    await createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl, headers }).GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) expect([request.headers["x-tenant"], request.headers["x-trace"]]).toEqual(["t1", "abc"]);
    expect(loginRequests(server)[0]?.headers.authorization).toMatch(/^Basic /);
  });

  it.each<[string, FlatpeakClientOptions["headers"], RegExp]>([
    ["Authorization in a plain object", { AUTHORIZATION: "Bearer x" }, /must not set Authorization/],
    ["Authorization in a Headers", new Headers({ authorization: "Bearer x" }), /must not set Authorization/],
    ["Authorization in pairs", [["Authorization", "Bearer x"]], /must not set Authorization/],
    ["a name with a space", { "X Tenant": "t1" }, /"X Tenant" is an invalid header name/],
    ["an empty name", { "": "t1" }, /"" is an invalid header name/],
    ["a value with a newline", { "X-Tenant": "t1\r\nX-Admin: yes" }, /the value of "X-Tenant" must be a string without control characters/],
    ["a value with NUL", [["X-Tenant", "t\u00001"]], /the value of "X-Tenant" must be a string without control characters/],
    ["a value that is not a string", { "X-Count": 3 as unknown as string }, /the value of "X-Count" must be a string/],
    ["a pair that is not a pair", [["X-Tenant"]] as unknown as Array<[string, string]>, /\[name, value\] pair/],
    ["a string", "X-Tenant: t1" as unknown as Record<string, string>, /headers must be/],
  ])("refuses %s with a TypeError naming headers", (_name, headers, message) => {
    const error = thrown(() => createFlatpeakClient({ token: "t", headers }));
    expect(error.message).toMatch(/createFlatpeakClient: headers/);
    expect(error.message).toMatch(message);
  });

  it("reaches every request of every method", async () => {
    const server = await serve();
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, headers: { "X-Tenant": "t1" } });
    await flatpeak.GET("/customers");
    await flatpeak.POST("/customers", { body: { reference_id: "C" } });
    await flatpeak.PATCH("/customers/{id}", { params: { path: { id: "c" } }, body: {} });
    await flatpeak.DELETE("/customers/{id}", { params: { path: { id: "c" } } });
    expect(server.requests.map((request) => request.headers["x-tenant"])).toEqual(["t1", "t1", "t1", "t1"]);
  });

  it("joins values given twice for one name, in any letter case, as fetch does", async () => {
    const server = await serve();
    const headers: Array<[string, string]> = [["X-Tenant", "t1"], ["x-tenant", "t2"], ["X-TENANT", "t3"]];
    await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, headers }).GET("/customers");
    expect(server.requests[0]?.headers["x-tenant"]).toBe("t1, t2, t3");
  });

  it("sends only the client's own headers when none are given", async () => {
    const server = await serve();
    await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl }).GET("/customers");
    const names = Object.keys(server.requests[0]?.headers ?? {});
    expect(names.filter((name) => !["host", "connection", "accept", "accept-language", "sec-fetch-mode", "user-agent", "accept-encoding"].includes(name)).sort()).toEqual([
      "authorization",
      "flatpeak-version",
    ]);
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["a number", 3],
    ["an object", {}],
  ])("refuses a value that is %s, naming the header and what it must be", (_name, value) => {
    expect(() => createFlatpeakClient({ token: "t", headers: { "X-Count": value as string } })).toThrow(
      new TypeError('createFlatpeakClient: headers: the value of "X-Count" must be a string without control characters (newline, NUL, …).'),
    );
  });

  it.each(["X-Authorization", "Authorization-Context"])("sends %s, which only contains the word Authorization", async (name) => {
    const server = await serve();
    await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, headers: { [name]: "v" } }).GET("/customers");
    expect(server.requests[0]?.headers[name.toLowerCase()]).toBe("v");
  });

  it.each(["authorization", "AUTHORIZATION", "AuThOrIzAtIoN"])("refuses %s in any letter case", (name) => {
    expect(() => createFlatpeakClient({ token: "t", headers: { [name]: "Bearer x" } })).toThrow(/must not set Authorization/);
  });

  it("never echoes a value it refuses", () => {
    const error = thrown(() => createFlatpeakClient({ token: "t", headers: { "X-Api-Key": "sk_live_secret\n" } }));
    expect(error.message).not.toContain("sk_live_secret");
  });
});

describe("secrets with control characters", () => {
  const secret = "sk_live_HIDDEN";
  it.each<[keyof FlatpeakClientOptions, FlatpeakClientOptions]>([
    ["token", { token: `${secret}\n` }],
    ["apiKey", { accountId: "acc_1", apiKey: `${secret}\u0000` }],
    ["accountId", { accountId: `acc_${secret}\r\n`, apiKey: "key" }],
    ["apiVersion", { token: "t", apiVersion: `2025-09-14.anode\nX-Admin: ${secret}` }],
  ])("refuses %s with a TypeError that names it and hides its value", (name, options) => {
    const error = thrown(() => createFlatpeakClient(options));
    expect(error.message).toContain(`createFlatpeakClient: ${name}`);
    expect(error.message).toMatch(/control character/);
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it("refuses a getToken() result with a newline without echoing it", async () => {
    const flatpeak = createFlatpeakClient({ getToken: () => `${secret}\n`, fetch: () => Promise.resolve(Response.json(customer)) });
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(String(failure)).toMatch(/getToken\(\)/);
    expect(String(failure)).not.toContain(secret);
  });

  it("refuses a bearer_token from /login with a newline without echoing it", async () => {
    const server = await startLocalServer((_request, response) => json(response, 200, { bearer_token: `${secret}\n`, expires_in: 3600 }));
    servers.push(server);
    const failure = await createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl }).GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response" });
    expect(String(failure)).not.toContain(secret);
  });
});

describe("per-call options cannot get around the client", () => {
  it("refuses a per-call baseUrl on another origin, before anything is sent", async () => {
    const [ours, theirs] = [await serve(), await serve()];
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: ours.baseUrl });
    await expect(flatpeak.GET("/customers", { baseUrl: theirs.baseUrl })).rejects.toThrow(/GET: http:\/\/127\.0\.0\.1:\d+ is not the client's origin, http:\/\/127\.0\.0\.1:\d+; create a client for it\./);
    await expect(flatpeak.GET("/customers", { baseUrl: "not a url" })).rejects.toThrow(TypeError);
    expect(theirs.requests).toHaveLength(0);
    expect(ours.requests).toHaveLength(0);
  });

  it("accepts a per-call baseUrl on the client's own origin", async () => {
    const server = await serve();
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const { data } = await flatpeak.GET("/customers/{id}", { baseUrl: `${server.baseUrl}/`, params: { path: { id: "cus_1" } } });
    expect(data?.id).toBe("cus_1");
  });

  it("sends a request with its own per-call Authorization as it is, without logging in", async () => {
    const server = await serve();
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } }, headers: { Authorization: "Bearer minted-elsewhere" } });
    expect(server.requests.map((request) => [request.url, request.headers.authorization])).toEqual([["/customers/cus_1", "Bearer minted-elsewhere"]]);
  });

  it("sends a per-call fetch through the client's auth, version pin, retries and typed errors", async () => {
    let answered = 0;
    const server = await startLocalServer((request, response) => {
      if (request.url === "/login") return json(response, 200, { bearer_token: "token-1", expires_in: 3600 });
      return ++answered === 1 ? json(response, 503, {}, { "retry-after": "0" }) : json(response, 404, { code: "not_found", message: "No customer" });
    });
    servers.push(server);
    const seen: string[] = [];
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl });
    const { error } = await flatpeak.GET("/customers/{id}", {
      params: { path: { id: "cus_1" } },
      fetch: (request: Request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return globalThis.fetch(request);
      },
    });
    expect(error).toMatchObject({ status: 404, code: "not_found" });
    expect(seen).toEqual(["GET /customers/cus_1", "GET /customers/cus_1"]);
    const api = server.requests.filter((request) => request.url !== "/login");
    for (const request of api) expect([request.headers.authorization, request.headers["flatpeak-version"]]).toEqual(["Bearer token-1", "2025-09-14.anode"]);
  });
});

describe("the baseUrl option", () => {
  it("drops every trailing slash", async () => {
    const server = await serve();
    await createFlatpeakClient({ token: "t", baseUrl: `${server.baseUrl}///` }).GET("/customers");
    expect(server.requests.map((request) => request.url)).toEqual(["/customers"]);
  });
});
