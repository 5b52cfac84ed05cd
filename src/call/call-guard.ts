import type { Middleware } from "openapi-fetch";
import { bodyText } from "../http/buffered-response.js";
import type { Call, FetchLike } from "./call.js";
import type { Pipeline } from "./pipeline.js";
import { NOT_JSON, parseJson, toErrorBody } from "../errors/error-body.js";
import { FlatpeakError } from "../errors/errors.js";
import { openapiCall, type OpenapiClient, type OpenapiInit, type OpenapiResult } from "./openapi-call.js";
import { toOutgoing } from "../http/outgoing-request.js";
import { CLIENT_OPTIONS } from "../client/options.js";
import { assertSendableParams } from "./param-guard.js";
import { redactBody } from "../errors/redact.js";
import { rememberRequest } from "../http/request-of.js";
import type { FlatpeakClient } from "../client/typed-client.js";

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

type CallInit = OpenapiInit & { fetch?: unknown; retry?: unknown; deadlineMs?: unknown; signal?: AbortSignal | null };

/**
 * The client's methods — `GET`, `PUT`, `POST`, `DELETE`, `OPTIONS`, `HEAD`,
 * `PATCH`, `TRACE`, `request`, and openapi-fetch's `use` and `eject` for
 * middleware — each call of which: refuses unsendable parameters and bad
 * per-call options (`fetch`, `retry`, a `deadlineMs` without a plugin that
 * takes it) with a `TypeError` before anything is serialised; is built and
 * parsed as openapi-fetch does it (its serializers, its middleware) and
 * sent through the client's steps — also with a per-call `fetch`, which then
 * replaces only the underlying fetch, never the auth, version pin, retries or
 * typed errors; resolves every non-2xx answer (HEAD included) with a typed
 * `error`; and rejects with a `FlatpeakError` of kind `invalid_response`
 * when a 2xx body is not the JSON it should be — while a `SyntaxError` from
 * anywhere else (a middleware, say) passes through as it is.
 *
 * @example
 * const flatpeak = callMethods({ baseUrl, headers: {}, middleware: [] }, createPipeline(settings));
 * @internal
 */
export function callMethods(client: OpenapiClient, { observe, send, apiVersion, takesDeadlines }: Pipeline): FlatpeakClient {
  async function guarded(method: string, path: string, init: CallInit = {}): Promise<OpenapiResult> {
    const operation = `${method} ${path}`;
    assertSendableParams(operation, init.params);
    const call: Call = { method, operation, ...perCall(operation, init, takesDeadlines), signal: init.signal ?? undefined, deadlineAt: Infinity, apiVersion };
    let sentUrl: string | undefined;
    let answer: Response | undefined;
    const fetch = async (request: Request) => {
      const response = await send(await toOutgoing(request), call);
      rememberRequest(response, request);
      sentUrl = request.url;
      answer = response;
      return response;
    };
    const run = async () => {
      try {
        return withTypedError(await openapiCall(client, method, path, init, fetch));
      } catch (error) {
        if (!(error instanceof SyntaxError) || answer === undefined || !unparsable(answer)) throw error;
        throw new FlatpeakError({ kind: "invalid_response", method, url: sentUrl as string, cause: error, message: `${operation} answered ${answer.status} with a body that is not valid JSON` });
      }
    };
    return observe.length === 0 ? run() : observe.reduceRight<() => Promise<OpenapiResult>>((next, step) => () => step(call, next), run)();
  }
  const methods: Record<string, unknown> = {
    request: (method: string, path: string, init?: CallInit) => guarded(method.toUpperCase(), path, init),
    use(...middleware: Middleware[]) {
      for (const handler of middleware) {
        if (!handler) continue;
        if (typeof handler !== "object" || !("onRequest" in handler || "onResponse" in handler || "onError" in handler)) throw new TypeError("use: a middleware is an object with onRequest, onResponse or onError.");
        client.middleware.push(handler);
      }
    },
    eject(...middleware: Middleware[]) {
      for (const handler of middleware) {
        const at = client.middleware.indexOf(handler);
        if (at !== -1) client.middleware.splice(at, 1);
      }
    },
  };
  for (const method of METHODS) methods[method] = (path: string, init?: CallInit) => guarded(method, path, init);
  return methods as unknown as FlatpeakClient;
}

/**
 * The per-call options the steps read, or a `TypeError` naming the one that
 * is wrong — also an option of the client given to a call, which it would
 * ignore. Other keys are left alone: a call takes any `RequestInit` key,
 * runtimes add their own, and middleware may read keys of its own.
 */
function perCall(operation: string, init: CallInit, takesDeadlines: boolean): Pick<Call, "fetch" | "retry" | "deadlineMs"> {
  const { fetch, retry, deadlineMs } = init;
  const clientOnly = Object.keys(init).find((key) => CLIENT_OPTIONS[key as keyof typeof CLIENT_OPTIONS] === true);
  const problem = clientOnly
    ? `${clientOnly} is an option of the client (createFlatpeakClient), not of a call`
    : fetch !== undefined && typeof fetch !== "function"
      ? "fetch must be a function"
      : retry !== undefined && typeof retry !== "boolean"
        ? "retry must be true or false"
        : deadlineMs !== undefined && !takesDeadlines
          ? "deadlineMs needs callLimits() in the client's use"
          : undefined;
  if (problem) throw new TypeError(`${operation}: ${problem}.`);
  return { fetch: fetch as FetchLike | undefined, retry: retry as boolean | undefined, deadlineMs };
}

/** An answer whose body the client read and that does not parse as JSON. */
function unparsable(response: Response): boolean {
  const text = bodyText(response);
  return text !== undefined && parseJson(text) === NOT_JSON;
}

/**
 * The typed error body of a non-2xx answer, whatever was made of it (nothing
 * for HEAD and empty bodies): from the body the client read, with secrets
 * masked, or from the status alone for an answer a middleware gave.
 */
function withTypedError(result: OpenapiResult): OpenapiResult {
  const { response } = result;
  if (response.status < 400) return result;
  const text = bodyText(response);
  if (text !== undefined || result.error === undefined) result.error = redactBody(toErrorBody(response.status, text ?? "", response.statusText));
  return result;
}
