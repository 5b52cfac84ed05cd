/**
 * A call leaves nothing behind: no timer and no abort listener of the
 * client's, whatever its outcome. Checked in-process, on the caller's signal
 * and on Node's timer list. (The runtime's `Request` keeps one listener on a
 * signal it was given until the request is garbage-collected; plain fetch
 * leaves the same, so it is counted as the baseline.)
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => server?.close());

/** A signal that counts the abort listeners added to it and still attached. */
function countingSignal() {
  const controller = new AbortController();
  const { signal } = controller;
  let attached = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
    if (type === "abort") attached++;
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListener, options?: EventListenerOptions) => {
    if (type === "abort") attached--;
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;
  return { signal, attached: () => attached };
}

/** Listeners a bare `new Request(url, { signal })` leaves on the signal. */
function requestBaseline(): number {
  const { signal, attached } = countingSignal();
  void new Request("http://127.0.0.1/", { signal });
  return attached();
}

function activeTimers(): number {
  return (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((name) => name === "Timeout").length;
}

describe("after a call", () => {
  it.each<[string, (count: number) => [number, Record<string, string>?]]>([
    ["that succeeds", () => [200]],
    ["that is retried, then succeeds", (count) => (count === 1 ? [503, { "retry-after": "0" }] : [200])],
    ["that fails with a typed error", () => [404]],
  ])("%s, no timer and no listener on the caller's signal are left", async (_name, answer) => {
    let count = 0;
    server = await startLocalServer((_request, response) => {
      const [status, headers] = answer(++count);
      json(response, status, { object: "list", url: "/customers", has_more: false, data: [] }, headers);
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    await flatpeak.GET("/customers");
    const timersBefore = activeTimers();
    const { signal, attached } = countingSignal();
    await flatpeak.GET("/customers", { signal });
    expect(attached()).toBe(requestBaseline());
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it("that times out, no timer and no listener are left", async () => {
    server = await startLocalServer(() => undefined);
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, timeoutMs: 50, maxRetries: 1 });
    const timersBefore = activeTimers();
    const { signal, attached } = countingSignal();
    await expect(flatpeak.GET("/customers", { signal })).rejects.toMatchObject({ kind: "timeout" });
    expect(attached()).toBe(requestBaseline());
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it("that the caller aborts while it waits to retry, no timer is left", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const mock = createMockFlatpeak();
      mock.once("GET /customers", mock.faults.rateLimit(30));
      const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch });
      const controller = new AbortController();
      const call = flatpeak.GET("/customers", { signal: controller.signal });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await expect(call).rejects.toMatchObject({ kind: "aborted" });
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
