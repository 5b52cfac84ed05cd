/**
 * `handler.node` on Node's own http server, with real sockets: bodies read
 * from the stream or left by body middleware, and the hostile cases that
 * used to crash the process — a client that leaves mid-body, a slow drip, a
 * 100 MB upload, a hook that throws — each ending in an answer or a closed
 * connection, with the server still serving.
 */
import { EventEmitter } from "node:events";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../src/store/index.js";
import { createTestEvent } from "../../src/testing/index.js";
import { createEventRouter, createWebhookHandler, type FlatpeakWebhookError, type WebhookHandlerOptions } from "../../src/webhooks/index.js";
import { deliveries, until } from "../helpers/deliveries.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<URL> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`);
}

/** A server whose requests go to a handler over a memory-store router; `errors` collects what onError is told. */
async function webhookServer(options: Partial<WebhookHandlerOptions> = {}, before?: (req: IncomingMessage) => Promise<void>) {
  const kit = await deliveries();
  const errors: unknown[] = [];
  const handled: string[] = [];
  const router = options.router ?? createEventRouter({ store: createMemoryStore() }).onUnknown((event) => void handled.push(event.id));
  const handler = createWebhookHandler({ verifier: kit.verifier, router, onError: (error) => errors.push(error), ...options });
  const url = await serve((req, res) => void (before ? before(req) : Promise.resolve()).then(() => handler.node(req, res)));
  return { ...kit, errors, handled, url, handler };
}

function reasons(errors: unknown[]) {
  return errors.map((error) => (error as FlatpeakWebhookError).reason ?? (error as Error).message);
}

/** Sends headers and then whatever `write` does with the raw request; resolves with the answer, or the socket error. */
function rawRequest(url: URL, headers: Record<string, string>, write: (req: ReturnType<typeof httpRequest>) => void) {
  return new Promise<{ status?: number | undefined; body?: unknown; connection?: string | undefined; error?: string }>((resolve) => {
    const req = httpRequest(url, { method: "POST", headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(text) as unknown, connection: res.headers.connection }));
      res.on("error", (error) => resolve({ error: error.message }));
    });
    req.on("error", (error) => resolve({ error: error.message }));
    write(req);
  });
}

