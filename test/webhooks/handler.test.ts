import { EventEmitter } from "node:events";
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

  describe("on a Node request object", () => {
    /** A request whose body arrives in `chunks`, or fails with `error`. */
    function nodeRequest(headers: Record<string, string>, chunks: Uint8Array[], error?: Error) {
      const req = Object.assign(new EventEmitter(), { headers, body: undefined });
      setTimeout(() => {
        for (const chunk of chunks) req.emit("data", chunk);
        if (error) req.emit("error", error);
        else req.emit("end");
      }, 1);
      return req;
    }

    function nodeResponse() {
      const sent = { statusCode: 0, headers: {} as Record<string, string>, body: "" };
      const res = { set statusCode(code: number) { sent.statusCode = code; }, setHeader: (name: string, value: string) => void (sent.headers[name] = value), end: (body: string) => void (sent.body = body) };
      return { res, sent };
    }

    it("joins a body that arrives in several chunks, in order", async () => {
      const event = createTestEvent("location.update");
      const bytes = new TextEncoder().encode(JSON.stringify(event));
      const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 40), bytes.subarray(40)];
      const { res, sent } = nodeResponse();
      await handler.node(nodeRequest(await signer.sign(bytes), chunks) as never, res as never);
      expect([sent.statusCode, sent.headers["content-type"], JSON.parse(sent.body)]).toEqual([200, "application/json", { received: true }]);
      expect(handled.map((e) => e.id)).toEqual([event.id]);
    });

    it("rejects with the request stream's error", async () => {
      const broken = new Error("socket closed by the client");
      const { res } = nodeResponse();
      await expect(handler.node(nodeRequest({}, [new Uint8Array([1])], broken) as never, res as never)).rejects.toBe(broken);
    });

    it("finds a header given in any letter case among keys with no value", async () => {
      const event = createTestEvent("location.update");
      const body = JSON.stringify(event);
      const headers: Record<string, string | undefined> = { "flatpeak-key-id": undefined, "flatpeak-signature": undefined, ...(await signer.sign(body)) };
      expect((await verifier.verify(body, headers as Record<string, string>)).id).toBe(event.id);
    });
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

  /** Every string in `value`, with its path. */
  function strings(value: unknown, path = "data"): Array<[string, string]> {
    if (typeof value === "string") return [[path, value]];
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([key, inner]) => strings(inner, `${path}.${key}`));
  }

  const PREFIXES: Record<string, string> = { id: "", account_id: "acc_", location_id: "loc_", customer_id: "cus_", tariff_id: "trf_" };

  it.each([...TEST_EVENT_TYPES])("%s carries no empty text, ids with their prefixes and a consistent test-mode object", (type) => {
    const event = createTestEvent(type);
    for (const [path, text] of strings(event.data)) expect(text, path).not.toBe("");
    for (const [key, prefix] of Object.entries(PREFIXES)) {
      const value = (event.data as Record<string, unknown>)[key];
      if (value !== undefined) expect(String(value), key).toMatch(new RegExp(`^${prefix}[0-9a-z_]*[0-9a-f]{24}$`));
    }
    expect((event.data as { live_mode?: boolean }).live_mode).toBe(false);
    const locations = (event.data as { locations?: string[] }).locations;
    if (locations) expect(locations).toEqual([createTestEvent("location.create").data.id]);
  });

  it("links the customer, location and tariff events to one another as Flatpeak does", () => {
    const [customer, location, tariff, session] = [createTestEvent("customer.create").data, createTestEvent("location.create").data, createTestEvent("tariff.expired").data, createTestEvent("connect_session.complete").data];
    expect([location.customer_id, tariff.location_id, session.location_id, session.customer_id]).toEqual([customer.id, location.id, location.id, customer.id]);
    expect(location.postal_address).toMatchObject({ city: "London", country_code: "GB" });
  });

  it.each([
    ["tariff.expired", "webhook.tariff-expired.json"],
    ["tariff.expiring", "webhook.tariff-expiring.json"],
    ["device.create", "webhook.device-create.json"],
  ] as const)("%s has the fields of the docs' example", async (type, fixture) => {
    const { example } = (await import(`../fixtures/docs/${fixture}`, { with: { type: "json" } })).default as { example: { data: Record<string, unknown> } };
    const expected = Object.keys(example.data).filter((key) => key !== "last_seen").sort();
    expect(Object.keys(createTestEvent(type).data).sort()).toEqual(expected);
  });

  it("signs with the headers of a Flatpeak delivery", async () => {
    const headers = await signer.sign("{}", { timestamp: 1_767_225_600, kid: "wsk_other" });
    expect({ ...headers, "Flatpeak-Signature": "…" }).toEqual({
      "Flatpeak-Signature": "…",
      "Flatpeak-Signature-Scheme": "v1",
      "Flatpeak-Timestamp": "1767225600",
      "Flatpeak-Key-ID": "wsk_other",
      "Flatpeak-Version": "2025-09-14.anode",
      "Content-Type": "application/json",
    });
  });

  it("gives every event a fresh id in Flatpeak's form, and the overrides asked for", () => {
    const [first, second] = [createTestEvent("tariff.expired"), createTestEvent("tariff.expired")];
    for (const event of [first, second]) expect(event.id).toMatch(new RegExp(`^evt_test_[0-9a-f]{${Date.now().toString(16).length}}[0-9a-f]{6}$`));
    expect(first.id).not.toBe(second.id);
    expect(parseInt(second.id.slice(-6), 16) - parseInt(first.id.slice(-6), 16)).toBe(1);
    expect(first.time_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(createTestEvent("tariff.expired", { id: "evt_fixed" }).id).toBe("evt_fixed");
  });
});
