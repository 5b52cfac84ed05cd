/**
 * createPriceCache in one process: one request per location and direction
 * until the answer's next_update, shared by the questions it covers,
 * refreshed after it (spread, within a budget) while the old answer is
 * served stale for graceMs, forgotten when a webhook says the prices
 * changed; memory bounded. The in-process mock answers the requests and
 * counts them; the clock is Date's, moved by the tests. The fleet (a shared
 * store) is in fleet-cache.test.ts.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { components } from "../../generated/flatpeak.js";
import { createFlatpeakClient, isFlatpeakError } from "../../src/index.js";
import { createPriceCache, type PriceCacheOptions } from "../../src/prices/index.js";
import { createMemoryStore } from "../../src/store/index.js";
import { createMockFlatpeak, createTestEvent, TEST_EVENT_TYPES, type MockFlatpeak } from "../../src/testing/index.js";
import { createEventRouter, type FlatpeakEvent } from "../../src/webhooks/index.js";

type Price = components["schemas"]["Price"];
const HOUR = 3_600_000;
const NOW = Date.parse("2026-12-02T10:20:00Z");

afterEach(() => {
  vi.useRealTimers();
});

/** A price answer for the window asked: half-hour intervals, the first `forecastFrom` certain and the rest forecast. */
function priceFor(locationId: string, window: components["schemas"]["PriceWindow"], nextUpdate: string | null, value = 0.2): Price {
  const from = Date.parse(window.start_time ?? "");
  const to = Date.parse(window.end_time);
  const data = Array.from({ length: (to - from) / (HOUR / 2) }, (_, i) => ({
    valid_from: new Date(from + (i * HOUR) / 2).toISOString(),
    valid_to: new Date(from + ((i + 1) * HOUR) / 2).toISOString(),
    price: {
      value: Math.round(value * 100 + i) / 100,
      confidence: from + (i * HOUR) / 2 >= NOW + 6 * HOUR ? 0.8 : 1,
    },
  }));
  return {
    id: "prs_1",
    object: "price",
    live_mode: false,
    location_id: locationId,
    location_timezone: "Europe/London",
    currency_code: "GBP",
    tariff_direction: window.tariff_direction ?? "IMPORT",
    last_updated: "2026-12-01T16:00:00Z",
    ...(nextUpdate === null ? {} : { next_update: nextUpdate }),
    request: window,
    data,
    account_id: "acc_1",
  };
}

/** A cache over the mock, at NOW, refreshing at next_update itself unless told; answers say `nextUpdate` (`null`: they say nothing). */
function setup(options: PriceCacheOptions = {}, nextUpdate: string | null = "2026-12-02T11:00:00Z") {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  const mock = createMockFlatpeak().on("POST /prices/{id}", ({ params, body }) => ({
    status: 200,
    body: priceFor(params.path.id, body, nextUpdate),
  }));
  const flatpeak = createFlatpeakClient({
    accountId: "acc_1",
    apiKey: "sk_test_PRICES",
    fetch: mock.fetch,
    maxRetries: 0,
  });
  const requests = () => mock.calls.filter((call) => call.operation === "POST /prices/{id}");
  return {
    mock,
    flatpeak,
    requests,
    prices: createPriceCache(flatpeak, { refreshSpreadMs: 0, ...options }),
  };
}

/** Holds the next `count` price requests until the function it returns is called. */
function holdRequests(mock: MockFlatpeak, count = 1) {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  mock.once(
    "POST /prices/{id}",
    async ({ params, body }) => {
      await held;
      return { status: 200, body: priceFor(params.path.id, body, "2026-12-02T11:00:00Z") };
    },
    count
  );
  return () => release();
}

const inHours = (hours: number) => NOW + hours * HOUR;

