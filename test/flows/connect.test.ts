import { getEventListeners } from "node:events";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { callEvents, completeConnect, createFlatpeakClient, isFlatpeakError, startConnect, unwrap, waitForTariff } from "../../src/index.js";
import { MOCK_OPERATIONS } from "../../generated/mock-answers.js";
import { createMockFlatpeak, type MockFlatpeak } from "../../src/testing/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const mock = () => createFlatpeakClient({ token: "t", baseUrl: inject("mockBaseUrl"), maxRetries: 0 });
const exchange = {
  id: "cot_65e0839faca22517d5d51cd5",
  object: "connect_token",
  live_mode: false,
  customer_id: "cus_1",
  location_id: "loc_1",
  location_reference_id: "LOC-1",
  is_tariff_processed: false,
  complete_action: "SAVE",
  time_created: "2024-01-01T00:00:00Z",
  time_expiry: "2024-01-02T00:00:00Z",
};

describe("startConnect", () => {
  it.each([
    ["https://connect.flatpeak.com", "https://connect.flatpeak.com?fp_cot=cot_65df3e949a785c52283026ec"],
    ["https://app.example.com/connect?theme=a%20b&x=~&y=a+b", "https://app.example.com/connect?theme=a%20b&x=~&y=a+b&fp_cot=cot_65df3e949a785c52283026ec"],
    ["https://app.example.com/connect?&lang=en&&FP_COT=other&fp_cot&fp%5Fcot=cot_older", "https://app.example.com/connect?&lang=en&&FP_COT=other&fp_cot=cot_65df3e949a785c52283026ec"],
    ["https://app.example.com/connect?bad=%E0%A4%A", "https://app.example.com/connect?bad=%E0%A4%A&fp_cot=cot_65df3e949a785c52283026ec"],
    ["http://localhost:3000/connect", "http://localhost:3000/connect?fp_cot=cot_65df3e949a785c52283026ec"],
    ["https://app.example.com/connect?", "https://app.example.com/connect?fp_cot=cot_65df3e949a785c52283026ec"],
    ["http://127.0.0.1:3000/connect#x?y", "http://127.0.0.1:3000/connect?fp_cot=cot_65df3e949a785c52283026ec#x?y"],
    ["https://app.example.com/connect?lang=en&step=a%20b#top", "https://app.example.com/connect?lang=en&step=a%20b&fp_cot=cot_65df3e949a785c52283026ec#top"],
    ["https://app.example.com/connect?fp_cot=cot_stale&lang=en", "https://app.example.com/connect?lang=en&fp_cot=cot_65df3e949a785c52283026ec"],
    ["myapp://nova/flatpeak/connect", "myapp://nova/flatpeak/connect?fp_cot=cot_65df3e949a785c52283026ec"],
  ])("adds fp_cot to %s", async (connectUrl, launchUrl) => {
    const startedAt = Date.now();
    const launch = await startConnect(mock(), { connect_url: connectUrl, callback_url: "myapp://done" });
    expect(launch.connectToken).toBe("cot_65df3e949a785c52283026ec");
    expect(launch.launchUrl).toBe(launchUrl);
    expect(launch.expiresAt.getTime() - startedAt).toBeGreaterThanOrEqual(86_400_000 - 1000);
    expect(launch.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it.each([
    ["javascript:", "javascript:alert(document.cookie)//", "has the scheme javascript:, which the connect token must never travel in"],
    ["data:", "data:text/html,<script>alert(1)</script>", "has the scheme data:, which the connect token must never travel in"],
    ["file:", "file:///tmp/connect.html", "has the scheme file:, which the connect token must never travel in"],
    ["http: to another machine", "http://connect.example.com/", "is http: to another machine, which would send the connect token unencrypted"],
    ["a relative URL", "/connect", "is not an absolute URL"],
    ["not a string", 42, "is not an absolute URL"],
  ])("refuses a connect_url that is %s before creating a token", async (_name, connectUrl, problem) => {
    const flatpeak = createFlatpeakClient({ token: "t", fetch: () => Promise.reject(new Error("nothing may be sent")) });
    await expect(startConnect(flatpeak, { connect_url: connectUrl as string, callback_url: "https://app/done" })).rejects.toThrow(
      new TypeError(`startConnect: connect_url ${problem}; pass the https: URL where Connect is hosted, such as "https://connect.flatpeak.com", or a deep link into your app.`),
    );
  });

  it("re-launches a settings page for one tariff category, and throws Flatpeak's refusal", async () => {
    let answered = 0;
    server = await startLocalServer((_request, response) =>
      ++answered === 1 ? json(response, 200, { connect_token: "cot_2", expires_in: 600, live_mode: false }) : json(response, 403, { code: "access_denied", message: "No" }),
    );
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const body = { connect_url: "https://connect.flatpeak.com", callback_url: "https://app/done", location_id: "loc_1", tariff_direction: "EXPORT", tariff_type: "COMMODITY", actions: { edit_tariff: true, disconnect_tariff: true } } as const;
    await startConnect(flatpeak, body);
    expect(JSON.parse(server.requests[0]?.body ?? "{}")).toStrictEqual(body);
    const refused = await startConnect(flatpeak, body).catch((error: unknown) => error);
    expect(isFlatpeakError(refused, "access_denied") && refused.kind).toBe("http");
  });
});

describe("completeConnect", () => {
  async function exchanging(status = 200, body: unknown = exchange) {
    server = await startLocalServer((_request, response) => json(response, status, body));
    return createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
  }

  it("reads fp_cot from the callback URL and exchanges it", async () => {
    const flatpeak = await exchanging();
    const outcome = await completeConnect(flatpeak, "https://app.example.com/flatpeak/done?state=x&fp_cot=cot_abc123");
    expect(outcome).toStrictEqual({ locationId: "loc_1", locationReferenceId: "LOC-1", customerId: "cus_1", action: "SAVE", tariffProcessed: false });
    expect(server?.requests[0]?.url).toBe("/connect/tariff/token?connect_token=cot_abc123");
  });

  it("takes the bare token, and maps a customer who left to action undefined", async () => {
    const flatpeak = await exchanging(200, { ...exchange, complete_action: "", customer_id: undefined });
    const outcome = await completeConnect(flatpeak, "cot_abc123");
    expect(outcome.action).toBeUndefined();
    expect(outcome.customerId).toBeUndefined();
  });

  it("takes a bare token with spaces around it, and reports a disconnect", async () => {
    const flatpeak = await exchanging(200, { ...exchange, complete_action: "DISCONNECT" });
    expect((await completeConnect(flatpeak, "  cot_abc123\n")).action).toBe("DISCONNECT");
    expect(server?.requests[0]?.url).toBe("/connect/tariff/token?connect_token=cot_abc123");
  });

  it("does not take a token followed by more text as a bare token", async () => {
    const flatpeak = await exchanging();
    await expect(completeConnect(flatpeak, "cot_abc123/next")).rejects.toThrow(TypeError);
    expect(server?.requests).toHaveLength(0);
  });

  it("throws a typed error for an expired or used token", async () => {
    const flatpeak = await exchanging(404, { object: "error", type: "invalid_request", code: "not_found", message: "Token expired" });
    const failure = await completeConnect(flatpeak, new URL("https://app/done?fp_cot=cot_old")).catch((error: unknown) => error);
    expect(isFlatpeakError(failure, "not_found")).toBe(true);
    expect(String(failure)).not.toContain("cot_old");
  });

  it("refuses a callback with fp_cot more than once, exchanging neither", async () => {
    const flatpeak = await exchanging();
    await expect(completeConnect(flatpeak, "https://app/done?fp_cot=cot_a&fp_cot=cot_b")).rejects.toThrow(
      new TypeError("completeConnect: the callback URL has fp_cot more than once, so which session it completes is unclear; pass the URL exactly as Connect redirected to it."),
    );
    expect(server?.requests).toHaveLength(0);
  });

  it("refuses a callback without fp_cot with a TypeError that says what to pass", async () => {
    const flatpeak = await exchanging();
    await expect(completeConnect(flatpeak, "https://app/done?state=x")).rejects.toThrow(/fp_cot/);
    await expect(completeConnect(flatpeak, "not a url")).rejects.toThrow(TypeError);
    expect(server?.requests).toHaveLength(0);
  });
});

describe("waitForTariff", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["a deadline that is not a number", { deadlineMs: Number.NaN }, "waitForTariff: deadlineMs must be a whole number from 0 to 2147483647, got NaN."],
    ["a negative interval", { intervalMs: -1 }, "waitForTariff: intervalMs must be a whole number from 1 to 2147483647, got -1."],
    ["an interval of 0", { intervalMs: 0 }, "waitForTariff: intervalMs must be a whole number from 1 to 2147483647, got 0."],
    ["an interval given as text", { intervalMs: "900000" }, 'waitForTariff: intervalMs must be a whole number from 1 to 2147483647, got "900000".'],
  ])("refuses %s before asking for prices", async (_name, options, message) => {
    const flatpeak = createFlatpeakClient({ token: "t", fetch: () => Promise.reject(new Error("nothing may be sent")) });
    await expect(waitForTariff(flatpeak, { locationId: "loc_1", ...options } as never)).rejects.toThrow(new TypeError(message));
  });

  const price = { id: "prs_1", object: "price", live_mode: false, location_id: "loc_1", location_timezone: "Europe/London", currency_code: "GBP", last_updated: "2024-01-01T00:00:00Z", request: { end_time: "2024-01-01T01:00:00Z" }, account_id: "acc_1", data: [] };
  const pending = { object: "error", type: "invalid_request", code: "pending_connect", message: "Connect is still linking the tariff" };

  async function answering(answers: Array<[number, unknown]>) {
    server = await startLocalServer((_request, response) => {
      const [status, body] = answers.shift() ?? [200, price];
      json(response, status, body);
    });
    return createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 0 });
  }

  it("checks again at the interval while the tariff is pending, then resolves with the prices", async () => {
    const flatpeak = await answering([[422, pending], [422, { ...pending, code: "no_price_data" }]]);
    const prices = await waitForTariff(flatpeak, { locationId: "loc_1", intervalMs: 30, tariffDirection: "EXPORT" });
    expect(prices.id).toBe("prs_1");
    expect(server?.requests.map((r) => r.url)).toStrictEqual(Array(3).fill("/prices/loc_1"));
    const body = JSON.parse(server?.requests[0]?.body ?? "{}") as { start_time: string; end_time: string; tariff_direction: string };
    expect(body.tariff_direction).toBe("EXPORT");
    expect(Date.parse(body.end_time) - Date.parse(body.start_time)).toBe(3_600_000);
  });

  it("waits 15 minutes between checks unless told otherwise", async () => {
    const flatpeak = await answering([[422, pending]]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const failure = await waitForTariff(flatpeak, { locationId: "loc_1", signal: controller.signal }).catch((error: unknown) => error);
    expect(isFlatpeakError(failure) && failure.kind).toBe("aborted");
    expect(server?.requests).toHaveLength(1);
  });

  it("checks at once when the connect_session.complete event arrives", async () => {
    const flatpeak = await answering([[422, pending]]);
    let complete!: () => void;
    const completed = new Promise<void>((resolve) => (complete = resolve));
    setTimeout(() => complete(), 50);
    const startedAt = performance.now();
    expect((await waitForTariff(flatpeak, { locationId: "loc_1", intervalMs: 60_000, completed })).id).toBe("prs_1");
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });

  it("gives up after the deadline with kind timeout", async () => {
    const flatpeak = await answering(Array(100).fill([422, pending]));
    const failure = await waitForTariff(flatpeak, { locationId: "loc_1", intervalMs: 20, deadlineMs: 100 }).catch((error: unknown) => error);
    expect(isFlatpeakError(failure) && failure.kind).toBe("timeout");
    expect((failure as Error).message).toMatch(/loc_1 still had no prices/);
  });

  it("throws any other error at once", async () => {
    const flatpeak = await answering([[422, { ...pending, code: "no_tariff_connected" }]]);
    const failure = await waitForTariff(flatpeak, { locationId: "loc_1", intervalMs: 10 }).catch((error: unknown) => error);
    expect(isFlatpeakError(failure, "no_tariff_connected")).toBe(true);
    expect(server?.requests).toHaveLength(1);
  });
});

