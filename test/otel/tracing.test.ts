/**
 * tracing() with the real OpenTelemetry SDK: the call's span, active while
 * its attempts go out, so that the spans of Node's fetch
 * (@opentelemetry/instrumentation-undici) nest under it; its attributes and
 * status; the duration histogram; and no secret anywhere.
 */
import { context, metrics, trace, type MeterProvider as MeterProviderApi, type TracerProvider } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { MeterProvider, MetricReader, type HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";
import { tracing } from "../../src/otel/index.js";
import { answerLogin, json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

class TestMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const apiKey = "sk_test_OTEL_SECRET";
const bearer = "otel-bearer-SECRET";
let exporter: InMemorySpanExporter;
let reader: TestMetricReader;
let provider: BasicTracerProvider;
let disableInstrumentations: () => void;
let server: LocalServer | undefined;

beforeAll(() => {
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  reader = new TestMetricReader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  disableInstrumentations = registerInstrumentations({ tracerProvider: provider, instrumentations: [new UndiciInstrumentation()] });
});
afterAll(async () => {
  disableInstrumentations();
  trace.disable();
  metrics.disable();
  context.disable();
  await provider.shutdown();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  exporter.reset();
});

/** A server answering the statuses in turn (Retry-After 0), then 200, after logging in. */
async function scripted(statuses: number[], credentials: { token: string } | { accountId: string; apiKey: string } = { accountId: "acc_1", apiKey }) {
  const body = { id: "cus_1", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" };
  let call = 0;
  server = await startLocalServer((request, response) => {
    if (answerLogin(request, response, bearer)) return;
    const status = statuses[call++] ?? 200;
    if (status === 200) json(response, 200, body);
    else json(response, status, { object: "error", type: "api_error", code: status === 404 ? "not_found" : "unavailable", message: "no" }, { "retry-after": "0" });
  });
  return createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl, use: [tracing()] });
}

/** A tracer and a meter that record each call made to them, with its arguments. */
function recordingTelemetry() {
  const log: unknown[][] = [];
  const span = {
    setAttributes: (attributes: unknown) => (log.push(["setAttributes", attributes]), span),
    setStatus: (status: unknown) => (log.push(["setStatus", status]), span),
    end: () => void log.push(["end"]),
    spanContext: () => ({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 }),
    isRecording: () => true,
  };
  const tracerProvider = { getTracer: (name: string, version: string) => (log.push(["getTracer", name, version]), { startSpan: (spanName: string, options: unknown) => (log.push(["startSpan", spanName, options]), span) }) } as unknown as TracerProvider;
  const meterProvider = { getMeter: () => ({ createHistogram: () => ({ record: (value: number, attributes: unknown) => void log.push(["record", value, attributes]) }) }) } as unknown as MeterProviderApi;
  return { log, tracerProvider, meterProvider };
}

const callSpans = () => exporter.getFinishedSpans().filter((span) => span.instrumentationScope.name === "flatpeak-client");
const fetchSpans = () => exporter.getFinishedSpans().filter((span) => span.instrumentationScope.name !== "flatpeak-client");
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("tracing", () => {
  it("gives a retried GET one call span with resend count 2, and its three fetch spans under it", async () => {
    const flatpeak = await scripted([503, 503], { token: bearer });
    const { response } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(response.status).toBe(200);
    const calls = callSpans();
    expect(calls.map((span) => span.name)).toStrictEqual(["GET /customers/{id}"]);
    const [span] = calls as [ReadableSpan];
    expect(span.kind).toBe(2);
    expect(span.attributes).toMatchObject({
      "http.request.method": "GET",
      "url.template": "/customers/{id}",
      "url.full": `${server?.baseUrl}/customers/cus_1`,
      "server.address": "127.0.0.1",
      "server.port": Number(new URL(server?.baseUrl ?? "").port),
      "http.response.status_code": 200,
      "http.request.resend_count": 2,
      "flatpeak.api_version": "2025-09-14.anode",
    });
    expect(span.attributes).not.toHaveProperty("error.type");
    expect(span.status.code).toBe(0);
    const attempts = fetchSpans().filter((fetchSpan) => parentOf(fetchSpan) === span.spanContext().spanId);
    expect(attempts.map((fetchSpan) => fetchSpan.attributes["http.response.status_code"])).toStrictEqual([503, 503, 200]);
  });

  it("sets error.type, the Flatpeak code and the error status on a 404", async () => {
    const flatpeak = await scripted([404]);
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_gone" } } });
    const [span] = callSpans().filter((candidate) => candidate.name === "GET /customers/{id}");
    expect(span?.attributes).toMatchObject({ "http.response.status_code": 404, "error.type": "404", "flatpeak.error.code": "not_found" });
    expect(span?.attributes).not.toHaveProperty("http.request.resend_count");
    expect(span?.status.code).toBe(2);
  });

  it("names the kind of a failure without an answer as error.type", async () => {
    server = await startLocalServer(() => undefined);
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, timeoutMs: 30, maxRetries: 0, use: [tracing()] });
    await expect(flatpeak.GET("/customers")).rejects.toMatchObject({ kind: "timeout" });
    const [span] = callSpans();
    expect(span?.attributes).toMatchObject({ "error.type": "timeout" });
    expect(span?.attributes).not.toHaveProperty("http.response.status_code");
    expect(span?.status.code).toBe(2);
  });

  it("names an error that is not a FlatpeakError by its name", async () => {
    const flatpeak = createFlatpeakClient({ token: "t", use: [tracing()], baseUrl: "https://api.flatpeak.com" });
    await expect(flatpeak.GET("/customers", { baseUrl: "https://elsewhere.example" })).rejects.toThrow(TypeError);
    expect(callSpans()[0]?.attributes).toMatchObject({ "error.type": "TypeError" });
  });

  it("logs in under the call that needed the token, and holds no key, Basic header or token in any span, nor a connect_token in its own", async () => {
    const flatpeak = await scripted([503]);
    await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_secret_9" } } });
    const [span] = callSpans();
    expect(span?.attributes["url.full"]).toBe(`${server?.baseUrl}/connect/tariff/token?connect_token=***`);
    const under = fetchSpans().filter((fetchSpan) => parentOf(fetchSpan) === span?.spanContext().spanId);
    expect(under.map((fetchSpan) => new URL(String(fetchSpan.attributes["url.full"])).pathname)).toStrictEqual(["/login", "/connect/tariff/token", "/connect/tariff/token"]);
    const render = (spans: ReadableSpan[]) => JSON.stringify(spans.map((recorded) => [recorded.name, recorded.attributes, recorded.events, recorded.links]));
    for (const secret of [apiKey, bearer, btoa(`acc_1:${apiKey}`), `Basic ${btoa(`acc_1:${apiKey}`)}`]) expect(render(exporter.getFinishedSpans())).not.toContain(secret);
    expect(render(callSpans())).not.toContain("cot_secret_9");
  });

  it("records each call's duration in flatpeak.client.call.duration, in seconds", async () => {
    const flatpeak = await scripted([]);
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    const { resourceMetrics } = await reader.collect();
    const histogram = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === "flatpeak.client.call.duration") as HistogramMetricData | undefined;
    expect(histogram?.descriptor.unit).toBe("s");
    const point = histogram?.dataPoints.find((candidate) => candidate.attributes["url.template"] === "/customers/{id}");
    expect(point?.attributes).toStrictEqual({ "http.request.method": "GET", "url.template": "/customers/{id}", "server.address": "127.0.0.1", "http.response.status_code": 200 });
    expect(point?.value.count).toBeGreaterThanOrEqual(1);
    expect(point?.value.max).toBeLessThan(5);
  });

  it("uses the tracer provider it is given", async () => {
    const own = new InMemorySpanExporter();
    const ownProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(own)] });
    server = await startLocalServer((_request, response) => json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [tracing({ tracerProvider: ownProvider })] });
    await flatpeak.GET("/customers");
    expect(own.getFinishedSpans().map((span) => span.name)).toStrictEqual(["GET /customers"]);
    expect(callSpans()).toStrictEqual([]);
    await ownProvider.shutdown();
  });
  it.each([
    ["https://api.flatpeak.com", 443],
    ["http://127.0.0.1", 80],
  ])("gives %s without a port its scheme's default port", async (baseUrl, port) => {
    const fetch = async () => new Response(JSON.stringify({ object: "list", url: "/customers", has_more: false, data: [] }), { headers: { "content-type": "application/json" } });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl, fetch, use: [tracing()] });
    await flatpeak.GET("/customers");
    expect(callSpans()[0]?.attributes).toMatchObject({ "server.address": new URL(baseUrl).hostname, "server.port": port });
  });
  it.each([
    [400, "400", 2],
    [304, undefined, 0],
  ])("sets error.type for a %s answer only from 400 on", async (status, errorType, code) => {
    const fetch = async () => (status === 304 ? new Response(null, { status }) : new Response(JSON.stringify({ object: "error", type: "invalid_request_error", code: "bad_request", message: "no" }), { status, headers: { "content-type": "application/json" } }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: "https://api.flatpeak.com", fetch, use: [tracing()] });
    await flatpeak.GET("/customers");
    const [span] = callSpans();
    expect(span?.attributes["http.response.status_code"]).toBe(status);
    expect(span?.attributes["error.type"]).toBe(errorType);
    expect(span?.status.code).toBe(code);
  });

  it("hands the backend exactly the attributes known, none left undefined, for a success and for a failure", async () => {
    const { log, tracerProvider, meterProvider } = recordingTelemetry();
    const list = JSON.stringify({ object: "list", url: "/customers", has_more: false, data: [] });
    const ok = createFlatpeakClient({ token: "t", fetch: async () => new Response(list, { headers: { "content-type": "application/json" } }), use: [tracing({ tracerProvider, meterProvider })] });
    await ok.GET("/customers");
    const method = { "http.request.method": "GET", "url.template": "/customers" };
    expect(log).toStrictEqual([
      ["getTracer", "flatpeak-client", "2025-09-14.anode"],
      ["startSpan", "GET /customers", { kind: 2, attributes: method }],
      ["setAttributes", { "server.address": "api.flatpeak.com", "server.port": 443, "url.full": "https://api.flatpeak.com/customers", "http.response.status_code": 200, "flatpeak.api_version": "2025-09-14.anode" }],
      ["end"],
      ["record", expect.any(Number), { ...method, "server.address": "api.flatpeak.com", "http.response.status_code": 200 }],
    ]);
    log.length = 0;
    const down = createFlatpeakClient({ token: "t", fetch: () => Promise.reject(new TypeError("fetch failed")), maxRetries: 0, use: [tracing({ tracerProvider, meterProvider })] });
    await expect(down.GET("/customers")).rejects.toMatchObject({ kind: "network" });
    expect(log).toStrictEqual([
      ["getTracer", "flatpeak-client", "2025-09-14.anode"],
      ["startSpan", "GET /customers", { kind: 2, attributes: method }],
      ["setAttributes", { "server.address": "api.flatpeak.com", "server.port": 443, "url.full": "https://api.flatpeak.com/customers", "error.type": "network", "flatpeak.api_version": "2025-09-14.anode" }],
      ["setStatus", { code: 2 }],
      ["end"],
      ["record", expect.any(Number), { ...method, "server.address": "api.flatpeak.com", "error.type": "network" }],
    ]);
  });

  it("counts the attempts of a call that logs in again after a rejected token, and answers it", async () => {
    let tokens = 0;
    server = await startLocalServer((request, response) => {
      if (answerLogin(request, response, `token-${++tokens}`)) return;
      if (request.headers.authorization === "Bearer token-1") json(response, 401, { object: "error", type: "authentication_error", code: "unauthorized", message: "expired" });
      else json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] });
    });
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey, baseUrl: server.baseUrl, use: [tracing()] });
    expect((await flatpeak.GET("/customers")).response.status).toBe(200);
    const [span] = callSpans();
    expect(span?.attributes).toMatchObject({ "http.response.status_code": 200, "http.request.resend_count": 1 });
  });

  it("leaves the app's own span active for the call's requests when the tracer is broken", async () => {
    server = await startLocalServer((_request, response) => json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] }));
    const broken = {
      getTracer() {
        throw new Error("tracer broken");
      },
    } as unknown as TracerProvider;
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [tracing({ tracerProvider: broken })] });
    await trace.getTracer("app").startActiveSpan("app work", async (outer) => {
      await flatpeak.GET("/customers");
      outer.end();
    });
    const outer = exporter.getFinishedSpans().find((span) => span.name === "app work");
    const fetches = fetchSpans().filter((span) => span.name !== "app work");
    expect(fetches).toHaveLength(1);
    expect(parentOf(fetches[0] as ReadableSpan)).toBe(outer?.spanContext().spanId);
    expect(tracing().name).toBe("tracing");
  });

  it("records the duration under the meter and histogram of flatpeak-client, described", async () => {
    const ownReader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [ownReader] });
    const fetch = async () => new Response(JSON.stringify({ object: "list", url: "/customers", has_more: false, data: [] }), { headers: { "content-type": "application/json" } });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: "https://api.flatpeak.com", fetch, use: [tracing({ meterProvider })] });
    await flatpeak.GET("/customers");
    const [scope] = (await ownReader.collect()).resourceMetrics.scopeMetrics;
    expect(scope?.scope).toMatchObject({ name: "flatpeak-client", version: "2025-09-14.anode" });
    expect(scope?.metrics[0]?.descriptor).toMatchObject({ name: "flatpeak.client.call.duration", unit: "s", description: "Duration of Flatpeak API calls, retries and waits included." });
    expect(callSpans()[0]?.instrumentationScope).toMatchObject({ name: "flatpeak-client", version: "2025-09-14.anode" });
    await meterProvider.shutdown();
  });
});
