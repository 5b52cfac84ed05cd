import { untilAborted } from "../shared/abort.js";
import { belongsIn, checkKeys, type EveryKey } from "../shared/known-keys.js";
import { shielded } from "../shared/shielded.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { readCapped } from "./capped-body.js";
import { FlatpeakWebhookError, isFlatpeakWebhookError, type FlatpeakWebhookErrorReason } from "./errors.js";
import type { WebhookHeaders } from "./headers.js";
import { nodeRequestBody, type NodeRequestLike, type NodeResponseLike } from "./node-adapter.js";
import type { EventRouter } from "./router.js";
import type { WebhookVerifier } from "./verifier.js";

/**
 * What {@link createWebhookHandler} wires together, and its limits.
 *
 * @example
 * const options: WebhookHandlerOptions = { verifier: createWebhookVerifier(), router, onError: (error) => console.error(error) };
 */
export interface WebhookHandlerOptions {
  verifier: WebhookVerifier;
  router: EventRouter;
  /** Told of every delivery not answered 200, of every failed handler and of store failures, with the full reason; the answer never carries it. A hook that throws is ignored. */
  onError?: ((error: unknown) => void) | undefined;
  /** The longest body accepted; longer ones are answered 413 without being read. Default 1 MiB (1 048 576 bytes). */
  maxBodyBytes?: number | undefined;
  /** Time for the body to arrive and the handlers to run, after which the delivery is answered so that Flatpeak retries it; default 8 000 ms (Flatpeak waits 10 s). */
  deadlineMs?: number | undefined;
}

/**
 * A webhook endpoint: a standard `(request) => Promise<Response>` function,
 * plus `node(req, res)` for Node's `http` server and Express. Neither ever
 * rejects: every delivery ends in an answer, or a closed connection when the
 * sender went away.
 *
 * @example
 * export const POST = handler; // a Next.js route handler
 * app.post("/webhooks/flatpeak", handler.node); // Express, no body parser needed
 */
export interface WebhookHandler {
  (request: Request): Promise<Response>;
  /** Serves Node and Express; reads the raw body itself, or takes the bytes `express.raw()` left in `req.body`. */
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
}

/**
 * An answer the handler gives: its status and JSON body.
 *
 * @example
 * const answer: WebhookAnswer = { status: 503, body: { error: "in_progress" } };
 */
export type WebhookAnswer = { status: number; body: { received: true } | { error: string } };

/** What a delivery gives the handler: its headers, and how to read its body within a signal. */
interface Delivery {
  headers: WebhookHeaders;
  body(signal: AbortSignal): Promise<unknown>;
}

const DEFAULT_MAX_BODY_BYTES = 1_048_576;
const KEYS: EveryKey<WebhookHandlerOptions> = { verifier: true, router: true, onError: true, maxBodyBytes: true, deadlineMs: true };
const ELSEWHERE = {
  ...belongsIn("verifier: createWebhookVerifier", ["jwksUrl", "keys", "toleranceSeconds", "fetch", "allowUnsigned", "jwksTimeoutMs", "jwksCooldownMs"]),
  ...belongsIn("router: createEventRouter", ["store", "leaseMs", "retentionMs"]),
};
const DEFAULT_DEADLINE_MS = 8_000;
const RECEIVED: WebhookAnswer = { status: 200, body: { received: true } };
const IN_PROGRESS: WebhookAnswer = { status: 503, body: { error: "in_progress" } };
const HANDLER_FAILED: WebhookAnswer = { status: 500, body: { error: "handler_failed" } };

/** The answer to each reason a delivery was not handled. */
const REFUSALS: Record<FlatpeakWebhookErrorReason, WebhookAnswer> = {
  missing_header: invalid(),
  unsigned: invalid(),
  unknown_scheme: invalid(),
  unknown_key: invalid(),
  stale: invalid(),
  future: invalid(),
  bad_signature: invalid(),
  invalid_payload: invalid(),
  body_unreadable: { status: 400, body: { error: "unreadable_body" } },
  body_timeout: { status: 408, body: { error: "request_timeout" } },
  body_too_large: { status: 413, body: { error: "body_too_large" } },
  not_raw_body: { status: 500, body: { error: "not_raw_body" } },
  keys_unavailable: { status: 503, body: { error: "try_later" } },
  store_unavailable: { status: 503, body: { error: "try_later" } },
  handler_timeout: { status: 503, body: { error: "try_later" } },
  lease_lost: IN_PROGRESS,
};

