import { context, metrics, SpanKind, SpanStatusCode, trace, type Attributes, type MeterProvider, type Span, type TracerProvider } from "@opentelemetry/api";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import { callFacts, type EndFacts } from "../events/call-facts.js";
import { definePlugin, type FlatpeakPlugin } from "../client/plugin.js";
import { redactUrl } from "../errors/redact.js";
import { SPEC_VERSION } from "../../generated/spec-version.js";

/**
 * Options of {@link tracing}.
 *
 * @example
 * const options: TracingOptions = { tracerProvider: provider };
 */
export interface TracingOptions {
  /** Where spans go; default the global tracer provider (`trace` of `@opentelemetry/api`). */
  tracerProvider?: TracerProvider | undefined;
  /** Where the call duration histogram goes; default the global meter provider. */
  meterProvider?: MeterProvider | undefined;
}

// Stryker disable next-line BooleanLiteral: checkKeys reads which keys the table holds, never their values
const KEYS: EveryKey<TracingOptions> = { tracerProvider: true, meterProvider: true };

/**
 * OpenTelemetry for a client, as a plugin for its `use` option: one span per
 * API call (kind client), named `{method} {url.template}` (e.g.
 * `POST /prices/{id}`), with `http.request.method`, `url.template`,
 * `url.full` (secret query values masked), `server.address`, `server.port`,
 * `http.response.status_code`, `http.request.resend_count` (every attempt
 * after the first: retries, and the one after a re-login), `error.type`,
 * `flatpeak.error.code` and `flatpeak.api_version`, its status set to error
 * on a 4xx, 5xx or failure; and the `flatpeak.client.call.duration` histogram
 * (seconds). The call's span is active while its attempts are sent, so the
 * spans of Node's own `fetch` (`@opentelemetry/instrumentation-undici`: one
 * per HTTP attempt, with the `traceparent` header) nest under it; this plugin
 * makes no per-attempt span and sends no `traceparent` of its own. A tracer,
 * span, meter or histogram that throws (a broken backend) changes no call:
 * the call's result, timing and retries are those without `tracing()`.
 *
 * @example
 * import { createFlatpeakClient } from "flatpeak-client";
 * import { tracing } from "flatpeak-client/otel";
 *
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [tracing()] });
 */
export function tracing(options: TracingOptions = {}): FlatpeakPlugin {
  checkKeys("tracing", options, KEYS);
  const tracer = guarded(() => (options.tracerProvider ?? trace).getTracer("flatpeak-client", SPEC_VERSION));
  const duration = guarded(() =>
    (options.meterProvider ?? metrics)
      .getMeter("flatpeak-client", SPEC_VERSION)
      .createHistogram("flatpeak.client.call.duration", { unit: "s", description: "Duration of Flatpeak API calls, retries and waits included." }),
  );
  return definePlugin("tracing", {
    async observe(call, next) {
      const template = call.operation.slice(call.method.length + 1);
      // Stryker disable next-line OptionalChaining: inside guarded, a call on a missing tracer, span or histogram throws and is caught, as calling nothing would
      const span = guarded(() => tracer?.startSpan(call.operation, { kind: SpanKind.CLIENT, attributes: { "http.request.method": call.method, "url.template": template } }));
      let attempts = 0;
      let url: URL | undefined;
      const previous = call.note;
      call.note = (note) => {
        previous?.(note);
        if (note.type !== "attempt") return;
        attempts++;
        url ??= new URL(note.request.url);
      };
      const startedAt = performance.now();
      let facts: EndFacts & { failure?: string } = {};
      try {
        const result = await inSpan(span, next);
        facts = callFacts({ result });
        return result;
      } catch (error) {
        facts = { ...callFacts({ error }), failure: error instanceof Error ? error.name : typeof error };
        throw error;
      } finally {
        const attributes = endAttributes(facts, url, attempts);
        // Stryker disable OptionalChaining: inside guarded, a call on a missing tracer, span or histogram throws and is caught, as calling nothing would
        guarded(() => span?.setAttributes({ ...attributes, "flatpeak.api_version": call.apiVersion }));
        if (attributes["error.type"] !== undefined) guarded(() => span?.setStatus({ code: SpanStatusCode.ERROR }));
        guarded(() => span?.end());
        guarded(() => duration?.record((performance.now() - startedAt) / 1000, { "http.request.method": call.method, "url.template": template, ...pick(attributes, "server.address", "http.response.status_code", "error.type") }));
        // Stryker restore OptionalChaining
      }
    },
  });
}

/**
 * `run()` with `span` active, so that what it sends nests under it; just
 * `run()` without a span, or when the context cannot be set (it is called
 * once either way).
 */
function inSpan<T>(span: Span | undefined, run: () => Promise<T>): Promise<T> {
  let started: Promise<T> | undefined;
  const start = () => (started = new Promise<T>((resolve) => resolve(run())));
  if (span !== undefined) guarded(() => context.with(trace.setSpan(context.active(), span), start));
  return started ?? start();
}

/** What `touch` returns; `undefined` when it throws. Telemetry that fails must never fail a call: OpenTelemetry's own rule. */
function guarded<T>(touch: () => T): T | undefined {
  try {
    return touch();
    // Stryker disable next-line BlockStatement: a function that ends without a return returns undefined too
  } catch {
    return undefined;
  }
}

/** The attributes known once the call ended; `failure` is the name of an error that is not a `FlatpeakError`. */
function endAttributes(facts: EndFacts & { failure?: string }, url: URL | undefined, attempts: number): Attributes {
  const attributes: Attributes = {};
  if (url !== undefined) {
    attributes["server.address"] = url.hostname;
    attributes["server.port"] = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    attributes["url.full"] = `${url.origin}${redactUrl(url.href)}`;
  }
  if (attempts > 1) attributes["http.request.resend_count"] = attempts - 1;
  if (facts.status !== undefined) attributes["http.response.status_code"] = facts.status;
  if (facts.status !== undefined && facts.status >= 400) attributes["error.type"] = String(facts.status);
  const failure = facts.errorKind ?? facts.failure;
  if (failure !== undefined) attributes["error.type"] = failure;
  if (facts.code !== undefined) attributes["flatpeak.error.code"] = facts.code;
  return attributes;
}

function pick(attributes: Attributes, ...names: string[]): Attributes {
  return Object.fromEntries(names.filter((name) => attributes[name] !== undefined).map((name) => [name, attributes[name]]));
}
