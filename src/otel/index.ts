/**
 * flatpeak-client/otel: an OpenTelemetry span per API call, active while its
 * attempts are sent, and a call duration histogram, as a plugin of the
 * client. Its only dependency is `@opentelemetry/api`.
 *
 * @example
 * import { tracing } from "flatpeak-client/otel";
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [tracing()] });
 */
export { tracing, type TracingOptions } from "./tracing.js";
