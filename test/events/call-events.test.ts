/**
 * callEvents: an event for each call, attempt and login, correlated by call
 * id, with the operation's template and the API version, never a secret;
 * and a hook that throws, rejects or is slow changes no call.
 */
import { describe, expect, it, vi } from "vitest";
import { callEvents, type FlatpeakCallEvent } from "../../src/events/index.js";
import { createFlatpeakClient, type FlatpeakErrorKind } from "../../src/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { recordedEvents } from "../helpers/events.js";

const customer = { id: "cus_secret_id_42", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" } as const;

function client(options: { maxRetries?: number; timeoutMs?: number } = {}) {
  const mock = createMockFlatpeak();
  const recorded = recordedEvents();
  const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "sk_test_SECRET_KEY", fetch: mock.fetch, use: [recorded.plugin], ...options });
  return { mock, flatpeak, ...recorded };
}

const kinds = (events: FlatpeakCallEvent[]) => events.map((event) => event.type);

describe("callEvents", () => {
  it("reports a login and three calls, each call's events under one id of its own", async () => {
    const { flatpeak, events } = client();
    await Promise.all([flatpeak.GET("/customers"), flatpeak.GET("/devices"), flatpeak.GET("/locations")]);
    expect(events.filter((event) => event.type === "login")).toStrictEqual([{ type: "login", operation: "GET /login", expiresInSeconds: 3600 }]);
    const byCall = new Map<string, FlatpeakCallEvent[]>();
    for (const event of events) if ("callId" in event) byCall.set(event.callId, [...(byCall.get(event.callId) ?? []), event]);
    expect(byCall.size).toBe(3);
    for (const callEvents of byCall.values()) expect(kinds(callEvents)).toStrictEqual(["call_start", "attempt_end", "call_end"]);
    expect([...byCall.keys()].every((id) => /^fp_[0-9a-f]{6}\.\d+$/.test(id))).toBe(true);
  });

  it("carries the method, the operation's template (no ids) and the API version of each event", async () => {
    const { mock, flatpeak, events } = client();
    mock.on("GET /customers/{id}", () => ({ status: 200, body: customer }));
    await flatpeak.GET("/customers/{id}", { params: { path: { id: customer.id } } });
    const [start, attempt, end] = events.filter((event) => "callId" in event);
    expect(start).toStrictEqual({ type: "call_start", callId: expect.any(String), method: "GET", operation: "GET /customers/{id}", apiVersion: "2025-09-14.anode" });
    expect(attempt).toStrictEqual({ ...start, type: "attempt_end", attempt: 1, durationMs: expect.any(Number), status: 200 });
    expect(end).toStrictEqual({ ...start, type: "call_end", outcome: "ok", status: 200, durationMs: expect.any(Number), attempts: 1 });
    expect((end as { durationMs: number }).durationMs).toBeGreaterThanOrEqual((attempt as { durationMs: number }).durationMs);
    expect(JSON.stringify(events)).not.toContain(customer.id);
  });

  it("reports the API version a call sends of its own", async () => {
    const { flatpeak, events } = client();
    await flatpeak.GET("/customers", { headers: { "Flatpeak-Version": "2024-08-24.zero" } });
    expect(events.filter((event) => event.type === "call_end")).toStrictEqual([expect.objectContaining({ apiVersion: "2024-08-24.zero" })]);
  });

  it("says why an attempt will be retried and after how long, and counts the attempts", async () => {
    const { mock, flatpeak, events } = client();
    mock.once("GET /customers", { fault: "answer", ...mock.error(503), headers: { "Retry-After": "0" } });
    mock.once("GET /customers", mock.faults.network());
    await flatpeak.GET("/customers");
    const attempts = events.filter((event) => event.type === "attempt_end");
    expect(attempts).toStrictEqual([
      expect.objectContaining({ attempt: 1, status: 503, code: "api_error", retryInMs: 0, retryReason: "503 answer, Retry-After" }),
      expect.objectContaining({ attempt: 2, errorKind: "network", retryInMs: expect.any(Number), retryReason: "network failure" }),
      expect.objectContaining({ attempt: 3, status: 200 }),
    ]);
    expect(attempts[2]).not.toHaveProperty("retryInMs");
    expect(events.at(-1)).toMatchObject({ type: "call_end", outcome: "ok", attempts: 3 });
  });

  it("gives the status and Flatpeak code of a failed call", async () => {
    const { mock, flatpeak, events } = client();
    mock.on("GET /customers/{id}", () => mock.error(404));
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_gone" } } });
    expect(events.at(-1)).toMatchObject({ type: "call_end", outcome: "http_error", status: 404, code: "not_found", attempts: 1 });
    expect(events.at(-2)).toMatchObject({ type: "attempt_end", status: 404, code: "not_found" });
  });

  it.each<[string, () => ReturnType<typeof client>, FlatpeakErrorKind]>([
    [
      "a timeout",
      () => {
        const setup = client({ maxRetries: 0, timeoutMs: 30 });
        setup.mock.on("GET /customers", setup.mock.faults.timeout);
        return setup;
      },
      "timeout",
    ],
    [
      "a body that is not JSON",
      () => {
        const recorded = recordedEvents();
        const flatpeak = createFlatpeakClient({ token: "t", fetch: async () => new Response("{not json", { headers: { "content-type": "application/json" } }), use: [recorded.plugin] });
        return { mock: createMockFlatpeak(), flatpeak, ...recorded };
      },
      "invalid_response",
    ],
  ])("reports a call that ends in %s as failed, with its kind", async (_case, setUp, errorKind) => {
    const { flatpeak, events } = setUp();
    await flatpeak.GET("/customers").catch(() => undefined);
    expect(events.at(-1)).toMatchObject({ type: "call_end", outcome: "failed", errorKind });
  });

  it("reports a re-login under the call whose token was rejected", async () => {
    const { mock, flatpeak, events } = client();
    await flatpeak.GET("/customers");
    mock.expireTokens();
    await flatpeak.GET("/customers");
    const second = events.filter((event) => event.type !== "login" && event.type !== "login_failed").slice(3);
    expect(kinds(second)).toStrictEqual(["call_start", "attempt_end", "relogin", "attempt_end", "call_end"]);
    expect(second[2]).toMatchObject({ type: "relogin", status: 403, operation: "GET /customers" });
    expect(new Set(second.map((event) => (event as { callId: string }).callId)).size).toBe(1);
  });

  it("reports failed logins with the status or the kind of failure", async () => {
    const { mock, flatpeak, events } = client({ maxRetries: 0 });
    mock.once("GET /login", mock.faults.serverError(503));
    mock.once("GET /login", mock.faults.network());
    await flatpeak.GET("/customers");
    await flatpeak.GET("/customers").catch(() => undefined);
    expect(events.filter((event) => event.type === "login_failed")).toStrictEqual([
      { type: "login_failed", operation: "GET /login", status: 503 },
      { type: "login_failed", operation: "GET /login", errorKind: "network" },
    ]);
  });

  it("holds no secret: no key, Basic header, token, connect_token or path id", async () => {
    const { mock, flatpeak, events } = client();
    mock.once("GET /connect/tariff/token", { fault: "answer", ...mock.error(503), headers: { "Retry-After": "0" } });
    await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_secret_1" } } });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_secret_2" } } });
    const text = JSON.stringify(events);
    for (const secret of ["sk_test_SECRET_KEY", btoa("acc_1:sk_test_SECRET_KEY"), "mock_token_", "cot_secret_1", "cus_secret_2"]) expect(text).not.toContain(secret);
  });

  it.each<[string, () => unknown]>([
    [
      "throws",
      () => {
        throw new Error("logger down");
      },
    ],
    ["rejects", () => Promise.reject(new Error("logger down"))],
    ["never settles", () => new Promise(() => undefined)],
  ])("lets every call go on when the hook %s", async (_case, onEvent) => {
    const mock = createMockFlatpeak();
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", fetch: mock.fetch, use: [callEvents({ onEvent })] });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const results = await Promise.all([flatpeak.GET("/customers"), flatpeak.GET("/devices")]);
      expect(results.map((result) => result.response.status)).toStrictEqual([200, 200]);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toStrictEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("gives each of two observing plugins every event", async () => {
    const [first, second] = [recordedEvents(), recordedEvents()];
    const mock = createMockFlatpeak();
    const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, use: [first.plugin, second.plugin] });
    await flatpeak.GET("/customers");
    expect(kinds(first.events)).toStrictEqual(["call_start", "attempt_end", "call_end"]);
    expect(kinds(second.events)).toStrictEqual(kinds(first.events));
  });

  it("refuses options without an onEvent function", () => {
    expect(() => callEvents({} as never)).toThrow(new TypeError("callEvents: pass { onEvent }, a function that receives each event, e.g. (event) => console.log(event)."));
    expect(() => callEvents(undefined as never)).toThrow(new TypeError("callEvents: pass { onEvent }, a function that receives each event, e.g. (event) => console.log(event)."));
    expect(callEvents({ onEvent: () => undefined }).name).toBe("callEvents");
  });

  it("numbers the calls of a plugin from a prefix of three random bytes, each written as two hex digits", async () => {
    const spy = vi.spyOn(crypto, "getRandomValues").mockImplementation((array) => {
      (array as Uint8Array).set([0x01, 0xab, 0x0f]);
      return array;
    });
    const { flatpeak, events } = client();
    spy.mockRestore();
    await flatpeak.GET("/customers");
    await flatpeak.GET("/customers");
    expect([...new Set(events.flatMap((event) => ("callId" in event ? [event.callId] : [])))]).toStrictEqual(["fp_01ab0f.1", "fp_01ab0f.2"]);
  });

  it("counts a 400 answer as an http_error and a 399 one as ok, and times the call from its start", async () => {
    for (const [status, outcome] of [
      [400, "http_error"],
      [399, "ok"],
    ] as const) {
      const recorded = recordedEvents();
      const flatpeak = createFlatpeakClient({ token: "t", fetch: async () => new Response(status === 400 ? '{"code":"bad"}' : null, { status }), maxRetries: 0, use: [recorded.plugin] });
      const before = performance.now();
      await flatpeak.GET("/customers");
      const took = performance.now() - before;
      const end = recorded.events.at(-1) as { outcome: string; durationMs: number };
      expect(end.outcome).toBe(outcome);
      expect(end.durationMs).toBeGreaterThanOrEqual(0);
      expect(end.durationMs).toBeLessThanOrEqual(took);
    }
  });
});
