import { FlatpeakWebhookError } from "./errors.js";
import type { WebhookHeaders } from "./headers.js";
import { nodeRequestBody, type NodeRequestLike, type NodeResponseLike } from "./node-adapter.js";
import type { EventRouter } from "./router.js";
import type { WebhookVerifier } from "./verifier.js";

/**
 * What {@link createWebhookHandler} wires together.
 *
 * @example
 * const options: WebhookHandlerOptions = { verifier: createWebhookVerifier(), router, onError: (error) => console.error(error) };
 */
export interface WebhookHandlerOptions {
  verifier: WebhookVerifier;
  router: EventRouter;
  /** Told of every refused delivery and failed handler, with the full reason; the answer never carries it. */
  onError?: ((error: unknown) => void) | undefined;
}

/**
 * A webhook endpoint: a standard `(request) => Promise<Response>` function,
 * plus `node(req, res)` for Node's `http` server and Express.
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

type Answer = { status: number; body: { received: true } | { error: string } };

/**
 * Creates a {@link WebhookHandler}: it verifies the raw body, runs the router
 * and answers 200 once the handlers succeed. A delivery that fails
 * verification gets a bare 400 (nothing that helps an attacker); unavailable
 * signing keys a 503; a failing handler, or a body some middleware already
 * parsed, a 500, so Flatpeak delivers again later.
 *
 * @example
 * import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";
 *
 * const router = createEventRouter().on("tariff.expired", (event) => notify(event.data.location_id));
 * export const POST = createWebhookHandler({ verifier: createWebhookVerifier(), router });
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  /** `rawBody` may be an object a body parser made; the verifier refuses it with `not_raw_body`. */
  async function answer(rawBody: unknown, headers: WebhookHeaders): Promise<Answer> {
    try {
      await options.router.dispatch(await options.verifier.verify(rawBody as string | Uint8Array, headers));
      return { status: 200, body: { received: true } };
    } catch (error) {
      options.onError?.(error);
      return refusal(error);
    }
  }
  const handler = async (request: Request) => {
    const { status, body } = await answer(await request.arrayBuffer(), request.headers);
    return Response.json(body, { status });
  };
  return Object.assign(handler, {
    async node(req: NodeRequestLike, res: NodeResponseLike) {
      const { status, body } = await answer(await nodeRequestBody(req), req.headers);
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    },
  });
}

function refusal(error: unknown): Answer {
  if (!(error instanceof FlatpeakWebhookError) || error.reason === "not_raw_body") return { status: 500, body: { error: "handler_failed" } };
  if (error.reason === "keys_unavailable") return { status: 503, body: { error: "try_later" } };
  return { status: 400, body: { error: "invalid_webhook" } };
}
