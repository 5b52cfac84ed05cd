import { afterEach, describe, expect, inject, it } from "vitest";
import { FlatpeakError, createFlatpeakClient, isFlatpeakError } from "../../src/index.js";
import { recordedEvents } from "../helpers/events.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

const mock = () => createFlatpeakClient({ token: "test-token", baseUrl: inject("mockBaseUrl"), maxRetries: 0 });
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client of a server that answers every request with `status` and `body`. */
async function answering(status: number, body: string, contentType = "application/json") {
  server = await startLocalServer((_request, response) => {
    response.writeHead(status, { "content-type": contentType });
    response.end(body);
  });
  return createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 0 });
}

describe("documented error statuses (against the mock)", () => {
  it("narrows a 404 to Flatpeak's not_found body", async () => {
    const { data, error } = await mock().GET("/customers/{id}", { params: { path: { id: "cus_x" } }, headers: { Prefer: "code=404" } });
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 404, object: "error", type: "invalid_request", code: "not_found" });
    expect(typeof error?.message).toBe("string");
  });

  it("narrows a 409 to duplicate_reference", async () => {
    const { error } = await mock().PATCH("/customers/{id}", { params: { path: { id: "cus_x" } }, body: { reference_id: "R" }, headers: { Prefer: "code=409" } });
    expect(error).toMatchObject({ status: 409, type: "conflict", code: "duplicate_reference", message: "Reference ID already exists" });
  });

  it("narrows a 422 to one of the documented codes", async () => {
    const { error } = await mock().POST("/prices/{id}", { params: { path: { id: "loc_1" } }, body: { end_time: "2024-01-02T00:00:00Z" }, headers: { Prefer: "code=422" } });
    expect(error?.status).toBe(422);
    expect(["account_disabled", "pending_connect", "no_tariff_connected", "no_price_data", "api_version_not_supported"]).toContain(error?.code);
  });

  it("narrows a 500 to an api_error", async () => {
    const { error } = await mock().GET("/events", { headers: { Prefer: "code=500" } });
    expect(error).toMatchObject({ status: 500, type: "api_error" });
  });
});

describe("error bodies that are not Flatpeak's error object", () => {
  it("still yields an error for an empty body", async () => {
    const { error, response } = await (await answering(503, "", "text/plain")).GET("/customers");
    expect(response.status).toBe(503);
    expect(error).toEqual({ status: 503, type: "api_error", code: "api_error", message: "HTTP 503 Service Unavailable" });
  });

  it("still yields an error for an HTML page", async () => {
    const { error } = await (await answering(502, "<html><body>Bad gateway</body></html>", "text/html")).GET("/customers");
    expect(error).toMatchObject({ status: 502, code: "api_error", message: "HTTP 502 Bad Gateway" });
  });

  it("fills in the documented code of a JSON error without one", async () => {
    const { error } = await (await answering(404, JSON.stringify({ message: "Not Found" }), "application/json")).GET("/customers/{id}", {
      params: { path: { id: "cus_1" } },
    });
    expect(error).toEqual({ status: 404, type: "invalid_request", code: "not_found", message: "Not Found" });
  });

  it("keeps a short plain-text body as the message", async () => {
    const { error } = await (await answering(429, "Slow down", "text/plain")).GET("/customers");
    expect(error).toEqual({ status: 429, type: "rate_limit", code: "rate_limit", message: "Slow down" });
  });
});

describe("error body normalisation", () => {
  it.each([
    [400, "invalid_request", "invalid_request"],
    [401, "invalid_request", "unauthorized"],
    [403, "invalid_request", "access_denied"],
    [408, "invalid_request", "request_timeout"],
    [409, "conflict", "duplicate_reference"],
    [422, "invalid_request", "unprocessable"],
    [429, "rate_limit", "rate_limit"],
    [500, "api_error", "api_error"],
  ])("gives %i the default type %s and code %s", async (status, type, code) => {
    const { error } = await (await answering(status, "")).GET("/customers");
    expect(error).toMatchObject({ status, type, code });
  });

  it.each([
    ["null", "HTTP 404 Not Found"],
    ["[1,2]", "HTTP 404 Not Found"],
    ['"No such customer"', "No such customer"],
    ['"  Padded reason  "', "Padded reason"],
  ])("turns the JSON body %s into a full error", async (body, message) => {
    const { error } = await (await answering(404, body)).GET("/customers/{id}", { params: { path: { id: "c" } } });
    expect(error).toEqual({ status: 404, type: "invalid_request", code: "not_found", message });
  });

  it("keeps the type the server gave", async () => {
    const { error } = await (await answering(404, JSON.stringify({ type: "api_error", code: "not_found", message: "Gone" }))).GET("/customers/{id}", { params: { path: { id: "c" } } });
    expect(error).toMatchObject({ status: 404, type: "api_error" });
  });

  it("fills in an empty or non-string code and message", async () => {
    const { error } = await (await answering(404, JSON.stringify({ code: "", message: 42, context: "api.customer" }))).GET("/customers/{id}", { params: { path: { id: "c" } } });
    expect(error).toMatchObject({ status: 404, code: "not_found", message: "HTTP 404 Not Found", context: "api.customer" });
  });

  it("keeps a padded text body trimmed, and a long one cut to 200 characters", async () => {
    const padded = await (await answering(503, "   Down for maintenance \n", "text/plain")).GET("/customers");
    expect(padded.error?.message).toBe("Down for maintenance");
    const long = await (await answering(503, "x".repeat(5000), "text/plain")).GET("/customers");
    expect(long.error?.message).toBe("x".repeat(200));
  });
});

