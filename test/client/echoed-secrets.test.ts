/**
 * Secrets a server echoes — as some proxies and gateways do — are masked by
 * value wherever the package hands them back or emits them: the resolved
 * `error`, a thrown FlatpeakError's message, body and headers, call events
 * and spans. The API key, the Basic value, the bearer token and a sent
 * `connect_token`, each echoed in a body and a header.
 */
import { inspect } from "node:util";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, unwrap } from "../../src/index.js";
import { tracing } from "../../src/otel/index.js";
import { recordedEvents } from "../helpers/events.js";
import { json, startLocalServer, type LocalServer, type RecordedRequest } from "../helpers/local-server.js";

const accountId = "acc_echoing_gateway";
const apiKey = "sk_live_ECHOED_KEY_0123456789";
const basic = btoa(`${accountId}:${apiKey}`);
const bearer = "eyJ.ECHOED_BEARER_TOKEN.sig";
const connectToken = "cot_ECHOED_CONNECT_TOKEN";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Everything a failed call leaves that an app could log or export: the resolved error, the error unwrap throws, the events, the spans. */
async function whatAFailedCallLeaves(echo: (request: RecordedRequest) => string | undefined, call: "customers" | "connect" = "customers") {
  server = await startLocalServer((request, response) => {
    const echoed = echo(request);
    if (echoed === undefined) return json(response, 200, { bearer_token: bearer, expires_in: 3600, live_mode: true });
    json(response, 502, { code: "bad_gateway", message: `upstream refused ${echoed}`, detail: { seen: echoed } }, { "x-upstream-auth": `seen ${echoed}`, "retry-after": "0" });
  });
  const { events, plugin } = recordedEvents();
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const flatpeak = createFlatpeakClient({ accountId, apiKey, baseUrl: server.baseUrl, maxRetries: 1, use: [plugin, tracing({ tracerProvider })] });
  const send = () => (call === "connect" ? flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: connectToken } } }) : flatpeak.GET("/customers"));
  const result = await send();
  const thrown = await (call === "connect" ? unwrap(flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: connectToken } } })) : unwrap(flatpeak.GET("/customers"))).catch((error: unknown) => error);
  const spans = exporter.getFinishedSpans().map((span) => ({ name: span.name, attributes: span.attributes, status: span.status }));
  return { result, thrown, events, spans };
}

function renderings(left: Awaited<ReturnType<typeof whatAFailedCallLeaves>>): string {
  const error = left.thrown as Error & { body?: unknown; headers?: unknown };
  return [JSON.stringify(left.result.error), inspect(left.result.error, { depth: Infinity }), String(error), error.stack, JSON.stringify(error), JSON.stringify(error.body), JSON.stringify(error.headers), inspect(error, { showHidden: true, depth: Infinity }), JSON.stringify(left.events), JSON.stringify(left.spans)].join("\n");
}

describe("secrets a server echoes", () => {
  it.each([
    ["the bearer token, on a call", bearer, (request: RecordedRequest) => (request.url === "/login" ? undefined : (request.headers.authorization ?? ""))],
    ["the API key, on a call", apiKey, (request: RecordedRequest) => (request.url === "/login" ? undefined : `key ${apiKey}`)],
    ["the Basic value, on the login", basic, (request: RecordedRequest) => request.headers.authorization ?? ""],
    ["the API key, on the login", apiKey, () => `credentials ${accountId}:${apiKey}`],
  ])("are masked everywhere: %s", async (_case, secret, echo) => {
    const left = await whatAFailedCallLeaves(echo);
    expect(left.result.error).toMatchObject({ status: 502, code: "bad_gateway", message: expect.stringMatching(/^upstream refused .*\*\*\*/) });
    expect(left.thrown).toMatchObject({ kind: "http", status: 502, headers: expect.objectContaining({ "x-upstream-auth": expect.stringContaining("***") }) });
    expect(left.events.some((event) => event.type === "attempt_end" || event.type === "login_failed")).toBe(true);
    expect(left.spans.length).toBeGreaterThan(0);
    const everything = renderings(left);
    expect(everything).toContain("***");
    expect(everything).not.toContain(secret);
  });

  it("masks a connect_token the call sent, echoed in a body and a header", async () => {
    const left = await whatAFailedCallLeaves((request) => (request.url === "/login" ? undefined : `token ${connectToken}`), "connect");
    expect(left.result.error).toMatchObject({ message: "upstream refused token ***", detail: { seen: "token ***" } });
    expect(renderings(left)).not.toContain(connectToken);
  });

  it("leaves an answer that repeats no secret as it was, and a 2xx answer untouched", async () => {
    server = await startLocalServer((request, response) => {
      if (request.url === "/login") return json(response, 200, { bearer_token: bearer, expires_in: 3600, live_mode: true });
      if (request.url === "/customers") return json(response, 200, { object: "list", url: "/customers", has_more: false, data: [], echo: bearer });
      json(response, 404, { code: "not_found", message: "No such customer cus_1" }, { "x-request-id": "req_1" });
    });
    const flatpeak = createFlatpeakClient({ accountId, apiKey, baseUrl: server.baseUrl });
    expect((await flatpeak.GET("/customers")).data).toMatchObject({ echo: bearer });
    const { error, response } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect([error?.message, response.headers.get("x-request-id"), response.statusText]).toEqual(["No such customer cus_1", "req_1", "Not Found"]);
  });

  it("masks the status text and keeps the status, and leaves values shorter than 8 characters, which would match ordinary words", async () => {
    server = await startLocalServer((request, response) => {
      if (request.url === "/login") return json(response, 200, { bearer_token: "tok", expires_in: 3600, live_mode: true });
      response.writeHead(401, `Token ${request.headers.authorization?.slice(7) ?? ""} for ${apiKey}`, { "content-type": "application/json" });
      response.end(JSON.stringify({ code: "unauthorized", message: "tok is no token" }));
    });
    const flatpeak = createFlatpeakClient({ accountId, apiKey, baseUrl: server.baseUrl, maxRetries: 0 });
    const { error, response } = await flatpeak.GET("/customers");
    expect([response.status, response.statusText, error?.message]).toEqual([401, "Token tok for ***", "tok is no token"]);
  });

  it("masks a secret that a failing fetch repeats in its error", async () => {
    const flatpeak = createFlatpeakClient({
      token: bearer,
      fetch: async (request) => {
        throw new Error(`proxy refused ${request.headers.get("authorization") ?? ""}`);
      },
      maxRetries: 0,
    });
    const failure = (await flatpeak.GET("/customers").catch((error: unknown) => error)) as Error;
    expect(failure).toMatchObject({ kind: "network", message: "GET /customers failed: proxy refused Bearer ***" });
  });
});
