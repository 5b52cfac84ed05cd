import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTestEvent, createTestWebhookSigner, TEST_EVENT_TYPES } from "../../src/testing/index.js";
import {
  FlatpeakWebhookError,
  createEventRouter,
  createMemoryDeduplicator,
  createWebhookHandler,
  createWebhookVerifier,
  type FlatpeakEvent,
} from "../../src/webhooks/index.js";
import { schemaViolations } from "../helpers/spec.js";

const signer = await createTestWebhookSigner();
const verifier = createWebhookVerifier({ keys: signer.jwks });

async function signedRequest(event: unknown, change: (headers: Record<string, string>) => Record<string, string> = (headers) => headers) {
  const body = JSON.stringify(event);
  return new Request("http://localhost/webhooks", { method: "POST", body, headers: change(await signer.sign(body)) });
}

describe("createEventRouter", () => {
  it("runs the handlers of the event's type, in order, with the event typed", async () => {
    const seen: string[] = [];
    const router = createEventRouter()
      .on("tariff.expired", (event) => {
        seen.push(`first ${event.data.location_id}`);
      })
      .on("tariff.expired", async (event) => {
        seen.push(`second ${event.data.tariff_id ?? ""}`);
      })
      .on("location.update", (event) => {
        seen.push(`location ${event.data.timezone ?? ""}`);
      });
    const expired = createTestEvent("tariff.expired");
    await router.dispatch(expired);
    await router.dispatch(createTestEvent("location.update"));
    expect(seen).toEqual([`first ${expired.data.location_id}`, `second ${expired.data.tariff_id ?? ""}`, "location Europe/London"]);
  });

  it("hands events no handler takes, types added later included, to onUnknown", async () => {
    const unknown: string[] = [];
    const router = createEventRouter()
      .on("tariff.expired", () => undefined)
      .onUnknown((event) => {
        unknown.push(event.type);
      });
    await router.dispatch({ id: "evt_1", object: "event", type: "battery.update", data: {} });
    await router.dispatch(createTestEvent("device.create"));
    expect(unknown).toEqual(["battery.update", "device.create"]);
  });

  it("drops redeliveries of an event it has handled, by event.id", async () => {
    let handled = 0;
    const router = createEventRouter({ isDuplicate: createMemoryDeduplicator({ maxEntries: 2 }) }).on("tariff.expiring", () => {
      handled++;
    });
    const [a, b, c] = [createTestEvent("tariff.expiring"), createTestEvent("tariff.expiring"), createTestEvent("tariff.expiring")];
    for (const event of [a, a, b, a, c, a]) await router.dispatch(event);
    expect(handled).toBe(4);
  });

  it("passes a handler's failure on", async () => {
    const router = createEventRouter().on("customer.create", () => {
      throw new Error("database down");
    });
    await expect(router.dispatch(createTestEvent("customer.create"))).rejects.toThrow("database down");
  });
});

describe("createWebhookHandler", () => {
  const errors: unknown[] = [];
  const handled: FlatpeakEvent[] = [];
  const router = createEventRouter()
    .on("customer.delete", () => {
      throw new Error("handler failed");
    })
    .onUnknown((event) => {
      handled.push(event);
    });
  const handler = createWebhookHandler({ verifier, router, onError: (error) => errors.push(error) });
  afterEach(() => {
    errors.length = 0;
    handled.length = 0;
  });

  it("answers 200 once the handlers have run", async () => {
    const event = createTestEvent("location.create");
    const response = await handler(await signedRequest(event));
    expect([response.status, response.headers.get("content-type"), await response.json()]).toEqual([200, "application/json", { received: true }]);
    expect(handled.map((e) => e.id)).toEqual([event.id]);
  });

  it("answers a bare 400 to a bad signature, and tells onError why", async () => {
    const response = await handler(await signedRequest(createTestEvent("location.create"), (headers) => ({ ...headers, "Flatpeak-Timestamp": "1" })));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_webhook" });
    expect(errors).toEqual([expect.objectContaining({ reason: "stale" })]);
    expect(handled).toEqual([]);
  });

  it("answers 500 when a handler throws, so Flatpeak delivers again", async () => {
    const response = await handler(await signedRequest(createTestEvent("customer.delete")));
    expect([response.status, await response.json()]).toEqual([500, { error: "handler_failed" }]);
    expect(errors).toEqual([expect.objectContaining({ message: "handler failed" })]);
  });

  it("answers 503 when the signing keys cannot be fetched", async () => {
    const unreachable = createWebhookHandler({ verifier: createWebhookVerifier({ fetch: () => Promise.reject(new Error("offline")) }), router });
    const response = await unreachable(await signedRequest(createTestEvent("location.create")));
    expect([response.status, await response.json()]).toEqual([503, { error: "try_later" }]);
  });

  describe("on Node's http server", () => {
    let server: Server | undefined;
    afterEach(async () => {
      await new Promise((resolve) => server?.close(resolve));
      server = undefined;
    });

    async function serve(listener: Parameters<typeof createServer>[1]) {
      server = createServer(listener);
      await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
    }

    it("reads the raw body from the request stream itself", async () => {
      const url = await serve((req, res) => void handler.node(req, res));
      const event = createTestEvent("schedule.created");
      const body = JSON.stringify(event);
      const response = await fetch(url, { method: "POST", body, headers: await signer.sign(body) });
      expect([response.status, response.headers.get("content-type"), await response.json()]).toEqual([200, "application/json", { received: true }]);
      expect(handled.map((e) => e.id)).toEqual([event.id]);
    });

    it("takes the bytes express.raw() leaves in req.body", async () => {
      const url = await serve((req, res) => {
        const chunks: Uint8Array[] = [];
        req.on("data", (chunk: Uint8Array) => chunks.push(chunk));
        req.on("end", () => void handler.node(Object.assign(req, { body: new Uint8Array(Buffer.concat(chunks)) }), res));
      });
      const body = JSON.stringify(createTestEvent("device.update"));
      expect((await fetch(url, { method: "POST", body, headers: await signer.sign(body) })).status).toBe(200);
    });

    it("refuses a body a JSON parser already parsed, and says how to fix it", async () => {
      const url = await serve((req, res) => {
        const chunks: Uint8Array[] = [];
        req.on("data", (chunk: Uint8Array) => chunks.push(chunk));
        req.on("end", () => void handler.node(Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()) as unknown }), res));
      });
      const body = JSON.stringify(createTestEvent("device.update"));
      const response = await fetch(url, { method: "POST", body, headers: await signer.sign(body) });
      expect([response.status, await response.json()]).toEqual([500, { error: "handler_failed" }]);
      expect(errors).toEqual([expect.any(FlatpeakWebhookError)]);
      expect((errors[0] as FlatpeakWebhookError).reason).toBe("not_raw_body");
      expect((errors[0] as Error).message).toMatch(/express\.raw/);
    });
  });
});

describe("the test kit's events", () => {
  it.each([...TEST_EVENT_TYPES])("%s validates against the spec's WebhookEvent", (type) => {
    expect(schemaViolations("WebhookEvent", createTestEvent(type))).toEqual([]);
  });
});
