/**
 * Observability, recipe 2: OpenTelemetry traces. The tracing plugin makes
 * one span per API call, named by the operation's template, and keeps it
 * active while the call's attempts go out, so the spans Node's fetch makes
 * for each HTTP attempt (instrumentation-undici) nest under it. Here spans go
 * to an in-memory exporter and are printed as a tree; in production, give
 * the provider your OTLP exporter.
 */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { createFlatpeakClient } from "flatpeak-client";
import { tracing } from "flatpeak-client/otel";
import { askMockFor } from "./support.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);
registerInstrumentations({ tracerProvider: provider, instrumentations: [new UndiciInstrumentation()] });

const flatpeak = createFlatpeakClient({
  accountId: process.env.FLATPEAK_ACCOUNT_ID,
  apiKey: process.env.FLATPEAK_API_KEY,
  baseUrl: process.env.FLATPEAK_BASE_URL,
  use: [tracing()],
});

await flatpeak.GET("/locations", { params: { query: { limit: 2 } } });
await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_does_not_exist" } }, headers: askMockFor(404) });

const spans = exporter.getFinishedSpans();
for (const call of spans.filter((span) => span.instrumentationScope.name === "flatpeak-client")) {
  const { attributes } = call;
  console.log(`${call.name}  status ${attributes["http.response.status_code"] ?? "-"}${attributes["error.type"] ? `  error.type=${attributes["error.type"]}` : ""}${attributes["flatpeak.error.code"] ? `  code=${attributes["flatpeak.error.code"]}` : ""}`);
  for (const child of spans.filter((span) => span.parentSpanContext?.spanId === call.spanContext().spanId)) {
    console.log(`  └ ${child.name} ${new URL(String(child.attributes["url.full"])).pathname}  (fetch, HTTP ${child.attributes["http.response.status_code"]})`);
  }
}
await provider.shutdown();
