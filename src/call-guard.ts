import type { Client } from "openapi-fetch";
import { bodyText } from "./buffered-response.js";
import type { Call, FetchLike } from "./call/call.js";
import type { Pipeline } from "./call/pipeline.js";
import { toErrorBody } from "./error-body.js";
import { FlatpeakError } from "./errors.js";
import { toOutgoing } from "./outgoing-request.js";
import { assertSendableParams, type CallParams } from "./param-guard.js";
import { rememberRequest } from "./request-of.js";
import type { FlatpeakPaths } from "./typed-paths.js";

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

type CallInit = { params?: CallParams; fetch?: unknown; retry?: unknown; deadlineMs?: unknown; signal?: AbortSignal | null; [option: string]: unknown };
type CallResult = { data?: unknown; error?: unknown; response: Response };
type Method = (path: string, init?: CallInit) => Promise<CallResult>;

/**
 * Wraps every method of `client` (and `client.request`) so that each call:
 * refuses unsendable parameters and bad per-call options (`fetch`, `retry`,
 * a `deadlineMs` without a plugin that takes it) with a `TypeError` before
 * anything is serialised; goes through the client's steps — also with a
 * per-call `fetch`, which
 * then replaces only the underlying fetch, never the auth, version pin,
 * retries or typed errors; resolves every non-2xx answer (HEAD included)
 * with a typed `error`; and rejects with a `FlatpeakError` of kind
 * `invalid_response` when a 2xx body is not the JSON it should be — while a
 * `SyntaxError` from anywhere else (a middleware, say) passes through as it
 * is.
 *
 * @example
 * const client = createClient<FlatpeakPaths>({ baseUrl, Request: OutgoingRequest });
 * guardCalls(client, createPipeline(settings));
 */
export function guardCalls(client: Client<FlatpeakPaths>, { observe, send, apiVersion, takesDeadlines }: Pipeline): void {
  const methods = client as unknown as Record<(typeof METHODS)[number], Method> & { request: (method: string, path: string, init?: CallInit) => Promise<CallResult> };
  const guarded = (method: string, openapiCall: Method): Method => async (path, init) => {
    assertSendableParams(method, path, init?.params);
    const deadlineMs = init?.deadlineMs;
    if (deadlineMs !== undefined && !takesDeadlines) throw new TypeError(`${method} ${path}: deadlineMs needs callLimits() of flatpeak-client/limits in the client's use.`);
    const call: Call = { method, operation: `${method} ${path}`, fetch: callFetch(method, path, init?.fetch), retry: callRetry(method, path, init?.retry), deadlineMs, signal: init?.signal ?? undefined, deadlineAt: Number.POSITIVE_INFINITY, apiVersion };
    let sent: { request: Request; response: Response } | undefined;
    const fetch = async (request: Request) => {
      const response = await send(await toOutgoing(request), call);
      rememberRequest(response, request);
      sent = { request, response };
      return response;
    };
    const run = async () => {
      try {
        return withTypedError(await openapiCall(path, { ...init, fetch }));
      } catch (error) {
        if (!(error instanceof SyntaxError) || sent === undefined || !unparsable(sent.response)) throw error;
        const { url } = sent.request;
        throw new FlatpeakError({ kind: "invalid_response", method, url, cause: error, message: `${method} ${path} answered ${sent.response.status} with a body that is not valid JSON` });
      }
    };
    return observe === undefined ? run() : observe(call, run);
  };
  for (const method of METHODS) methods[method] = guarded(method, methods[method].bind(client));
  const request = methods.request.bind(client);
  methods.request = (method, path, init) => guarded(method.toUpperCase(), (p, i) => request(method, p, i))(path, init);
}

function callFetch(method: string, path: string, fetch: unknown): FetchLike | undefined {
  if (fetch !== undefined && typeof fetch !== "function") throw new TypeError(`${method} ${path}: the fetch option must be a function such as globalThis.fetch.`);
  return fetch as FetchLike | undefined;
}

function callRetry(method: string, path: string, retry: unknown): boolean | undefined {
  if (retry !== undefined && typeof retry !== "boolean") throw new TypeError(`${method} ${path}: retry must be true, false or left out.`);
  return retry;
}

/** An answer whose body the client read and that does not parse as JSON (only a 2xx can be one: error bodies are made JSON). */
function unparsable(response: Response): boolean {
  const text = bodyText(response);
  if (text === undefined) return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

/** Fills in the typed error that openapi-fetch leaves out for HEAD and empty bodies. */
function withTypedError(result: CallResult): CallResult {
  const { response } = result;
  if (result.error !== undefined || response.status < 400) return result;
  const text = bodyText(response);
  result.error = text ? (JSON.parse(text) as unknown) : toErrorBody(response.status, "", response.statusText);
  return result;
}