/**
 * Creates a {@link WebhookHandler}. For each delivery, within `deadlineMs`:
 * checks the signature headers before reading the body (so a forged or
 * stale delivery costs no body read), reads at most `maxBodyBytes`, verifies
 * the signature, and runs the router. Answers, each with a JSON body:
 * - 200 `{"received":true}`: handled now, or handled before (a duplicate);
 * - 400 `{"error":"invalid_webhook"}`: fails verification (nothing that helps an attacker);
 * - 400 `{"error":"unreadable_body"}`, 408 `{"error":"request_timeout"}`, 413 `{"error":"body_too_large"}`: the body broke off, came too slowly, or is too long;
 * - 500 `{"error":"handler_failed"}`: a handler threw;
 * - 500 `{"error":"not_raw_body"}`: a body parser already parsed the body (an app-wide `express.json()`, say), so it cannot be verified; `onError` is told how to fix it;
 * - 503 `{"error":"try_later"}`: the signing keys or the router's store are unreachable, or the handlers outran the deadline (they go on, and keep their claim);
 * - 503 `{"error":"in_progress"}`: the same event is being handled by another delivery right now.
 * Every answer but 200 makes Flatpeak deliver again later.
 *
 * @example
 * import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";
 *
 * const router = createEventRouter().on("tariff.expired", (event) => notify(event.data.location_id));
 * export const POST = createWebhookHandler({ verifier: createWebhookVerifier(), router });
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  checkKeys("createWebhookHandler", options, KEYS, ELSEWHERE);
  const { verifier, router } = checkedParts(options);
  const maxBodyBytes = wholeNumberOption("createWebhookHandler", "maxBodyBytes", options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 1);
  const deadlineMs = wholeNumberOption("createWebhookHandler", "deadlineMs", options.deadlineMs, DEFAULT_DEADLINE_MS, 1, MAX_TIMER_MS);
  const notify = shielded(checkedHook(options.onError)) ?? ignore;

  async function answer(delivery: Delivery): Promise<WebhookAnswer> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), deadlineMs);
    const within = <T>(step: Promise<T>, reason: FlatpeakWebhookErrorReason, message: string) =>
      untilAborted(step, deadline.signal, () => new FlatpeakWebhookError(reason, `${message} within the handler's deadline of ${deadlineMs} ms (deadlineMs).`));
    try {
      const signed = await within(verifier.checkHeaders(delivery.headers), "keys_unavailable", "The signing keys did not arrive");
      const body = await within(delivery.body(deadline.signal), "body_timeout", "The body did not arrive");
      const event = await signed.verifyBody(body as Uint8Array);
      const dispatched = router.dispatch(event, { onStoreError: notify, signal: deadline.signal });
      const outcome = await within(dispatched, "handler_timeout", "The handlers did not settle").catch((error: unknown) => {
        // Handlers that outran the deadline go on: a failure they end in later is still reported, as is a claim the store did not confirm in time.
        if (deadline.signal.aborted) dispatched.catch(notify);
        throw error;
      });
      return outcome === "in_progress" ? IN_PROGRESS : RECEIVED;
    } catch (error) {
      notify(error);
      return isFlatpeakWebhookError(error) ? REFUSALS[error.reason] : HANDLER_FAILED;
    } finally {
      clearTimeout(timer);
    }
  }

  const handler = async (request: Request) => {
    const { status, body } = await answer({
      headers: request.headers,
      body: (signal) => readCapped(request.body, request.headers.get("content-length"), maxBodyBytes, "maxBodyBytes", signal),
    });
    return Response.json(body, { status });
  };
  return Object.assign(handler, {
    async node(req: NodeRequestLike, res: NodeResponseLike) {
      let complete = req.body !== undefined;
      const reply = await answer({
        headers: req.headers,
        body: async (signal) => {
          const body = await nodeRequestBody(req, maxBodyBytes, signal);
          complete = true;
          return body;
        },
      });
      sendNode(res, reply, !complete);
    },
  });
}

/** Writes the answer, unless one was already sent; closes the connection when the body was left unread, so the rest of it is never read. */
function sendNode(res: NodeResponseLike, { status, body }: WebhookAnswer, closeConnection: boolean): void {
  try {
    if (res.headersSent === true) return;
    res.statusCode = status;
    res.setHeader("content-type", "application/json");
    if (closeConnection) res.setHeader("connection", "close");
    res.end(JSON.stringify(body));
  } catch {
    // The connection is gone; there is nobody left to answer.
  }
}

function checkedHook(onError: unknown): ((error: unknown) => void) | undefined {
  if (onError !== undefined && typeof onError !== "function") throw new TypeError("createWebhookHandler: onError must be a function, such as (error) => console.warn(error).");
  return onError as ((error: unknown) => void) | undefined;
}

function ignore(): void {}

function checkedParts({ verifier, router }: WebhookHandlerOptions): { verifier: WebhookVerifier; router: EventRouter } {
  if (typeof verifier?.checkHeaders !== "function") throw new TypeError("createWebhookHandler: verifier must be a verifier from createWebhookVerifier().");
  if (typeof router?.dispatch !== "function") throw new TypeError("createWebhookHandler: router must be a router from createEventRouter().");
  return { verifier, router };
}

function invalid(): WebhookAnswer {
  return { status: 400, body: { error: "invalid_webhook" } };
}
