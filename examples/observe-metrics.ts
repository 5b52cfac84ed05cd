/**
 * Observability, recipe 3: metrics. The tracing plugin also records each
 * call's duration in the `flatpeak.client.call.duration` histogram (seconds),
 * by method, template, status and error type. Here a metric reader collects
 * it on demand and prints count and mean per operation; in production, give
 * the meter provider your exporter.
 */
import { metrics } from "@opentelemetry/api";
import { MeterProvider, MetricReader, type HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { createFlatpeakClient } from "flatpeak-client";
import { tracing } from "flatpeak-client/otel";

class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
const reader = new OnDemandReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

const flatpeak = createFlatpeakClient({
  accountId: process.env.FLATPEAK_ACCOUNT_ID,
  apiKey: process.env.FLATPEAK_API_KEY,
  baseUrl: process.env.FLATPEAK_BASE_URL,
  use: [tracing()],
});

for (let i = 0; i < 3; i++) await flatpeak.GET("/customers", { params: { query: { limit: 1 } } });
await flatpeak.GET("/devices");

const { resourceMetrics } = await reader.collect();
const histogram = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === "flatpeak.client.call.duration") as HistogramMetricData | undefined;
if (histogram === undefined) throw new Error("no flatpeak.client.call.duration histogram was recorded");
for (const point of histogram.dataPoints) {
  const { count, sum = 0 } = point.value;
  console.log(`${point.attributes["http.request.method"]} ${point.attributes["url.template"]} (HTTP ${point.attributes["http.response.status_code"]}): ${count} call(s), mean ${((sum / count) * 1000).toFixed(1)} ms`);
}
