/**
 * tracing() with a telemetry backend that throws: a real OpenTelemetry SDK
 * whose span processors and exporters throw (synchronously and
 * asynchronously), and providers, tracers, spans, meters and histograms
 * that throw. Every call's result and retries are those of the same calls
 * without tracing(), and nothing is left unhandled.
 */
import { context, type ContextManager, type Histogram, type Meter, type MeterProvider, type Span, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, type FlatpeakPlugin } from "../../src/index.js";
import { tracing } from "../../src/otel/index.js";
import { answerLogin, json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  context.disable();
});

const broken = () => {
  throw new Error("telemetry backend down");
};

/** What a client with `plugins` gets for two calls against a server that answers 503, 503, then 200 to each (Retry-After 0), and how many requests that took. */
async function outcomes(plugins: FlatpeakPlugin[]) {
  const statuses: number[] = [];
  server = await startLocalServer((request, response) => {
    if (answerLogin(request, response, "bearer-token")) return;
    const status = [503, 503, 200][statuses.length % 3] ?? 200;
    statuses.push(status);
    if (status === 200) json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] });
    else json(response, status, { code: "down" }, { "retry-after": "0" });
  });
  const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl, use: plugins });
  const results = [];
  for (const path of ["/customers", "/customers"] as const) {
    const { data, error, response } = await flatpeak.GET(path);
    results.push({ data, error, status: response.status });
  }
  const requests = server.requests.map((request) => request.url);
  await server.close();
  server = undefined;
  return { results, requests };
}

const withoutTracing = () => outcomes([]);

/** `ExportResultCode.FAILED` of the SDK. */
const FAILED = 1;

const throwingExporter = (how: "sync" | "async" | "failed"): SpanExporter => ({
  export(_spans: ReadableSpan[], done) {
    if (how === "sync") broken();
    if (how === "async") setTimeout(() => done({ code: FAILED, error: new Error("exporter down") }), 0);
    else done({ code: FAILED, error: new Error("exporter down") });
  },
  shutdown: () => Promise.reject(new Error("exporter down")),
});

const throwingProcessor: SpanProcessor = { onStart: broken, onEnd: broken, forceFlush: () => Promise.reject(new Error("processor down")), shutdown: () => Promise.resolve() };

describe("tracing() over a real OpenTelemetry SDK that throws", () => {
  it.each([
    ["a span processor whose onStart and onEnd throw", () => [throwingProcessor]],
    ["an exporter that throws as it exports", () => [new SimpleSpanProcessor(throwingExporter("sync"))]],
    ["an exporter that fails later", () => [new SimpleSpanProcessor(throwingExporter("async"))]],
    ["an exporter that fails at once", () => [new SimpleSpanProcessor(throwingExporter("failed"))]],
  ] as const)("leaves every call as without tracing(): %s", async (_case, processors) => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const expected = await withoutTracing();
    const provider = new BasicTracerProvider({ spanProcessors: [...processors()] });
    expect(await outcomes([tracing({ tracerProvider: provider })])).toStrictEqual(expected);
    expect(expected.requests.filter((url) => url === "/customers")).toHaveLength(6);
  });
});

describe("tracing() with providers whose every part throws", () => {
  const throwingSpan = { setAttributes: broken, setStatus: broken, end: broken } as unknown as Span;
  const tracerProvider = (tracer: Partial<Tracer>): TracerProvider => ({ getTracer: () => tracer as Tracer });
  const meterProvider = (histogram: Partial<Histogram>): MeterProvider => ({ getMeter: () => ({ createHistogram: () => histogram }) as unknown as Meter });

  it.each([
    ["a tracer provider that throws", { tracerProvider: { getTracer: broken } as TracerProvider }],
    ["a tracer whose startSpan throws", { tracerProvider: tracerProvider({ startSpan: broken }) }],
    ["spans whose setAttributes, setStatus and end throw", { tracerProvider: tracerProvider({ startSpan: () => throwingSpan }) }],
    ["a meter provider that throws", { meterProvider: { getMeter: broken } as MeterProvider }],
    ["a meter whose createHistogram throws", { meterProvider: { getMeter: () => ({ createHistogram: broken }) as unknown as Meter } }],
    ["a histogram whose record throws", { meterProvider: meterProvider({ record: broken }) }],
  ])("leaves every call as without tracing(): %s", async (_case, options) => {
    const expected = await withoutTracing();
    expect(await outcomes([tracing(options)])).toStrictEqual(expected);
  });

  it("calls the client once when the context manager throws, and leaves the call as without tracing()", async () => {
    const throwing = { active: broken, with: broken, bind: broken, enable: () => throwing, disable: () => throwing } as unknown as ContextManager;
    context.setGlobalContextManager(throwing);
    const expected = await withoutTracing();
    const provider = new BasicTracerProvider();
    expect(await outcomes([tracing({ tracerProvider: provider })])).toStrictEqual(expected);
  });

  it("calls the client once when the context manager throws after it ran the call", async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    const throwingAfter = Object.assign(Object.create(manager) as ContextManager, {
      with(...args: Parameters<ContextManager["with"]>) {
        manager.with(...args);
        return broken();
      },
    });
    context.setGlobalContextManager(throwingAfter);
    const expected = await withoutTracing();
    const provider = new BasicTracerProvider();
    expect(await outcomes([tracing({ tracerProvider: provider })])).toStrictEqual(expected);
  });
});
