/**
 * The webhook handler on web `Request`s: every answer exactly as sent, the
 * store's claims, the body cap, the deadline, and hostile or broken input
 * that must end in an answer, never a rejection.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "../../src/store/index.js";
import { createTestEvent } from "../../src/testing/index.js";
import { createEventRouter, createWebhookHandler, createWebhookVerifier, type EventRouter, type FlatpeakWebhookError, type WebhookHandlerOptions } from "../../src/webhooks/index.js";
import { deliveries, trackedStream, until } from "../helpers/deliveries.js";
import { faultyStore } from "../helpers/faulty-store.js";

afterEach(() => {
  vi.useRealTimers();
});

async function answered(response: Response) {
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as unknown };
}

/** A handler over a router with `router` handlers, reporting to `errors`. */
async function setUp(route: (router: EventRouter) => EventRouter = (router) => router, options: Partial<WebhookHandlerOptions> = {}) {
  const kit = await deliveries();
  const errors: unknown[] = [];
  const router = route(createEventRouter(options.router ? {} : { store: createMemoryStore() }));
  const handler = createWebhookHandler({ verifier: kit.verifier, router, onError: (error) => errors.push(error), ...options });
  return { ...kit, errors, handler };
}

function reasons(errors: unknown[]) {
  return errors.map((error) => (error as FlatpeakWebhookError).reason ?? (error as Error).message);
}