describe("createPriceCache", () => {
  it("asks once, for the window widened to whole hours and one more, and answers from it until next_update", async () => {
    const { prices, requests } = setup();
    const first = await prices.get({ locationId: "loc_1", end: inHours(12) });
    expect(requests().map((call) => [call.params.path.id, call.body])).toStrictEqual([
      [
        "loc_1",
        {
          start_time: "2026-12-02T10:00:00.000Z",
          end_time: "2026-12-03T00:00:00.000Z",
          tariff_direction: "IMPORT",
        },
      ],
    ]);
    expect(first).toMatchObject({
      locationId: "loc_1",
      timezone: "Europe/London",
      currency: "GBP",
      direction: "IMPORT",
      lastUpdated: new Date("2026-12-01T16:00:00Z"),
      nextUpdate: new Date("2026-12-02T11:00:00Z"),
      fromCache: false,
      stale: false,
    });
    vi.setSystemTime(NOW + 30 * 60_000);
    const later = await prices.get({
      locationId: "loc_1",
      end: Date.now() + 12 * HOUR,
    });
    expect([later.fromCache, later.stale, requests()]).toMatchObject([true, false, { length: 1 }]);
    vi.setSystemTime(Date.parse("2026-12-02T11:00:00Z") - 1);
    expect(await prices.get({ locationId: "loc_1", end: inHours(12) })).toMatchObject({ fromCache: true, stale: false });
    expect(requests()).toHaveLength(1);
    vi.setSystemTime(Date.parse("2026-12-02T11:00:00Z"));
    expect(await prices.get({ locationId: "loc_1", end: inHours(12) })).toMatchObject({ fromCache: true, stale: true });
    await vi.waitFor(() => expect(requests()).toHaveLength(2));
    await vi.waitFor(async () => expect(await prices.get({ locationId: "loc_1", end: inHours(12) })).toMatchObject({ fromCache: true, stale: false }));
    expect(requests()).toHaveLength(2);
  });

  it("gives the intervals within the question, in time order, the first and last cut to it, the forecast ones marked, as fresh objects", async () => {
    const { prices } = setup();
    const { intervals } = await prices.get({
      locationId: "loc_1",
      start: "2026-12-02T15:45:00Z",
      end: new Date("2026-12-02T17:00:00Z"),
    });
    expect(intervals.map(({ start, end, value, confidence, forecast }) => [start.toISOString(), end.toISOString(), value, confidence, forecast])).toStrictEqual([
      ["2026-12-02T15:45:00.000Z", "2026-12-02T16:00:00.000Z", 0.21, 1, false],
      ["2026-12-02T16:00:00.000Z", "2026-12-02T16:30:00.000Z", 0.22, 1, false],
      ["2026-12-02T16:30:00.000Z", "2026-12-02T17:00:00.000Z", 0.23, 0.8, true],
    ]);
    intervals[0]?.start.setTime(0);
    intervals.pop();
    const again = await prices.get({
      locationId: "loc_1",
      start: "2026-12-02T15:45:00Z",
      end: "2026-12-02T17:00:00Z",
    });
    expect([again.fromCache, again.intervals.length, again.intervals[0]?.start.toISOString()]).toStrictEqual([true, 3, "2026-12-02T15:45:00.000Z"]);
  });

  it("answers a window inside the cached one without a request, and asks for one that reaches outside it or another direction", async () => {
    const { prices, requests } = setup();
    await prices.get({ locationId: "loc_1", end: inHours(12) });
    expect(
      await prices.get({
        locationId: "loc_1",
        start: "2026-12-02T10:00:00Z",
        end: "2026-12-03T00:00:00Z",
      })
    ).toMatchObject({ fromCache: true });
    expect(requests()).toHaveLength(1);
    expect(
      await prices.get({
        locationId: "loc_1",
        start: "2026-12-02T09:59:00Z",
        end: inHours(1),
      })
    ).toMatchObject({ fromCache: false });
    expect(await prices.get({ locationId: "loc_1", end: "2026-12-02T23:00:01Z" })).toMatchObject({ fromCache: false });
    expect(
      await prices.get({
        locationId: "loc_1",
        end: inHours(1),
        direction: "EXPORT",
      })
    ).toMatchObject({ fromCache: false, direction: "EXPORT" });
    expect(await prices.get({ locationId: "loc_2", end: inHours(1) })).toMatchObject({ fromCache: false, locationId: "loc_2" });
    expect(requests().map((call) => [call.params.path.id, (call.body as { tariff_direction: string }).tariff_direction])).toStrictEqual([
      ["loc_1", "IMPORT"],
      ["loc_1", "IMPORT"],
      ["loc_1", "IMPORT"],
      ["loc_1", "EXPORT"],
      ["loc_2", "IMPORT"],
    ]);
  });

  it("keeps an answer current at least minTtlMs and at most maxTtlMs, and maxTtlMs without a next_update, then refreshes it", async () => {
    for (const [nextUpdate, keptMs, options] of [
      ["2026-12-02T10:00:00Z", 60_000, {}],
      ["2026-12-02T10:25:00Z", 5 * 60_000, {}],
      ["2026-12-03T10:00:00Z", HOUR, {}],
      [null, HOUR, {}],
      ["2026-12-03T10:00:00Z", 120_000, { minTtlMs: 1_000, maxTtlMs: 120_000 }],
    ] as const) {
      const { prices, requests } = setup(options, nextUpdate);
      const ask = () => prices.get({ locationId: "loc_1", end: Date.now() + HOUR });
      await ask();
      vi.setSystemTime(NOW + keptMs - 1);
      expect(await ask(), `current for ${keptMs} ms`).toMatchObject({ fromCache: true, stale: false });
      expect(requests(), `kept for ${keptMs} ms`).toHaveLength(1);
      vi.setSystemTime(NOW + keptMs);
      expect(await ask(), `stale after ${keptMs} ms`).toMatchObject({ fromCache: true, stale: true });
      await vi.waitFor(() => expect(requests(), `asked again after ${keptMs} ms`).toHaveLength(2));
    }
  });

  it("serves a kept answer, marked stale, for graceMs after its refresh is due, then waits for a request", async () => {
    const { prices, requests, mock } = setup({ graceMs: 60_000 });
    await prices.get({ locationId: "loc_1", end: inHours(1) });
    const refreshErrors: unknown[] = [];
    const failing = setup({ graceMs: 60_000, onRefreshError: (error) => refreshErrors.push(error) });
    await failing.prices.get({ locationId: "loc_1", end: inHours(1) });
    failing.mock.on("POST /prices/{id}", () => failing.mock.faults.serverError(503));
    vi.setSystemTime(Date.parse("2026-12-02T11:00:59Z"));
    expect(await failing.prices.get({ locationId: "loc_1", end: Date.now() + HOUR / 2 })).toMatchObject({ fromCache: true, stale: true });
    await vi.waitFor(() => expect(refreshErrors).toStrictEqual([expect.objectContaining({ kind: "http", status: 503 })]));
    expect(await failing.prices.get({ locationId: "loc_1", end: Date.now() + HOUR / 2 })).toMatchObject({ fromCache: true, stale: true });
    vi.setSystemTime(Date.parse("2026-12-02T11:01:00Z"));
    await expect(failing.prices.get({ locationId: "loc_1", end: Date.now() + HOUR / 2 })).rejects.toMatchObject({ status: 503 });
    mock.on("POST /prices/{id}", ({ params, body }) => ({ status: 200, body: priceFor(params.path.id, body, "2026-12-02T12:00:00Z") }));
    expect(await prices.get({ locationId: "loc_1", end: Date.now() + HOUR / 2 })).toMatchObject({ fromCache: false, stale: false, nextUpdate: new Date("2026-12-02T12:00:00Z") });
    expect(requests()).toHaveLength(2);
  });

  it("refreshes the answers that share a next_update each at a moment of its own within refreshSpreadMs, the same in every cache", async () => {
    const locations = Array.from({ length: 40 }, (_, i) => `loc_${i}`);
    const refreshedAt = async () => {
      const { prices, requests, mock } = setup({ refreshSpreadMs: 10 * 60_000, maxRefreshesPerSecond: 1_000 });
      for (const locationId of locations) await prices.get({ locationId, end: inHours(1) });
      mock.on("POST /prices/{id}", ({ params, body }) => ({ status: 200, body: priceFor(params.path.id, body, "2026-12-03T11:00:00Z") }));
      const minuteOf: Record<string, number> = {};
      for (let minute = 0; minute <= 10; minute++) {
        vi.setSystemTime(Date.parse("2026-12-02T11:00:00Z") + minute * 60_000);
        const answers = await Promise.all(locations.map((locationId) => prices.get({ locationId, end: Date.now() + HOUR / 2 })));
        expect(answers.every((answered) => answered.stale || minuteOf[answered.locationId] !== undefined)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 20));
        for (const call of requests().slice(locations.length)) minuteOf[call.params.path.id] ??= minute;
      }
      expect(requests()).toHaveLength(2 * locations.length);
      return minuteOf;
    };
    const minuteOf = await refreshedAt();
    expect(Object.keys(minuteOf).sort()).toStrictEqual([...locations].sort());
    const perMinute = Object.values(minuteOf).reduce<Record<number, number>>((counts, minute) => ({ ...counts, [minute]: (counts[minute] ?? 0) + 1 }), {});
    expect(Object.keys(perMinute).length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...Object.values(perMinute))).toBeLessThanOrEqual(12);
    expect(await refreshedAt()).toStrictEqual(minuteOf);
  });

  it("starts at most maxRefreshesPerSecond refreshes, serving the others stale until a later question", async () => {
    const { prices, requests } = setup({ maxRefreshesPerSecond: 3 });
    const locations = ["loc_1", "loc_2", "loc_3", "loc_4", "loc_5"];
    for (const locationId of locations) await prices.get({ locationId, end: inHours(1) });
    vi.setSystemTime(Date.parse("2026-12-02T11:00:00Z"));
    const answers = await Promise.all(locations.map((locationId) => prices.get({ locationId, end: Date.now() + HOUR / 2 })));
    expect(answers.every((answer) => answer.stale)).toBe(true);
    await vi.waitFor(() => expect(requests()).toHaveLength(8));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests()).toHaveLength(8);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await Promise.all(locations.map((locationId) => prices.get({ locationId, end: Date.now() + HOUR / 2 })));
    await vi.waitFor(() => expect(requests()).toHaveLength(10));
  });

  it("starts no second refresh of an answer while its refresh is under way", async () => {
    const { prices, requests, mock } = setup({ maxRefreshesPerSecond: 100 });
    await prices.get({ locationId: "loc_1", end: inHours(1) });
    vi.setSystemTime(Date.parse("2026-12-02T11:00:00Z"));
    const release = holdRequests(mock);
    for (let i = 0; i < 5; i++) expect(await prices.get({ locationId: "loc_1", end: Date.now() + HOUR / 2 })).toMatchObject({ fromCache: true, stale: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(requests()).toHaveLength(2);
    release();
    await vi.waitFor(async () => expect(await prices.get({ locationId: "loc_1", end: Date.now() + HOUR / 2 })).toMatchObject({ stale: false }));
    expect(requests()).toHaveLength(2);
  });

  it("shares one request among concurrent questions it covers, and asks again for one it does not", async () => {
    const { prices, requests } = setup();
    const answers = await Promise.all([...Array.from({ length: 20 }, () => prices.get({ locationId: "loc_1", end: inHours(2) })), prices.get({ locationId: "loc_1", end: inHours(30) })]);
    expect(answers.map((answer) => answer.fromCache)).toStrictEqual(Array(21).fill(false));
    expect(requests()).toHaveLength(2);
    expect(answers[0]?.intervals).toHaveLength(5);
    expect(answers[20]?.intervals).toHaveLength(61);
    expect(await prices.get({ locationId: "loc_1", end: inHours(30) })).toMatchObject({ fromCache: true });
  });

  it("keeps no failed answer: every question sharing the request rejects with the error, and the next one asks again", async () => {
    const { prices, requests, mock } = setup();
    mock.once("POST /prices/{id}", mock.error(422, "no_price_data"));
    const failed = await Promise.allSettled([prices.get({ locationId: "loc_1", end: inHours(2) }), prices.get({ locationId: "loc_1", end: inHours(1) })]);
    expect(failed.map((outcome) => outcome.status === "rejected" && isFlatpeakError(outcome.reason) && [outcome.reason.status, outcome.reason.code])).toStrictEqual([
      [422, "no_price_data"],
      [422, "no_price_data"],
    ]);
    expect(await prices.get({ locationId: "loc_1", end: inHours(2) })).toMatchObject({ fromCache: false });
    expect(requests()).toHaveLength(2);
  });

  it("forgets a location in every direction on invalidate, and keeps nothing a request under way for it brings", async () => {
    const { prices, requests, mock } = setup();
    await prices.get({ locationId: "loc_1", end: inHours(1) });
    await prices.get({
      locationId: "loc_1",
      end: inHours(1),
      direction: "EXPORT",
    });
    await prices.get({ locationId: "loc_2", end: inHours(1) });
    const release = holdRequests(mock);
    const underWay = prices.get({ locationId: "loc_1", end: inHours(40) });
    await vi.waitFor(() => expect(requests()).toHaveLength(4));
    await prices.invalidate("loc_1");
    const joinedAfter = prices.get({ locationId: "loc_1", end: inHours(39) });
    release();
    expect(await underWay).toMatchObject({ fromCache: false });
    expect(await joinedAfter).toMatchObject({ fromCache: false });
    expect(requests()).toHaveLength(5);
    expect(
      await prices.get({
        locationId: "loc_1",
        end: inHours(1),
        direction: "EXPORT",
      })
    ).toMatchObject({ fromCache: false });
    expect(await prices.get({ locationId: "loc_1", end: inHours(39) })).toMatchObject({ fromCache: true });
    expect(await prices.get({ locationId: "loc_2", end: inHours(1) })).toMatchObject({ fromCache: true });
    expect(requests()).toHaveLength(6);
  });

  it("keeps and serves nothing a request under way brings after its location was invalidated: the question is asked again", async () => {
    const { prices, requests, mock } = setup();
    const release = holdRequests(mock);
    const underWay = prices.get({ locationId: "loc_1", end: inHours(1) });
    await vi.waitFor(() => expect(requests()).toHaveLength(1));
    mock.on("POST /prices/{id}", ({ params, body }) => ({ status: 200, body: priceFor(params.path.id, body, "2026-12-02T11:00:00Z", 0.5) }));
    await prices.invalidate("loc_1");
    release();
    const fresh = [expect.objectContaining({ value: 0.5 }), expect.objectContaining({ value: 0.51 }), expect.objectContaining({ value: 0.52 })];
    expect(await underWay).toMatchObject({ fromCache: false, locationId: "loc_1", intervals: fresh });
    expect(requests()).toHaveLength(2);
    expect(await prices.get({ locationId: "loc_1", end: inHours(1) })).toMatchObject({ fromCache: true, intervals: fresh });
  });

  it("gives up after three requests that each had their location invalidated under way", async () => {
    const { prices, requests, mock } = setup();
    let answered = 0;
    mock.on("POST /prices/{id}", async ({ params, body }) => {
      await prices.invalidate("loc_1");
      answered++;
      return { status: 200, body: priceFor(params.path.id, body, "2026-12-02T11:00:00Z") };
    });
    await expect(prices.get({ locationId: "loc_1", end: inHours(1) })).rejects.toThrow("priceCache.get: the prices of loc_1 were invalidated while each of 3 requests for them was under way; ask again.");
    expect([answered, requests().length]).toStrictEqual([3, 3]);
  });

  it("lets questions join the request asked after an invalidation, the question of the stale one too", async () => {
    const { prices, requests, mock } = setup();
    const releaseStale = holdRequests(mock);
    const stale = prices.get({ locationId: "loc_1", end: inHours(1) });
    await vi.waitFor(() => expect(requests()).toHaveLength(1));
    await prices.invalidate("loc_1");
    const releaseFresh = holdRequests(mock);
    const fresh = prices.get({ locationId: "loc_1", end: inHours(2) });
    await vi.waitFor(() => expect(requests()).toHaveLength(2));
    const joined = prices.get({ locationId: "loc_1", end: inHours(1) });
    releaseFresh();
    expect((await Promise.all([fresh, joined])).map((answer) => answer.fromCache)).toStrictEqual([false, false]);
    releaseStale();
    expect(await stale).toMatchObject({ fromCache: true });
    expect(requests()).toHaveLength(2);
    expect(await prices.get({ locationId: "loc_1", end: inHours(2) })).toMatchObject({ fromCache: true });
  });

  it("invalidates only the location named: a request under way for another is kept and joined, the named one's asked again", async () => {
    const { prices, requests, mock } = setup();
    const release = holdRequests(mock, 2);
    const first = prices.get({ locationId: "loc_1", end: inHours(1) });
    const other = prices.get({ locationId: "loc_2", end: inHours(1) });
    await vi.waitFor(() => expect(requests()).toHaveLength(2));
    await prices.invalidate("loc_1");
    const joined = prices.get({ locationId: "loc_2", end: inHours(1) });
    release();
    await Promise.all([first, other, joined]);
    expect(requests().map((call) => call.params.path.id)).toStrictEqual(["loc_1", "loc_2", "loc_1"]);
    expect(await prices.get({ locationId: "loc_2", end: inHours(1) })).toMatchObject({ fromCache: true });
    await expect(prices.invalidate(42 as never)).rejects.toThrow(new TypeError('priceCache.invalidate: pass the id of a location, e.g. "loc_641b90b758fb8e6293716e40".'));
  });

  it("says an answer without a next_update has none", async () => {
    const { prices } = setup({}, null);
    expect(await prices.get({ locationId: "loc_1", end: inHours(1) })).toMatchObject({ nextUpdate: undefined });
  });

  it("forgets a location when the router it listens to handles location.update, location.delete or a tariff event for it", async () => {
    const { prices, requests } = setup();
    const router = createEventRouter();
    expect(prices.listenTo(router)).toBe(router);
    const events: FlatpeakEvent[] = [
      createTestEvent("location.update", { data: { ...createTestEvent("location.update").data, id: "loc_1" } }),
      createTestEvent("location.delete", { data: { ...createTestEvent("location.delete").data, id: "loc_1" } }),
      ...TEST_EVENT_TYPES.filter((type) => type.startsWith("tariff.")).map((type) => createTestEvent(type, { data: { location_id: "loc_1", tariff_id: "trf_1" } } as never)),
    ];
    expect(events.map((event) => event.type)).toStrictEqual(["location.update", "location.delete", "tariff.expiring", "tariff.expired", "tariff.fetch.failed", "tariff.connection.upgrade"]);
    for (const event of events) {
      await prices.get({ locationId: "loc_1", end: inHours(1) });
      await prices.get({ locationId: "loc_2", end: inHours(1) });
      const before = requests().length;
      await router.dispatch(event);
      expect(await prices.get({ locationId: "loc_1", end: inHours(1) }), event.type).toMatchObject({ fromCache: false });
      expect(await prices.get({ locationId: "loc_2", end: inHours(1) }), event.type).toMatchObject({ fromCache: true });
      expect(requests().length - before).toBe(1);
    }
    await router.dispatch({
      id: "evt_x",
      object: "event",
      type: "location.update",
      data: {},
    } as FlatpeakEvent);
    for (const type of ["location.update", "location.delete", "tariff.expired"] as const) {
      for (const data of [undefined, { id: "", location_id: "" }]) {
        await expect(router.dispatch({ id: `evt_${type}`, object: "event", type, ...(data && { data }) } as FlatpeakEvent), `${type} with ${JSON.stringify(data)}`).resolves.toBe("handled");
      }
    }
    await router.dispatch({
      id: "evt_y",
      object: "event",
      type: "customer.update",
      data: { id: "loc_1" },
    } as FlatpeakEvent);
    expect(await prices.get({ locationId: "loc_1", end: inHours(1) })).toMatchObject({ fromCache: true });
  });

  it("refuses to listen, without a store of its own, to a router whose claims are shared between processes, and listens to one of this process", () => {
    const { prices } = setup();
    const memory = createMemoryStore();
    // A copy of the memory store's operations, without its mark of a store of one process: a store shared by several.
    const shared = { ...memory };
    expect(() => prices.listenTo(createEventRouter({ store: shared }))).toThrow(
      new TypeError(
        "priceCache.listenTo: the router's claims are shared between processes, so only one of them handles each event, and the caches of the others would keep the old prices; give the cache the same shared store, e.g. createPriceCache(flatpeak, { store: createRedisStore(redis) }).",
      ),
    );
    const local = createEventRouter({ store: createMemoryStore() });
    expect(prices.listenTo(local)).toBe(local);
    const withStore = createPriceCache(createFlatpeakClient({ token: "t", fetch: createMockFlatpeak().fetch }), { store: shared });
    const sharedRouter = createEventRouter({ store: shared });
    expect(withStore.listenTo(sharedRouter)).toBe(sharedRouter);
  });

  it("keeps at most maxEntries answers, forgetting the least recently used", async () => {
    const { prices, requests } = setup({ maxEntries: 2 });
    const ask = (locationId: string) => prices.get({ locationId, end: inHours(1) }).then((answer) => answer.fromCache);
    expect([await ask("loc_1"), await ask("loc_2"), await ask("loc_1"), await ask("loc_3")]).toStrictEqual([false, false, true, false]);
    expect([await ask("loc_1"), await ask("loc_3"), await ask("loc_2")]).toStrictEqual([true, true, false]);
    expect(requests()).toHaveLength(4);
  });

  it("refuses options and questions it cannot use, saying what to pass", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const flatpeak = createFlatpeakClient({
      token: "t",
      fetch: createMockFlatpeak().fetch,
    });
    expect(() => createPriceCache(undefined as never)).toThrow(new TypeError("createPriceCache: pass the Flatpeak client, e.g. createPriceCache(createFlatpeakClient({ accountId, apiKey }))."));
    const method = async () => undefined;
    for (const store of [null, { get: method, set: method }, { get: method, deleteIfEquals: method }, { set: method, deleteIfEquals: method }]) {
      expect(() => createPriceCache(flatpeak, { store: store as never }), JSON.stringify(store)).toThrow("createPriceCache: store must be a FlatpeakStore (get, set, setIfEquals, deleteIfEquals), such as createMemoryStore() or createRedisStore(redis)");
    }
    expect(() => createPriceCache(flatpeak, { maxEntries: 0 })).toThrow(new TypeError("createPriceCache: maxEntries must be a whole number of 1 or more, got 0."));
    expect(() => createPriceCache(flatpeak, { minTtlMs: 0 })).toThrow(new TypeError("createPriceCache: minTtlMs must be a whole number from 1 to 2147483647, got 0."));
    expect(() => createPriceCache(flatpeak, { minTtlMs: 10_000, maxTtlMs: 9_999 })).toThrow(new TypeError("createPriceCache: maxTtlMs must be a whole number from 10000 to 2147483647, got 9999."));
    expect(createPriceCache(flatpeak, { minTtlMs: 7_200_000 })).toBeDefined();
    const prices = createPriceCache(flatpeak);
    const refused = (question: unknown) => () => prices.get(question as never);
    return Promise.all([
      expect(refused({ end: inHours(1) })()).rejects.toThrow(new TypeError('priceCache.get: locationId must be the id of a location, e.g. "loc_641b90b758fb8e6293716e40".')),
      expect(refused({ locationId: " ", end: inHours(1) })()).rejects.toThrow("priceCache.get: locationId must be the id of a location"),
      expect(refused(undefined)()).rejects.toThrow(new TypeError("priceCache.get: pass an object of { locationId, start, end, direction }.")),
      expect(refused({ locationId: "loc_1", end: inHours(1), direction: "import" })()).rejects.toThrow('priceCache.get: direction must be one of IMPORT, EXPORT, LOCAL, got "import".'),
      expect(refused({ locationId: "loc_1" })()).rejects.toThrow("priceCache.get: end must be an instant after start (which defaults to now), e.g. { end: Date.now() + 12 * 3_600_000 }."),
      expect(refused({ locationId: "loc_1", end: NOW })()).rejects.toThrow("priceCache.get: end must be an instant after start"),
      expect(refused({ locationId: "loc_1", start: inHours(2), end: inHours(1) })()).rejects.toThrow("priceCache.get: end must be an instant after start"),
      expect(refused({ locationId: "loc_1", end: "tomorrow" })()).rejects.toThrow('priceCache.get: end must be a Date, an RFC 3339 string or epoch milliseconds, got "tomorrow".'),
      expect(refused({ locationId: "loc_1", start: "today", end: inHours(1) })()).rejects.toThrow('priceCache.get: start must be a Date, an RFC 3339 string or epoch milliseconds, got "today".'),
      expect(refused({ locationId: "loc_1", end: inHours(1), direction: "X".repeat(100) })()).rejects.toThrow(`priceCache.get: direction must be one of IMPORT, EXPORT, LOCAL, got "${"X".repeat(40)}".`),
      expect(prices.invalidate("")).rejects.toThrow(new TypeError('priceCache.invalidate: pass the id of a location, e.g. "loc_641b90b758fb8e6293716e40".')),
    ]);
  });
});