describe("failures without a response", () => {
  it("rejects with kind network when nothing listens", async () => {
    server = await startLocalServer(() => undefined);
    const baseUrl = server.baseUrl;
    await server.close();
    server = undefined;
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl, maxRetries: 0 });
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FlatpeakError);
    expect(failure).toMatchObject({ kind: "network", method: "GET", url: "/customers" });
  });

  it("rejects with kind timeout when the answer does not come in time", async () => {
    server = await startLocalServer(() => undefined);
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, timeoutMs: 200, maxRetries: 0 });
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: "FlatpeakError", kind: "timeout", message: "GET /customers timed out after 200 ms" });
  });

  it("rejects with kind timeout when the body stalls after the headers", async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"object":"list",');
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, timeoutMs: 200, maxRetries: 0 });
    await expect(flatpeak.GET("/customers")).rejects.toMatchObject({ kind: "timeout" });
  });

  it("rejects with kind aborted when the caller aborts", async () => {
    server = await startLocalServer(() => undefined);
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(flatpeak.GET("/customers", { signal: controller.signal })).rejects.toMatchObject({ kind: "aborted" });
  });

  it("rejects with kind invalid_response for a 2xx body that is not JSON", async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"object": "list", "data": [');
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(isFlatpeakError(failure)).toBe(true);
    expect(failure).toMatchObject({ kind: "invalid_response" });
  });
});

describe("what is and is not a bad response", () => {
  it("lets a SyntaxError thrown by the caller's own middleware through untouched", async () => {
    server = await startLocalServer((_request, response) => json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const mine = new SyntaxError("my middleware could not read a header");
    flatpeak.use({
      onResponse() {
        throw mine;
      },
    });
    await expect(flatpeak.GET("/customers")).rejects.toBe(mine);
  });

  it("lets a middleware read a clone of the response and still parses the body", async () => {
    server = await startLocalServer((_request, response) => json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const seen: unknown[] = [];
    flatpeak.use({
      async onResponse({ response }) {
        seen.push(await response.clone().json());
      },
    });
    const { data } = await flatpeak.GET("/customers");
    expect(data).toEqual({ object: "list", url: "/customers", has_more: false, data: [] });
    expect(seen).toEqual([data]);
  });

  it("gives HEAD with a non-2xx answer a typed error, like every other method", async () => {
    server = await startLocalServer((_request, response) => json(response, 404, { code: "not_found", message: "No customer" }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const head = flatpeak.HEAD as unknown as (path: string) => Promise<{ error?: unknown; response: Response }>;
    const { error, response } = await head("/customers/cus_1");
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ status: 404, type: "invalid_request", code: "not_found" });
  });

  it("gives a non-2xx answer with Content-Length 0 a typed error", async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(409, { "content-length": "0" });
      response.end();
    });
    const { error } = await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl }).PATCH("/customers/{id}", { params: { path: { id: "cus_1" } }, body: {} });
    expect(error).toEqual({ status: 409, type: "conflict", code: "duplicate_reference", message: "HTTP 409 Conflict" });
  });
});

describe("parseAs", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  async function binary() {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(bytes);
    });
    return createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
  }
  const customer = { params: { path: { id: "cus_1" } } } as const;

  it("arrayBuffer gives the exact bytes the server sent", async () => {
    const { data } = await (await binary()).GET("/customers/{id}", { ...customer, parseAs: "arrayBuffer" });
    expect(new Uint8Array(data as ArrayBuffer)).toEqual(bytes);
  });

  it("blob gives the exact bytes and the content type", async () => {
    const { data } = await (await binary()).GET("/customers/{id}", { ...customer, parseAs: "blob" });
    expect(new Uint8Array(await (data as Blob).arrayBuffer())).toEqual(bytes);
    expect((data as Blob).type).toBe("application/octet-stream");
  });

  it("stream gives the exact bytes", async () => {
    const { data } = await (await binary()).GET("/customers/{id}", { ...customer, parseAs: "stream" });
    expect(new Uint8Array(await new Response(data as ReadableStream).arrayBuffer())).toEqual(bytes);
  });

  it("text decodes UTF-8", async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      response.end("Zürich ⚡ 12 p/kWh");
    });
    const { data } = await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl }).GET("/customers/{id}", { ...customer, parseAs: "text" });
    expect(data).toBe("Zürich ⚡ 12 p/kWh");
  });
});