describe("createWebhookHandler answers", () => {
  it("200 {received: true} once the handlers have run", async () => {
    const handled: string[] = [];
    const { handler, request, errors } = await setUp((router) => router.onUnknown((event) => void handled.push(event.id)));
    const event = createTestEvent("location.create");
    expect(await answered(await handler(await request(event)))).toEqual({ status: 200, type: "application/json", body: { received: true } });
    expect([handled, errors]).toEqual([[event.id], []]);
  });

  it("200 to a redelivery of a handled event, without running the handlers again", async () => {
    let runs = 0;
    const { handler, request } = await setUp((router) =>
      router.onUnknown(() => {
        runs++;
      }),
    );
    const delivery = await request(createTestEvent("location.create"));
    const again = delivery.clone();
    await handler(delivery);
    expect([(await answered(await handler(again))).status, runs]).toEqual([200, 1]);
  });

  it('400 {"error":"invalid_webhook"} to a delivery that fails verification, and tells onError why', async () => {
    const { handler, request, errors } = await setUp();
    const response = await handler(await request(createTestEvent("location.create"), (headers) => ({ ...headers, "Flatpeak-Timestamp": "1" })));
    expect(await answered(response)).toEqual({ status: 400, type: "application/json", body: { error: "invalid_webhook" } });
    expect(reasons(errors)).toEqual(["stale"]);
  });

  it('500 {"error":"handler_failed"} when a handler throws, and again runs it on the redelivery', async () => {
    let runs = 0;
    const { handler, request, errors } = await setUp((router) =>
      router.on("customer.delete", () => {
        if (++runs === 1) throw new Error("database down");
      }),
    );
    const delivery = await request(createTestEvent("customer.delete"));
    const redelivery = delivery.clone();
    expect(await answered(await handler(delivery))).toEqual({ status: 500, type: "application/json", body: { error: "handler_failed" } });
    expect((errors[0] as Error).message).toBe("database down");
    expect([(await handler(redelivery)).status, runs]).toEqual([200, 2]);
  });

  it('503 {"error":"in_progress"} to a delivery of an event that is being handled, never 200', async () => {
    let release: (() => void) | undefined;
    const { handler, request } = await setUp((router) => router.onUnknown(() => new Promise<void>((resolve) => (release = resolve))));
    const delivery = await request(createTestEvent("device.create"));
    const [copy, later] = [delivery.clone(), delivery.clone()];
    const first = handler(delivery);
    await until(() => release !== undefined);
    expect(await answered(await handler(copy))).toEqual({ status: 503, type: "application/json", body: { error: "in_progress" } });
    release?.();
    expect([(await first).status, (await handler(later)).status]).toEqual([200, 200]);
  });

  it('503 {"error":"try_later"} when the signing keys cannot be fetched', async () => {
    const { request, errors } = await setUp();
    const handler = createWebhookHandler({ verifier: createWebhookVerifier({ fetch: () => Promise.reject(new Error("offline")) }), router: createEventRouter(), onError: (error) => errors.push(error) });
    expect(await answered(await handler(await request(createTestEvent("location.create"))))).toEqual({ status: 503, type: "application/json", body: { error: "try_later" } });
    expect(reasons(errors)).toEqual(["keys_unavailable"]);
  });

  it('503 {"error":"try_later"} when the router\'s store is down, without running the handlers', async () => {
    const store = faultyStore();
    store.failing.add("set");
    let runs = 0;
    const kit = await deliveries();
    const errors: unknown[] = [];
    const router = createEventRouter({ store }).onUnknown(() => {
      runs++;
    });
    const handler = createWebhookHandler({ verifier: kit.verifier, router, onError: (error) => errors.push(error) });
    expect(await answered(await handler(await kit.request(createTestEvent("location.create"))))).toEqual({ status: 503, type: "application/json", body: { error: "try_later" } });
    expect([reasons(errors), runs]).toEqual([["store_unavailable"], 0]);
  });

  it('413 {"error":"body_too_large"} to a body whose Content-Length is over maxBodyBytes, without reading it', async () => {
    const { handler, signed, errors } = await setUp(undefined, { maxBodyBytes: 100 });
    const { headers } = await signed(createTestEvent("location.create"));
    const { stream, pulled } = trackedStream([new Uint8Array(200)]);
    const request = new Request("http://localhost/webhooks", { method: "POST", body: stream, headers: { ...headers, "content-length": "101" }, duplex: "half" } as RequestInit);
    expect(await answered(await handler(request))).toEqual({ status: 413, type: "application/json", body: { error: "body_too_large" } });
    expect(pulled.chunks).toBe(0);
    expect((errors[0] as Error).message).toBe("The body is larger than the 100 bytes allowed (maxBodyBytes).");
  });

  it("413 to a streamed body as soon as it grows past maxBodyBytes, and stops reading it", async () => {
    const { handler, signed } = await setUp(undefined, { maxBodyBytes: 64 * 1024 });
    const { headers } = await signed(createTestEvent("location.create"));
    const chunks = (function* () {
      for (;;) yield new Uint8Array(16 * 1024);
    })();
    const { stream, pulled } = trackedStream(chunks);
    const response = await handler(new Request("http://localhost/webhooks", { method: "POST", body: stream, headers, duplex: "half" } as RequestInit));
    expect(response.status).toBe(413);
    expect(pulled.bytes).toBeLessThanOrEqual(64 * 1024 + 3 * 16 * 1024);
    expect(pulled.cancelled).toBe(true);
  });

  it("reads bodies up to 1 MiB by default, and refuses longer ones", async () => {
    const { handler, signed } = await setUp();
    const { headers } = await signed(createTestEvent("location.create"));
    const sized = (length: number) => new Request("http://localhost/webhooks", { method: "POST", body: new Uint8Array(length), headers });
    expect((await handler(sized(1_048_577))).status).toBe(413);
    expect((await handler(sized(1_048_576))).status).toBe(400);
  });

  it("checks the signature headers before reading the body", async () => {
    const { handler, errors } = await setUp();
    const { stream, pulled } = trackedStream([new Uint8Array(10)], { endless: true });
    const response = await handler(new Request("http://localhost/webhooks", { method: "POST", body: stream, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit));
    expect(await answered(response)).toEqual({ status: 400, type: "application/json", body: { error: "invalid_webhook" } });
    expect([pulled.chunks, reasons(errors)]).toEqual([0, ["missing_header"]]);
  });

  it('400 {"error":"unreadable_body"} when the body stream fails, and tells onError', async () => {
    const { handler, signed, errors } = await setUp();
    const { headers } = await signed(createTestEvent("location.create"));
    const broken = new ReadableStream({
      pull(controller) {
        controller.error(new Error("connection reset"));
      },
    });
    const response = await handler(new Request("http://localhost/webhooks", { method: "POST", body: broken, headers, duplex: "half" } as RequestInit));
    expect(await answered(response)).toEqual({ status: 400, type: "application/json", body: { error: "unreadable_body" } });
    expect(reasons(errors)).toEqual(["body_unreadable"]);
    expect(((errors[0] as Error).cause as Error).message).toBe("connection reset");
  });

  it('408 {"error":"request_timeout"} when the body does not arrive within deadlineMs, and stops reading it', async () => {
    const { handler, signed, errors } = await setUp(undefined, { deadlineMs: 100 });
    const { headers } = await signed(createTestEvent("location.create"));
    const { stream, pulled } = trackedStream([new TextEncoder().encode('{"id":')], { endless: true });
    const started = performance.now();
    const response = await handler(new Request("http://localhost/webhooks", { method: "POST", body: stream, headers, duplex: "half" } as RequestInit));
    expect(await answered(response)).toEqual({ status: 408, type: "application/json", body: { error: "request_timeout" } });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(pulled.cancelled).toBe(true);
    expect(errors).toEqual([expect.objectContaining({ reason: "body_timeout", message: "The body did not arrive within the handler's deadline of 100 ms (deadlineMs)." })]);
  });

  it("503 when the handlers outrun deadlineMs; they keep their claim until they settle, and a late failure is reported", async () => {
    let finish: (error?: Error) => void = () => undefined;
    let runs = 0;
    const { handler, request, errors } = await setUp(
      (router) =>
        router.onUnknown(
          () =>
            new Promise<void>((resolve, reject) => {
              runs++;
              finish = (error) => (error ? reject(error) : resolve());
            }),
        ),
      { deadlineMs: 100 },
    );
    const delivery = await request(createTestEvent("device.update"));
    const [retry, afterFailure] = [delivery.clone(), delivery.clone()];
    expect(await answered(await handler(delivery))).toEqual({ status: 503, type: "application/json", body: { error: "try_later" } });
    expect(await answered(await handler(retry))).toEqual({ status: 503, type: "application/json", body: { error: "in_progress" } });
    finish(new Error("slow and failed"));
    await vi.waitFor(() => expect(reasons(errors)).toEqual(["handler_timeout", "slow and failed"]));
    const response = handler(afterFailure);
    await until(() => runs === 2);
    finish();
    expect((await response).status).toBe(200);
  });

  it("answers a handler that never settles within 8 s by default, under Flatpeak's 10 s", async () => {
    let started = false;
    const { handler, request } = await setUp((router) =>
      router.onUnknown(() => {
        started = true;
        return new Promise<void>(() => undefined);
      }),
    );
    const delivery = await request(createTestEvent("device.update"));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let settled = false;
    const response = handler(delivery).finally(() => {
      settled = true;
    });
    await until(() => started);
    await vi.advanceTimersByTimeAsync(7_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await response).status).toBe(503);
  });

  it("still answers when onError throws", async () => {
    const { request } = await setUp();
    const handler = createWebhookHandler({
      verifier: (await deliveries()).verifier,
      router: createEventRouter(),
      onError: () => {
        throw new Error("logger broken");
      },
    });
    expect((await handler(await request(createTestEvent("location.create")))).status).toBe(400);
  });
});

