/**
 * The login token's life on a fake monotonic clock, to the millisecond: when
 * it is renewed in the background, when a call must wait for a new one, and
 * what the events say. The API is the in-process mock; only `performance` is
 * faked, so the client's own timers run as usual.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";
import { recordedEvents } from "../helpers/events.js";
import { createMockFlatpeak, type MockFlatpeak } from "../../src/testing/index.js";

const SECOND = 1000;
afterEach(() => {
  vi.useRealTimers();
});

/** A client on the mock, on a frozen clock; `tokensSeen` lists the token of each API call, in order. */
function onFakeClock(tokenLifetimeSeconds: number) {
  vi.useFakeTimers({ toFake: ["performance"] });
  const mock: MockFlatpeak = createMockFlatpeak({ tokenLifetimeSeconds });
  const tokensSeen: string[] = [];
  mock.on("GET /customers", ({ request }) => {
    tokensSeen.push(request.headers.get("authorization") ?? "");
    return { status: 200, body: { object: "list", url: "/customers", has_more: false, data: [] } };
  });
  const recorded = recordedEvents();
  const log = () => recorded.events.filter((event) => event.type === "login" || event.type === "login_failed");
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch, maxRetries: 0, use: [recorded.plugin] });
  const logins = () => mock.calls.filter((call) => call.operation === "GET /login").length;
  /** A call, then a moment for a background renewal it started to finish. */
  const call = async () => {
    await flatpeak.GET("/customers");
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { mock, flatpeak, tokensSeen, log, logins, call };
}

describe("the login token on the clock", () => {
  it("reports the token's lifetime in seconds", async () => {
    const { call, log } = onFakeClock(90);
    vi.advanceTimersByTime(10 * SECOND);
    await call();
    expect(log()).toEqual([{ type: "login", operation: "GET /login", expiresInSeconds: 90 }]);
  });

  it.each([
    ["exactly 60 s before expiry", 3600, 3540],
    ["halfway through the life of a short token", 60, 30],
  ])("renews in the background %s, and keeps using the old token for that call", async (_when, lifetimeSeconds, renewAfterSeconds) => {
    const { call, logins, tokensSeen } = onFakeClock(lifetimeSeconds);
    await call();
    vi.advanceTimersByTime(renewAfterSeconds * SECOND - 1);
    await call();
    expect(logins()).toBe(1);
    vi.advanceTimersByTime(1);
    await call();
    expect(logins()).toBe(2);
    await call();
    expect(tokensSeen).toEqual(["Bearer mock_token_1", "Bearer mock_token_1", "Bearer mock_token_1", "Bearer mock_token_2"]);
  });

  it("retries a failed renewal 5 s later, to the millisecond, and waits for a new token once the old one has expired", async () => {
    const { mock, call, logins, tokensSeen, log } = onFakeClock(120);
    await call();
    mock.once("GET /login", mock.faults.serverError(503), 2);
    vi.advanceTimersByTime(60 * SECOND);
    await call();
    expect(logins()).toBe(2);
    vi.advanceTimersByTime(5 * SECOND - 1);
    await call();
    expect(logins()).toBe(2);
    vi.advanceTimersByTime(1);
    await call();
    expect(logins()).toBe(3);
    expect(log().filter((event) => event.type === "login_failed")).toEqual([
      { type: "login_failed", operation: "GET /login", status: 503 },
      { type: "login_failed", operation: "GET /login", status: 503 },
    ]);
    vi.advanceTimersByTime(55 * SECOND);
    await call();
    expect(logins()).toBe(4);
    expect(tokensSeen).toEqual(["Bearer mock_token_1", "Bearer mock_token_1", "Bearer mock_token_1", "Bearer mock_token_1", "Bearer mock_token_2"]);
  });

  it("reports the kind of a login that failed without an answer", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const { events, plugin } = recordedEvents();
    const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: () => Promise.reject(new TypeError("fetch failed")), maxRetries: 0, use: [plugin] });
    await expect(flatpeak.GET("/customers")).rejects.toMatchObject({ kind: "network" });
    expect(events.filter((event) => event.type === "login_failed")).toEqual([{ type: "login_failed", operation: "GET /login", errorKind: "network" }]);
  });

  it("does not log in again for a 403 on a token obtained at the very moment the call started", async () => {
    const { mock, flatpeak, logins } = onFakeClock(3600);
    mock.on("GET /customers", () => mock.error(403, "access_denied"));
    const { error } = await flatpeak.GET("/customers");
    expect(error).toMatchObject({ status: 403, code: "access_denied" });
    expect(logins()).toBe(1);
  });
});