describe("unwrap", () => {
  it("returns the data of a 2xx answer", async () => {
    const customer = await unwrap(mock().GET("/customers/{id}", { params: { path: { id: "cus_1" } } }));
    expect(customer.object).toBe("customer");
  });

  it("throws a FlatpeakError of kind http for a non-2xx answer, naming the request", async () => {
    const failure = await unwrap(mock().GET("/customers/{id}", { params: { path: { id: "cus_1" } }, headers: { Prefer: "code=404" } })).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "http", status: 404, code: "not_found", method: "GET", url: "/customers/cus_1" });
    expect((failure as Error).message).toMatch(/^GET \/customers\/cus_1 → 404 not_found/);
  });

  it("throws for a non-2xx answer that has no error body", async () => {
    const failure = await unwrap({ data: { id: "cus_1" }, response: new Response(null, { status: 502, statusText: "Bad Gateway" }) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "http", status: 502, code: "api_error", method: "HTTP", url: "/", body: { message: "HTTP 502 Bad Gateway" } });
  });

  it("types an error that is not a Flatpeak error body by the response's status", async () => {
    const failure = await unwrap({ error: "Service Unavailable", response: new Response("Service Unavailable", { status: 503 }) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "http", status: 503, body: { status: 503, message: "Service Unavailable" } });
  });

  it("throws for an error body even on a 2xx answer", async () => {
    const error = { object: "error", type: "api_error", code: "invalid_response", message: "Not a customer", status: 200 };
    await expect(unwrap({ error, response: new Response("{}") })).rejects.toMatchObject({ kind: "http", code: "invalid_response" });
  });
});