describe("createWebhookHandler, and what onError is told", () => {
  it("says why the keys took too long, and leaves no timer behind", async () => {
    const { request, errors } = await setUp();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const handler = createWebhookHandler({ verifier: createWebhookVerifier({ fetch: () => new Promise<Response>(() => undefined), jwksTimeoutMs: 60_000 }), router: createEventRouter(), deadlineMs: 50, onError: (error) => errors.push(error) });
    const answer = handler(await request(createTestEvent("location.create")));
    await vi.advanceTimersByTimeAsync(50);
    expect((await answer).status).toBe(503);
    expect(errors).toEqual([expect.objectContaining({ reason: "keys_unavailable", message: "The signing keys did not arrive within the handler's deadline of 50 ms (deadlineMs)." })]);
    vi.useRealTimers();
    const quick = createWebhookHandler({ verifier: (await deliveries()).verifier, router: createEventRouter() });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    await quick(new Request("http://localhost/webhooks", { method: "POST", body: "{}" }));
    expect(vi.getTimerCount()).toBe(0);
  });

  it("says the handlers did not settle in time", async () => {
    const { handler, request, errors } = await setUp((router) => router.onUnknown(() => new Promise<void>(() => undefined)), { deadlineMs: 30 });
    await handler(await request(createTestEvent("location.create")));
    expect(errors).toEqual([expect.objectContaining({ reason: "handler_timeout", message: "The handlers did not settle within the handler's deadline of 30 ms (deadlineMs)." })]);
  });

  it("answers 200 when only the done mark could not be written, and tells onError", async () => {
    const store = faultyStore();
    const kit = await deliveries();
    const errors: unknown[] = [];
    const router = createEventRouter({ store }).onUnknown(() => {
      store.failing.add("setIfEquals");
    });
    const handler = createWebhookHandler({ verifier: kit.verifier, router, onError: (error) => errors.push(error) });
    expect((await handler(await kit.request(createTestEvent("device.delete")))).status).toBe(200);
    expect(reasons(errors)).toEqual(["store_unavailable"]);
  });

  it("answers 400 to a signed delivery that carries no body", async () => {
    const { handler, signer } = await setUp();
    const response = await handler(new Request("http://localhost/webhooks", { method: "POST", headers: await signer.sign("") }));
    expect(await answered(response)).toEqual({ status: 400, type: "application/json", body: { error: "invalid_webhook" } });
  });
});