describe("handler.node on Node's http server", () => {
  it("reads the raw body from the request stream, in as many chunks as it comes", async () => {
    const { url, signed, handled } = await webhookServer();
    const event = createTestEvent("schedule.created");
    const { body, headers } = await signed(event);
    const answer = await rawRequest(url, headers, (req) => {
      for (let at = 0; at < body.length; at += 7) req.write(body.slice(at, at + 7));
      req.end();
    });
    expect(answer).toEqual({ status: 200, body: { received: true }, connection: "keep-alive" });
    expect(handled).toEqual([event.id]);
  });

  it("takes the bytes express.raw() leaves in req.body, and keeps the connection when it refuses them", async () => {
    const { url, signed, handled } = await webhookServer({}, readIntoBody((bytes) => bytes));
    const event = createTestEvent("device.update");
    const { body, headers } = await signed(event);
    const response = await fetch(url, { method: "POST", body, headers });
    expect([response.status, response.headers.get("content-type")]).toEqual([200, "application/json"]);
    expect(handled).toEqual([event.id]);
    const forged = await rawRequest(url, { ...headers, "Flatpeak-Key-ID": "wsk_forged", "content-length": String(body.length) }, (req) => req.end(body));
    expect(forged).toEqual({ status: 400, body: { error: "invalid_webhook" }, connection: "keep-alive" });
  });

  it("refuses bytes in req.body longer than maxBodyBytes with 413", async () => {
    const { url, signed } = await webhookServer({ maxBodyBytes: 10 }, readIntoBody((bytes) => bytes));
    const { body, headers } = await signed(createTestEvent("device.update"));
    const response = await fetch(url, { method: "POST", body, headers });
    expect([response.status, await response.json()]).toEqual([413, { error: "body_too_large" }]);
  });

  it("answers 500 not_raw_body to a body a JSON parser already parsed, and says how to fix it", async () => {
    const { url, signed, errors } = await webhookServer({}, readIntoBody((bytes) => JSON.parse(Buffer.from(bytes).toString()) as unknown));
    const { body, headers } = await signed(createTestEvent("device.update"));
    const response = await fetch(url, { method: "POST", body, headers });
    expect([response.status, await response.json()]).toEqual([500, { error: "not_raw_body" }]);
    expect(reasons(errors)).toEqual(["not_raw_body"]);
    expect((errors[0] as Error).message).toMatch(/express\.raw/);
  });

  it("answers not_raw_body behind an app-wide express.json(), and tells onError to register the route before it", async () => {
    const kit = await deliveries();
    const errors: unknown[] = [];
    const app = express();
    app.use(express.json());
    app.post("/webhooks", express.raw({ type: "application/json" }), createWebhookHandler({ verifier: kit.verifier, router: createEventRouter(), onError: (error) => errors.push(error) }).node);
    const url = await serve(app);
    const { body, headers } = await kit.signed(createTestEvent("device.update"));
    const response = await fetch(url, { method: "POST", body, headers });
    expect([response.status, await response.json()]).toEqual([500, { error: "not_raw_body" }]);
    expect(reasons(errors)).toEqual(["not_raw_body"]);
    expect((errors[0] as Error).message).toMatch(/^The webhook body is of type object, parsed already, so the bytes Flatpeak signed are lost\./);
    expect((errors[0] as Error).message).toContain("registered before any app-wide app.use(express.json())");
  });

  it("survives a client that leaves in the middle of the body, tells onError, and goes on serving", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const { url, signed, errors } = await webhookServer();
      const { body, headers } = await signed(createTestEvent("device.update"));
      const answer = await rawRequest(url, { ...headers, "content-length": String(body.length) }, (req) => {
        req.write(body.slice(0, 20));
        setTimeout(() => req.destroy(), 20);
      });
      expect(answer.error).toBeDefined();
      await until(() => errors.length > 0);
      expect(reasons(errors)).toEqual(["body_unreadable"]);
      const next = await signed(createTestEvent("device.update"));
      expect((await fetch(url, { method: "POST", body: next.body, headers: next.headers })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("keeps serving when onError throws", async () => {
    const { url, request } = await webhookServer({
      onError: () => {
        throw new Error("logger broken");
      },
    });
    const forged = await request(createTestEvent("tariff.expired"), (headers) => ({ ...headers, "Flatpeak-Key-ID": "wsk_forged" }));
    expect((await fetch(url, { method: "POST", body: await forged.text(), headers: forged.headers })).status).toBe(400);
    const fine = await request(createTestEvent("tariff.expired"));
    expect((await fetch(url, { method: "POST", body: await fine.text(), headers: fine.headers })).status).toBe(200);
  });

  it("answers 408 to a body that drips in too slowly, and closes the connection", async () => {
    const { url, signed, errors } = await webhookServer({ deadlineMs: 150 });
    const { body, headers } = await signed(createTestEvent("device.update"));
    let drip: ReturnType<typeof setInterval> | undefined;
    const started = performance.now();
    const answer = await rawRequest(url, { ...headers, "content-length": String(body.length) }, (req) => {
      let at = 0;
      drip = setInterval(() => req.write(body.slice(at, ++at)), 20);
    });
    clearInterval(drip);
    expect(answer).toEqual({ status: 408, body: { error: "request_timeout" }, connection: "close" });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(reasons(errors)).toEqual(["body_timeout"]);
  });

  it("refuses a delivery without signature headers before its body has arrived", async () => {
    const { url } = await webhookServer();
    const answer = await rawRequest(url, { "content-type": "application/json", "content-length": "1000" }, (req) => req.write("{"));
    expect(answer).toEqual({ status: 400, body: { error: "invalid_webhook" }, connection: "close" });
  });

  it("answers 413 to a declared 100 MB body at once, without reading it", async () => {
    const { url, signed } = await webhookServer();
    const { headers } = await signed(createTestEvent("device.update"));
    const answer = await rawRequest(url, { ...headers, "content-length": String(100 * 1024 * 1024) }, (req) => req.write("{"));
    expect(answer).toEqual({ status: 413, body: { error: "body_too_large" }, connection: "close" });
  });

  it("stops reading a streamed 100 MB body soon after 1 MiB and answers 413", async () => {
    const { url, signed } = await webhookServer();
    const { headers } = await signed(createTestEvent("device.update"));
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 100 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const outcome = await fetch(url, { method: "POST", body, headers, duplex: "half" } as RequestInit).then(
      async (response) => ({ status: response.status, body: (await response.json()) as unknown }),
      (error: unknown) => ({ error: String(error) }),
    );
    expect(outcome).toEqual({ status: 413, body: { error: "body_too_large" } });
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it("answers 503 when the handlers outrun the deadline", async () => {
    const router = createEventRouter().onUnknown(() => new Promise<void>(() => undefined));
    const { url, signed, errors } = await webhookServer({ router, deadlineMs: 100 });
    const { body, headers } = await signed(createTestEvent("device.update"));
    const response = await fetch(url, { method: "POST", body, headers });
    expect([response.status, await response.json(), reasons(errors)]).toEqual([503, { error: "try_later" }, ["handler_timeout"]]);
  });

  it("leaves alone a response that something else already started", async () => {
    const { handler, signed } = await webhookServer();
    const { body, headers } = await signed(createTestEvent("device.update"));
    const req = Object.assign(new EventEmitter(), { headers, body: new TextEncoder().encode(body) });
    const writes: string[] = [];
    const res = { statusCode: 0, headersSent: true, setHeader: () => writes.push("header"), end: () => writes.push("end") };
    await handler.node(req, res);
    expect([writes, res.statusCode]).toEqual([[], 0]);
  });

  it("resolves even when writing the answer throws, as on a destroyed socket", async () => {
    const { handler, signed } = await webhookServer();
    const { body, headers } = await signed(createTestEvent("device.update"));
    const req = Object.assign(new EventEmitter(), { headers, body: new TextEncoder().encode(body) });
    const res = {
      statusCode: 0,
      setHeader: () => undefined,
      end: () => {
        throw new Error("write after end");
      },
    };
    await expect(handler.node(req, res)).resolves.toBeUndefined();
  });
});

/** Reads the request stream first and leaves `convert(bytes)` in `req.body`, as body middleware does. */
function readIntoBody(convert: (bytes: Uint8Array) => unknown) {
  return (req: IncomingMessage) =>
    new Promise<void>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        Object.assign(req, { body: convert(new Uint8Array(Buffer.concat(chunks))) });
        resolve();
      });
    });
}
