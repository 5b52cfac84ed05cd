import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";
import { callEvents } from "../../src/events/index.js";
import { recordedEvents } from "../helpers/events.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

const batch = { id: "bat_1", object: "meter_batch", records_submitted: 1, records_accepted: 1, records_processed: 0, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" };
const record = { location_id: "loc_1", units: "WH", value: 5, start_time: "2024-01-01T00:00:00Z", end_time: "2024-01-01T00:30:00Z" } as const;
let server: LocalServer;
afterEach(async () => server.close());

/** A server that answers the scripted statuses in turn, then 200 with `body`. */
async function scripted(statuses: Array<[number, Record<string, string>?]>, body: unknown) {
  let call = 0;
  server = await startLocalServer((_request, response) => {
    const [status, headers] = statuses[call++] ?? [200];
    if (status === 200) json(response, 200, body);
    else json(response, status, { object: "error", type: "api_error", code: "unavailable", message: "try later" }, headers);
  });
  const recorded = recordedEvents();
  return { retries: recorded.retries, options: { token: "t", baseUrl: server.baseUrl, use: [recorded.plugin] } };
}

/**
 * The delays the client announces for its first `count` retries of a GET.
 * The call is aborted as soon as the last of them is announced, so the test
 * does not wait them out; "waits as long as Retry-After says" checks that
 * they are waited.
 */
async function loggedDelays(options: Awaited<ReturnType<typeof scripted>>["options"], count: number): Promise<number[]> {
  const controller = new AbortController();
  const delays: number[] = [];
  const { plugin } = recordedEvents((event) => {
    if (event.type === "attempt_end" && event.retryInMs !== undefined && delays.push(event.retryInMs) === count) controller.abort();
  });
  const call = createFlatpeakClient({ ...options, use: [plugin] }).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } }, signal: controller.signal });
  await expect(call).rejects.toMatchObject({ kind: "aborted" });
  return delays;
}