describe("createWebhookHandler options", () => {
  it.each([
    ["maxBodyBytes", { maxBodyBytes: 0 }, "createWebhookHandler: maxBodyBytes must be a whole number of 1 or more, got 0."],
    ["maxBodyBytes", { maxBodyBytes: Number.NaN }, "createWebhookHandler: maxBodyBytes must be a whole number of 1 or more, got NaN."],
    ["deadlineMs", { deadlineMs: -1 }, "createWebhookHandler: deadlineMs must be a whole number from 1 to 2147483647, got -1."],
    ["deadlineMs", { deadlineMs: 1.5 }, "createWebhookHandler: deadlineMs must be a whole number from 1 to 2147483647, got 1.5."],
  ])("refuses a bad %s with a TypeError naming it", async (_name, options, message) => {
    const { verifier } = await deliveries();
    expect(() => createWebhookHandler({ verifier, router: createEventRouter(), ...options })).toThrow(new TypeError(message));
  });

  it("refuses a verifier or router that is not one", async () => {
    const { verifier } = await deliveries();
    expect(() => createWebhookHandler({ verifier: {} as never, router: createEventRouter() })).toThrow(new TypeError("createWebhookHandler: verifier must be a verifier from createWebhookVerifier()."));
    expect(() => createWebhookHandler({ verifier: undefined as never, router: createEventRouter() })).toThrow(new TypeError("createWebhookHandler: verifier must be a verifier from createWebhookVerifier()."));
    expect(() => createWebhookHandler({ verifier, router: createEventRouter(), onError: "console" as never })).toThrow(new TypeError("createWebhookHandler: onError must be a function, such as (error) => console.warn(error)."));
    expect(() => createWebhookHandler({ verifier, router: undefined as never })).toThrow(new TypeError("createWebhookHandler: router must be a router from createEventRouter()."));
  });
});