describe("isFlatpeakError", () => {
  const notFound = new FlatpeakError({
    kind: "http",
    method: "GET",
    url: "https://api.flatpeak.com/customers/cus_1",
    body: { status: 404, type: "invalid_request", code: "not_found", message: "Not Found" },
  });

  it("matches by code", () => {
    expect(isFlatpeakError(notFound)).toBe(true);
    expect(isFlatpeakError(notFound, "not_found")).toBe(true);
    expect(isFlatpeakError(notFound, "access_denied")).toBe(false);
  });

  it("matches an instance from another copy of the package by name", () => {
    const foreign = Object.assign(new Error("x"), { name: "FlatpeakError", kind: "http", code: "not_found" });
    expect(isFlatpeakError(foreign, "not_found")).toBe(true);
    expect(isFlatpeakError(new Error("x"))).toBe(false);
    expect(isFlatpeakError({ name: "FlatpeakError" })).toBe(false);
  });

  it("describes the request and the answer in its message", () => {
    expect(notFound.message).toBe("GET /customers/cus_1 → 404 not_found: Not Found");
    expect(notFound).toMatchObject({ status: 404, code: "not_found", url: "/customers/cus_1" });
  });
});

describe("compressed answers", () => {
  it("hands back the decoded body with the headers the server sent, as fetch does", async () => {
    const { gzipSync } = await import("node:zlib");
    const body = gzipSync(JSON.stringify({ id: "cus_1", object: "customer", live_mode: false, time_created: "", account_id: "acc_1" }));
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(body.byteLength) });
      response.end(body);
    });
    const { data, response } = await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl }).GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(data?.id).toBe("cus_1");
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("content-type")).toBe("application/json");
  });
});

describe("FlatpeakError itself", () => {
  it("describes a failure without an answer by its kind, with the secret query values masked, and has no cause unless given", () => {
    const error = new FlatpeakError({ kind: "network", method: "GET", url: "https://api.flatpeak.com/connect/token?connect_token=cot_secret" });
    expect([error.message, error.url, "cause" in error]).toEqual(["GET /connect/token?connect_token=*** failed (network)", "/connect/token?connect_token=***", false]);
    const cause = new Error("socket hang up");
    expect(new FlatpeakError({ kind: "network", method: "GET", url: "https://api.flatpeak.com/x", cause }).cause).toBe(cause);
  });

  it("describes an answer by its status, code and message", () => {
    const body = { object: "error", type: "invalid_request", code: "not_found", message: "No such customer", status: 404 } as const;
    const error = new FlatpeakError({ kind: "http", method: "GET", url: "https://api.flatpeak.com/customers/cus_1", body });
    expect([error.message, error.status, error.code]).toEqual(["GET /customers/cus_1 → 404 not_found: No such customer", 404, "not_found"]);
  });

  it.each<[string, unknown, boolean]>([
    ["a FlatpeakError", new FlatpeakError({ kind: "timeout", method: "GET", url: "https://api.flatpeak.com/x" }), true],
    ["one from another copy of the package", Object.assign(new Error("x"), { name: "FlatpeakError", kind: "timeout" }), true],
    ["an Error named FlatpeakError without a kind", Object.assign(new Error("x"), { name: "FlatpeakError" }), false],
    ["an Error with a kind and another name", Object.assign(new Error("x"), { kind: "timeout" }), false],
    ["a plain object that looks like one", { name: "FlatpeakError", kind: "timeout", message: "x" }, false],
    ["null", null, false],
  ])("isFlatpeakError tells %s: %s", (_name, value, expected) => {
    expect(isFlatpeakError(value)).toBe(expected);
  });
});

describe("failures without an answer", () => {
  it("times out a custom fetch that ignores the signal, with the abort as the cause", async () => {
    const flatpeak = createFlatpeakClient({ token: "t", fetch: () => new Promise<Response>(() => undefined), timeoutMs: 50, maxRetries: 0 });
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "timeout", message: "GET /customers timed out after 50 ms" });
    expect(((failure as Error).cause as Error).name).toBe("AbortError");
  });

  it("names the cause of a network failure and of its cause, and announces the retry by kind", async () => {
    const { plugin, retries } = recordedEvents();
    const refused = () => Promise.reject(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") }));
    const flatpeak = createFlatpeakClient({ token: "t", fetch: refused, maxRetries: 1, use: [plugin] });
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "network", message: "GET /customers failed: fetch failed (connect ECONNREFUSED 127.0.0.1:9)" });
    expect(retries()).toEqual([expect.objectContaining({ operation: "GET /customers", attempt: 1, retryInMs: expect.any(Number), retryReason: "network failure", errorKind: "network" })]);
  });

  it("says which call was aborted", async () => {
    const controller = new AbortController();
    const flatpeak = createFlatpeakClient({ token: "t", fetch: () => new Promise<Response>(() => undefined) });
    const call = flatpeak.GET("/customers", { params: { query: { limit: 5 } }, signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ kind: "aborted", message: "GET /customers?limit=5 was aborted" });
  });
});