describe("waitForTariff, on a fake clock", () => {
  const MINUTE = 60_000;
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A mock whose prices answer is pending until `ready()`; the clock is fake from here on. */
  function pendingTariff() {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    let isReady = false;
    const mock: MockFlatpeak = createMockFlatpeak();
    mock.on("POST /prices/{id}", () => (isReady ? ({ status: 200, body: { ...(MOCK_OPERATIONS["POST /prices/{id}"]?.body as object), id: "prs_ready" } }) as never : mock.error(422, "pending_connect")));
    const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, maxRetries: 0 });
    const checks = () => mock.calls.filter((call) => call.operation === "POST /prices/{id}");
    return { mock, flatpeak, checks, ready: () => (isReady = true) };
  }

  it.each<[string, number | undefined, string]>([
    ["the documented 48 hours", undefined, "48"],
    ["90 minutes", 90 * MINUTE, "1.5"],
    ["10 hours", 600 * MINUTE, "10"],
    ["no time at all", 0, "0"],
  ])("gives up after %s, saying how long it waited", async (_name, deadlineMs, hours) => {
    const { flatpeak, checks } = pendingTariff();
    const failure = waitForTariff(flatpeak, { locationId: "loc_1", deadlineMs }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync((deadlineMs ?? 48 * 60 * MINUTE) + 1);
    expect(await failure).toMatchObject({ kind: "timeout", method: "POST", url: "/prices/loc_1", message: `the tariff of loc_1 still had no prices after ${hours} h` });
    expect(checks()).toHaveLength(Math.ceil((deadlineMs ?? 48 * 60 * MINUTE) / (15 * MINUTE)) + 1);
    expect(checks()[0]?.body).toMatchObject({ tariff_direction: "IMPORT" });
  });

  it("checks at once when completed settles, once, then goes back to the interval", async () => {
    const { flatpeak, checks, ready } = pendingTariff();
    let complete!: () => void;
    const completed = new Promise<void>((resolve) => (complete = resolve));
    const prices = waitForTariff(flatpeak, { locationId: "loc_1", completed });
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(checks()).toHaveLength(2);
    complete();
    await vi.advanceTimersByTimeAsync(1);
    expect(checks()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(15 * MINUTE - 2);
    expect(checks()).toHaveLength(3);
    ready();
    await vi.advanceTimersByTimeAsync(1);
    expect((await prices).id).toBe("prs_ready");
    expect(checks()).toHaveLength(4);
  });

  it("checks at once when completed rejects, too", async () => {
    const { flatpeak, checks, ready } = pendingTariff();
    let fail!: (reason: Error) => void;
    const completed = new Promise<void>((_resolve, reject) => (fail = reject));
    const prices = waitForTariff(flatpeak, { locationId: "loc_1", completed });
    await vi.advanceTimersByTimeAsync(1);
    ready();
    fail(new Error("webhook endpoint shut down"));
    await vi.advanceTimersByTimeAsync(1);
    expect((await prices).id).toBe("prs_ready");
    expect(checks()).toHaveLength(2);
  });

  it("stops waiting between checks when aborted, naming the check", async () => {
    const { flatpeak, checks } = pendingTariff();
    const controller = new AbortController();
    const failure = waitForTariff(flatpeak, { locationId: "loc_1", signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    controller.abort();
    expect(await failure).toMatchObject({ kind: "aborted", method: "POST", url: "/prices/loc_1", message: "waiting for the tariff was aborted" });
    expect(checks()).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("goes back to the interval after completed rejects, checking no more often than that", async () => {
    const { flatpeak, checks } = pendingTariff();
    const completed = Promise.reject(new Error("webhook endpoint shut down"));
    const failure = waitForTariff(flatpeak, { locationId: "loc_1", completed, deadlineMs: 60 * MINUTE }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1);
    expect(checks()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(15 * MINUTE - 2);
    expect(checks()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(checks()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(await failure).toMatchObject({ kind: "timeout" });
  });

  it("stops at once when aborted as a check ends, and leaves no listener of its own on the signal once it resolves", async () => {
    const { mock, flatpeak, checks, ready } = pendingTariff();
    const controller = new AbortController();
    const abortAtEnd = createFlatpeakClient({ token: "t", fetch: mock.fetch, maxRetries: 0, use: [callEvents({ onEvent: (event) => event.type === "call_end" && controller.abort() })] });
    const failure = waitForTariff(abortAtEnd, { locationId: "loc_1", signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1);
    expect(await failure).toMatchObject({ kind: "aborted", message: "waiting for the tariff was aborted" });
    expect(vi.getTimerCount()).toBe(0);
    const kept = new AbortController();
    const prices = waitForTariff(flatpeak, { locationId: "loc_1", signal: kept.signal });
    await vi.advanceTimersByTimeAsync(1);
    ready();
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect((await prices).id).toBe("prs_ready");
    // Each check's Request follows the signal too, until it is collected; the wait's own listener is onAbort.
    expect([checks().length, getEventListeners(kept.signal, "abort").filter((listener) => listener.name === "onAbort")]).toStrictEqual([3, []]);
  });

  it("passes the signal to the check itself", async () => {
    const { mock, flatpeak } = pendingTariff();
    mock.on("POST /prices/{id}", () => mock.faults.timeout());
    const controller = new AbortController();
    const failure = waitForTariff(flatpeak, { locationId: "loc_1", signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(await failure).toMatchObject({ kind: "aborted", method: "POST" });
  });
});
