/**
 * callLimits' deadline: the whole call — token wait, attempts, backoffs and
 * Retry-After waits — within deadlineMs, per client and per call.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFlatpeakClient, FlatpeakError } from "../../src/index.js";
import { callLimits, type CallLimitsOptions } from "../../src/limits/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { caught } from "../helpers/caught.js";
import { answerLogin, json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const list = { object: "list", url: "/customers", has_more: false, data: [] };

async function rejection(promise: Promise<unknown>): Promise<FlatpeakError> {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(FlatpeakError);
  return error as FlatpeakError;
}

describe("the deadline of a call", () => {
  it("bounds every attempt and wait together, and says the deadline ran out, not an attempt", async () => {
    server = await startLocalServer((_request, response) => void setTimeout(() => json(response, 503, { code: "down" }, { "retry-after": "0" }), 60));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 10, timeoutMs: 1_000, use: [callLimits({ deadlineMs: 300 })] });
    const started = performance.now();
    const error = await rejection(flatpeak.GET("/customers"));
    expect([error.kind, error.message]).toStrictEqual(["timeout", "GET /customers ran out of its deadline of 300 ms (deadlineMs)"]);
    expect(performance.now() - started).toBeLessThan(600);
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
  });

  it("does not start a wait that would pass the deadline: the last answer is the call's", async () => {
    server = await startLocalServer((_request, response) => json(response, 503, { code: "down" }, { "retry-after": "5" }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [callLimits({ deadlineMs: 2_000 })] });
    const started = performance.now();
    const { error } = await flatpeak.GET("/customers");
    expect([error?.status, server.requests.length]).toStrictEqual([503, 1]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("bounds the wait for a login", async () => {
    server = await startLocalServer(() => undefined);
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl, use: [callLimits({ deadlineMs: 200 })] });
    const error = await rejection(flatpeak.GET("/customers"));
    expect([error.kind, error.message]).toStrictEqual(["timeout", "GET /customers ran out of its deadline of 200 ms (deadlineMs)"]);
  });

  it("is overridden per call, shorter or longer", async () => {
    let delayMs = 150;
    server = await startLocalServer((request, response) => void setTimeout(() => json(response, 200, list), delayMs));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [callLimits({ deadlineMs: 100 })] });
    expect((await flatpeak.GET("/customers", { deadlineMs: 1_000 })).data).toStrictEqual(list);
    delayMs = 300;
    const error = await rejection(flatpeak.GET("/customers", { deadlineMs: 50 }));
    expect(error.message).toBe("GET /customers ran out of its deadline of 50 ms (deadlineMs)");
  });

  it("applies only per call when the client sets none", async () => {
    server = await startLocalServer((_request, response) => void setTimeout(() => json(response, 200, list), 200));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [callLimits()] });
    expect((await flatpeak.GET("/customers")).data).toStrictEqual(list);
    expect((await rejection(flatpeak.GET("/customers", { deadlineMs: 50 }))).kind).toBe("timeout");
  });

  it("still lets the caller's signal abort first", async () => {
    server = await startLocalServer(() => undefined);
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [callLimits({ deadlineMs: 5_000 })] });
    const error = await rejection(flatpeak.GET("/customers", { signal: AbortSignal.timeout(50) }));
    expect(error.kind).toBe("aborted");
  });

  it("leaves no timer behind once the call is answered", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const mock = createMockFlatpeak();
      const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", fetch: mock.fetch, use: [callLimits({ deadlineMs: 60_000 })] });
      const { response } = await flatpeak.GET("/customers");
      expect([response.status, vi.getTimerCount()]).toStrictEqual([200, 0]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a deadlineMs per call without callLimits, and a bad one with it, before sending", async () => {
    const mock = createMockFlatpeak();
    const plain = createFlatpeakClient({ token: "t", fetch: mock.fetch });
    await expect(plain.GET("/customers", { deadlineMs: 1_000 })).rejects.toThrow(new TypeError("GET /customers: deadlineMs needs callLimits() in the client's use."));
    const limited = createFlatpeakClient({ token: "t", fetch: mock.fetch, use: [callLimits()] });
    for (const deadlineMs of [0, -1, 1.5, Number.NaN, "100"]) {
      await expect(limited.GET("/customers", { deadlineMs: deadlineMs as number })).rejects.toThrow(/^GET \/customers: deadlineMs must be a whole number from 1 to 2147483647, got /);
    }
    expect(mock.calls).toStrictEqual([]);
  });
});

describe("callLimits options", () => {
  it.each([
    [{ deadlineMs: 0 }, "callLimits: deadlineMs must be a whole number from 1 to 2147483647, got 0."],
    [{ deadlineMs: Number.POSITIVE_INFINITY }, "callLimits: deadlineMs must be a whole number from 1 to 2147483647, got Infinity."],
    [{ maxConcurrency: 0 }, "callLimits: maxConcurrency must be a whole number from 1 to 100000, got 0."],
    [{ maxConcurrency: 2.5 }, "callLimits: maxConcurrency must be a whole number from 1 to 100000, got 2.5."],
    [{ maxConcurrency: 100_001 }, "callLimits: maxConcurrency must be a whole number from 1 to 100000, got 100001."],
    [{ deadlineMs: 2_147_483_648 }, "callLimits: deadlineMs must be a whole number from 1 to 2147483647, got 2147483648."],
    [{ maxRetries: 2 }, "callLimits: unknown option maxRetries; it belongs in createFlatpeakClient({ maxRetries }). It takes deadlineMs, maxConcurrency."],
    [{ timeoutMs: 2 }, "callLimits: unknown option timeoutMs; it belongs in createFlatpeakClient({ timeoutMs }). It takes deadlineMs, maxConcurrency."],
  ])("refuses %j with a TypeError naming the option", (options, message) => {
    expect(() => callLimits(options as CallLimitsOptions)).toThrow(new TypeError(message));
  });

  it("is named callLimits", () => {
    expect(callLimits().name).toBe("callLimits");
  });

  it("takes the edges of each range", () => {
    expect(() => callLimits({ deadlineMs: 1, maxConcurrency: 1 })).not.toThrow();
    expect(() => callLimits({ deadlineMs: 2_147_483_647, maxConcurrency: 100_000 })).not.toThrow();
  });

  it.each([
    ["not an array", callLimits() as never],
    ["an item that is not a plugin", [{ name: "callLimits" }] as never],
  ])("is refused in use when %s", (_case, use) => {
    expect(() => createFlatpeakClient({ token: "t", use })).toThrow(new TypeError("createFlatpeakClient: use must be an array of plugins."));
  });

  it("logs in within the deadline like any other wait", async () => {
    server = await startLocalServer((request, response) => {
      if (answerLogin(request, response, "tok")) return;
      json(response, 200, list);
    });
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl, use: [callLimits({ deadlineMs: 1_000 })] });
    expect((await flatpeak.GET("/customers")).data).toStrictEqual(list);
  });
});