describe("retries", () => {
  it("retries an idempotent request through 5xx and 429 until it succeeds", async () => {
    const { options } = await scripted([[503, { "retry-after": "0" }], [429, { "retry-after": "0" }], [502, { "retry-after": "0" }]], batch);
    const { data } = await createFlatpeakClient({ ...options, maxRetries: 3 }).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(data?.id).toBe("bat_1");
    expect(server.requests).toHaveLength(4);
  });

  it("stops after maxRetries and returns the last error", async () => {
    const { options } = await scripted(Array(5).fill([503, { "retry-after": "0" }]), batch);
    const { error } = await createFlatpeakClient(options).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(error).toMatchObject({ status: 503, code: "unavailable" });
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry POST or PATCH", async () => {
    const { options } = await scripted([[503, { "retry-after": "0" }], [503, { "retry-after": "0" }]], batch);
    const flatpeak = createFlatpeakClient(options);
    const post = await flatpeak.POST("/costs/instant", { body: record });
    const patch = await flatpeak.PATCH("/devices/{id}", { params: { path: { id: "dev_1" } }, body: { reference_id: "D" } });
    expect([post.error?.status, patch.error?.status]).toEqual([503, 503]);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a 4xx other than 408 and 429", async () => {
    const { options } = await scripted([[400], [400]], batch);
    const { error } = await createFlatpeakClient(options).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(error?.status).toBe(400);
    expect(server.requests).toHaveLength(1);
  });

  it("re-sends the same body on every attempt", async () => {
    const { options } = await scripted([[500, { "retry-after": "0" }], [500, { "retry-after": "0" }]], batch);
    const body = Array.from({ length: 1000 }, (_, i) => ({ ...record, value: i }));
    const { data } = await createFlatpeakClient(options).PUT("/meters/interval", { body });
    expect(data?.id).toBe("bat_1");
    expect(server.requests.map((r) => r.body)).toEqual(Array(3).fill(JSON.stringify(body)));
  });

  it("waits as long as Retry-After says", async () => {
    const { options, retries } = await scripted([[429, { "retry-after": "1" }]], batch);
    const started = performance.now();
    await createFlatpeakClient(options).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(retries()).toEqual([expect.objectContaining({ type: "attempt_end", method: "GET", operation: "GET /meters/batch", attempt: 1, retryInMs: 1000, retryReason: "429 answer, Retry-After", status: 429 })]);
  });

  it("gives up at once when Retry-After is longer than a minute", async () => {
    const { options } = await scripted([[429, { "retry-after": "3600" }]], batch);
    const { error } = await createFlatpeakClient(options).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(error?.status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it("backs off exponentially with jitter when no Retry-After is given", async () => {
    const { options } = await scripted([[503], [503]], batch);
    const delays = await loggedDelays(options, 2);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(375);
    expect(delays[0]).toBeLessThanOrEqual(500);
    expect(delays[1]).toBeGreaterThanOrEqual(750);
    expect(delays[1]).toBeLessThanOrEqual(1000);
  });

  it("retries a timed-out GET", async () => {
    let call = 0;
    server = await startLocalServer((_request, response) => {
      if (call++ === 0) return;
      json(response, 200, batch);
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, timeoutMs: 150 });
    const { data } = await flatpeak.GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(data?.id).toBe("bat_1");
    expect(server.requests).toHaveLength(2);
  });

  it("stops waiting between attempts when the caller aborts", async () => {
    const { options } = await scripted([[503, { "retry-after": "30" }]], batch);
    const controller = new AbortController();
    const call = createFlatpeakClient(options).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } }, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toMatchObject({ kind: "aborted" });
    expect(server.requests).toHaveLength(1);
  });

  it.each(["-1", "0x10", "1e1", "soon", "1.5", "Tomorrow 10:00"])("falls back to the normal backoff for Retry-After %j", async (retryAfter) => {
    const { options } = await scripted([[503, { "retry-after": retryAfter }]], batch);
    const [delay] = await loggedDelays(options, 1);
    expect(delay).toBeGreaterThanOrEqual(375);
    expect(delay).toBeLessThanOrEqual(500);
  });

  /** `date` as RFC 850 writes it, e.g. "Sunday, 06-Nov-94 08:49:37 GMT". */
  function rfc850(date: Date): string {
    const [weekday, day, month, year, time] = [date.toLocaleDateString("en-GB", { weekday: "long", timeZone: "UTC" }), date.getUTCDate(), date.toUTCString().slice(8, 11), date.getUTCFullYear() % 100, date.toISOString().slice(11, 19)];
    return `${weekday}, ${String(day).padStart(2, "0")}-${month}-${String(year).padStart(2, "0")} ${time} GMT`;
  }

  it.each<[string, (date: Date) => string]>([
    ["IMF-fixdate", (date) => date.toUTCString()],
    ["RFC 850", rfc850],
  ])("honours Retry-After as an HTTP date (%s)", async (_format, format) => {
    const { options } = await scripted([[503, { "retry-after": format(new Date(Date.now() + 5_000)) }]], batch);
    const [delay] = await loggedDelays(options, 1);
    expect(delay).toBeGreaterThan(3_900);
    expect(delay).toBeLessThanOrEqual(5_000);
  });

  it("falls back to the normal backoff for a date with text before it", async () => {
    const { options } = await scripted([[503, { "retry-after": `in ${new Date(Date.now() + 5_000).toUTCString()}` }]], batch);
    const [delay] = await loggedDelays(options, 1);
    expect(delay).toBeLessThanOrEqual(500);
  });

  it.each([501, 505])("does not retry %i, which will not change", async (status) => {
    const { options } = await scripted([[status, { "retry-after": "0" }]], batch);
    const { error } = await createFlatpeakClient(options).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(error?.status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it("keeps the outcome of a call when the event hook throws", async () => {
    const { options } = await scripted([[503, { "retry-after": "0" }]], batch);
    const flatpeak = createFlatpeakClient({
      ...options,
      use: [
        callEvents({
          onEvent: () => {
            throw new Error("logger is down");
          },
        }),
      ],
    });
    const { data } = await flatpeak.GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(data?.id).toBe("bat_1");
    expect(server.requests).toHaveLength(2);
  });
});

describe("the retry matrix", () => {
  it.each(["DELETE", "HEAD", "OPTIONS"])("retries %s, which is idempotent", async (method) => {
    const { options } = await scripted([[503, { "retry-after": "0" }]], batch);
    const flatpeak = createFlatpeakClient(options);
    const call = flatpeak.request as unknown as (method: string, path: string) => Promise<{ response: Response }>;
    const { response } = await call(method.toLowerCase(), "/meters/batch");
    expect(response.status).toBe(200);
    expect(server.requests.map((request) => request.method)).toEqual([method, method]);
  });

  it("retries 408", async () => {
    const { options } = await scripted([[408, { "retry-after": "0" }]], batch);
    const { data } = await createFlatpeakClient(options).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(data?.id).toBe("bat_1");
    expect(server.requests).toHaveLength(2);
  });

  it("waits a padded Retry-After, and one of exactly 60 s", async () => {
    const padded = await scripted([[503, { "retry-after": " 0 " }]], batch);
    await createFlatpeakClient(padded.options).GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(padded.retries()[0]).toMatchObject({ retryInMs: 0 });
    await server.close();
    const minute = await scripted([[429, { "retry-after": "60" }]], batch);
    expect(await loggedDelays(minute.options, 1)).toEqual([60_000]);
  });

  it("ignores a blank Retry-After in favour of the backoff", async () => {
    const { options } = await scripted([[503, { "retry-after": " " }]], batch);
    const [delay] = await loggedDelays(options, 1);
    expect(delay).toBeGreaterThanOrEqual(375);
    expect(delay).toBeLessThanOrEqual(500);
  });

  it("announces no retry once the caller has aborted", async () => {
    const { options, retries } = await scripted([[503, { "retry-after": "0" }]], batch);
    const controller = new AbortController();
    server.requests.length = 0;
    const flatpeak = createFlatpeakClient({ ...options, fetch: async (request) => {
      const response = await fetch(request);
      controller.abort();
      return response;
    } });
    await expect(flatpeak.GET("/meters/batch", { params: { query: { batch_id: "bat_1" } }, signal: controller.signal })).rejects.toMatchObject({ kind: "aborted" });
    expect(retries()).toEqual([]);
  });
});

describe("client.request", () => {
  it("really sends and returns data and response", async () => {
    const { options } = await scripted([], batch);
    const { data, response } = await createFlatpeakClient(options).request("get", "/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(response.status).toBe(200);
    expect(data?.id).toBe("bat_1");
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual(["GET /meters/batch?batch_id=bat_1"]);
  });
});
