/**
 * The mock's default answers follow the request, so that every documented
 * flow finishes against it: prices over the window asked for, meter batches
 * accepted and processed, ids echoed by schedules, costs and Connect — each
 * answer still valid for the spec. And the mock under hostile requests.
 */
import { describe, expect, it } from "vitest";
import { completeConnect, createFlatpeakClient, startConnect, unwrap, uploadCumulativeReadings, uploadMeterRecords } from "../../src/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { responseViolations } from "../helpers/spec.js";

function setup() {
  const mock = createMockFlatpeak();
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
  return { mock, flatpeak };
}

const HOUR = 3_600_000;

describe("default answers that follow the request", () => {
  it("price exactly the window and direction asked for, in its offset, forecast beyond a day, with a next_update to come", async () => {
    const { flatpeak } = setup();
    const start = new Date(Math.floor(Date.now() / HOUR) * HOUR + 10 * 60_000);
    const local = (time: number) => `${new Date(time + HOUR).toISOString().slice(0, 19)}+01:00`;
    const window = { start_time: local(start.getTime()), end_time: local(start.getTime() + 30 * HOUR), tariff_direction: "EXPORT" as const };
    const { data, response } = await flatpeak.POST("/prices/{id}", { params: { path: { id: "loc_mine" } }, body: window });
    expect(responseViolations("POST /prices/{id}", response.status, data)).toEqual([]);
    expect(data).toMatchObject({ location_id: "loc_mine", tariff_direction: "EXPORT", request: window });
    const intervals = data?.data ?? [];
    expect(intervals[0]?.valid_from).toBe(window.start_time);
    expect(intervals.at(-1)?.valid_to).toBe(window.end_time);
    expect(intervals).toHaveLength(61);
    expect(intervals.every(({ valid_from, valid_to }) => valid_from.endsWith("+01:00") && valid_to.endsWith("+01:00"))).toBe(true);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]?.valid_from).toBe(intervals[i - 1]?.valid_to);
    expect(new Set(intervals.map(({ price }) => price.value)).size).toBeGreaterThan(5);
    expect(intervals.map(({ price }) => price.confidence).filter((confidence) => confidence < 1).length).toBeGreaterThan(0);
    expect(intervals[0]?.price.confidence).toBe(1);
    expect(Date.parse(data?.next_update ?? "")).toBeGreaterThan(Date.now());
    expect(data?.next_update?.endsWith("+01:00")).toBe(true);
  });

  it("price from now, in UTC, when the window gives only its end, and at most 90 days of it", async () => {
    const { flatpeak } = setup();
    const before = Date.now();
    const price = await unwrap(flatpeak.POST("/prices/{id}", { params: { path: { id: "loc_1" } }, body: { end_time: new Date(before + 2 * HOUR).toISOString() } }));
    expect(Date.parse(price.data?.[0]?.valid_from ?? "") - before).toBeLessThan(2_000);
    expect(price.data?.[0]?.valid_from.endsWith("Z")).toBe(true);
    expect(price.tariff_direction).toBe("IMPORT");
    const long = await unwrap(flatpeak.POST("/prices/{id}", { params: { path: { id: "loc_1" } }, body: { start_time: "2026-01-01T00:00:00Z", end_time: "2027-01-01T00:00:00Z" } }));
    expect(long.data).toHaveLength(90 * 48);
  });

  it("accept every record sent, give each batch its own id, and process it, so waiting for processing finishes", async () => {
    const { flatpeak, mock } = setup();
    const records = Array.from({ length: 25_000 }, (_, i) => ({ location_id: "loc_1", units: "WH" as const, value: i, start_time: "2026-01-01T00:00:00Z", end_time: "2026-01-01T00:30:00Z" }));
    const result = await uploadMeterRecords(flatpeak, records, { waitForProcessing: true, pollIntervalMs: 1 });
    expect(result).toMatchObject({ recordsAccepted: 25_000, processingComplete: true, failedRecords: [] });
    expect(new Set(result.batches.map((batch) => batch.id)).size).toBe(3);
    expect(result.batches.map((batch) => [batch.records, batch.accepted, batch.processed])).toEqual([
      [10_000, 10_000, 10_000],
      [10_000, 10_000, 10_000],
      [5_000, 5_000, 5_000],
    ]);
    const readings = await uploadCumulativeReadings(flatpeak, { location_id: "loc_1", units: "KWH" }, [{ time: 1_721_991_392, value: 1 }, { time: 1_721_991_452, value: 2 }], { waitForProcessing: true });
    expect(readings).toMatchObject({ recordsAccepted: 2, processingComplete: true });
    const put = await flatpeak.PUT("/meters/interval", { body: records.slice(0, 3) });
    expect(responseViolations("PUT /meters/interval", put.response.status, put.data)).toEqual([]);
    const batch = await flatpeak.GET("/meters/batch", { params: { query: { batch_id: put.data?.id ?? "" } } });
    expect(responseViolations("GET /meters/batch", batch.response.status, batch.data)).toEqual([]);
    expect(batch.data).toMatchObject({ records_accepted: 3, records_processed: 3 });
    expect((await unwrap(flatpeak.GET("/meters/batch", { params: { query: { batch_id: "bat_unknown" } } }))).records_accepted).toBe(0);
    mock.reset();
    expect((await unwrap(flatpeak.PUT("/meters/interval", { body: records.slice(0, 1) }))).id).toBe("bat_mock_1");
  });

  it("schedule for the location, devices and window asked for", async () => {
    const { flatpeak } = setup();
    const amount = await flatpeak.POST("/schedules/amount/{id}", {
      params: { path: { id: "loc_mine" } },
      body: { max_power: { units: "KW", value: 11 }, data: [{ device_id: "dev_car", end_time: "2026-12-03T07:00:00Z", energy: { units: "KWH", value: 30 } }, { device_id: "dev_heat", tariff_direction: "IMPORT", start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-03T06:00:00Z", energy: { units: "KWH", value: 5 } }] },
    });
    expect(responseViolations("POST /schedules/amount/{id}", amount.response.status, amount.data)).toEqual([]);
    expect(amount.data).toMatchObject({ location_id: "loc_mine", max_power: { units: "KW", value: 11 } });
    expect(amount.data?.data?.map((item) => [item.device_id, item.end_time])).toEqual([
      ["dev_car", "2026-12-03T07:00:00Z"],
      ["dev_heat", "2026-12-03T06:00:00Z"],
    ]);
    const duration = await flatpeak.POST("/schedules/duration/{id}", { params: { path: { id: "loc_mine" } }, body: { start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-03T07:00:00Z", segment: "LOW", duration: 120, tariff_direction: "EXPORT" } });
    expect(responseViolations("POST /schedules/duration/{id}", duration.response.status, duration.data)).toEqual([]);
    expect(duration.data).toMatchObject({ location_id: "loc_mine", tariff_direction: "EXPORT", data: [{ start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-03T00:00:00Z" }] });
    const limit = await flatpeak.POST("/schedules/limit/{id}", { params: { path: { id: "loc_mine" } }, body: { start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-02T22:30:00Z", segment: "LOW", relative: 0.5 } });
    expect(responseViolations("POST /schedules/limit/{id}", limit.response.status, limit.data)).toEqual([]);
    expect(limit.data).toMatchObject({ location_id: "loc_mine", data: [{ start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-02T22:30:00Z" }] });
  });

  it("cost the object and direction asked for, and echo an instant record", async () => {
    const { flatpeak } = setup();
    const interval = await flatpeak.POST("/costs/interval/{id}", { params: { path: { id: "dev_car" }, query: { tariff_direction: "EXPORT" } }, body: {} });
    expect(responseViolations("POST /costs/interval/{id}", interval.response.status, interval.data)).toEqual([]);
    expect(interval.data).toMatchObject({ object_id: "dev_car", tariff_direction: "EXPORT" });
    const session = await flatpeak.POST("/costs/session/{id}", { params: { path: { id: "SESSION-9" } } });
    expect(session.data).toMatchObject({ object_id: "SESSION-9", tariff_direction: "IMPORT" });
    const record = { location_id: "loc_mine", units: "WH" as const, value: 1_500, start_time: "2026-12-02T10:00:00Z", end_time: "2026-12-02T10:30:00Z" };
    const instant = await flatpeak.POST("/costs/instant", { params: { query: { non_persistent: true } }, body: record });
    expect(responseViolations("POST /costs/instant", instant.response.status, instant.data)).toEqual([]);
    expect(instant.data?.request).toEqual({ ...record, non_persistent: true });
  });

  it("give each Connect session its own token, and exchange it for the location and customer it was started for", async () => {
    const { flatpeak } = setup();
    const first = await startConnect(flatpeak, { connect_url: "https://connect.flatpeak.com", callback_url: "https://app.example.com/done", location_id: "loc_mine", customer_id: "cus_mine", customer_reference_id: "CUS-9" });
    const second = await startConnect(flatpeak, { connect_url: "https://connect.flatpeak.com", callback_url: "https://app.example.com/done" });
    expect(first.connectToken).not.toBe(second.connectToken);
    expect(await completeConnect(flatpeak, `https://app.example.com/done?fp_cot=${first.connectToken}`)).toMatchObject({ locationId: "loc_mine", customerId: "cus_mine" });
    const exchanged = await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: first.connectToken } } });
    expect(responseViolations("GET /connect/tariff/token", exchanged.response.status, exchanged.data)).toEqual([]);
    expect(exchanged.data).toMatchObject({ id: first.connectToken, customer_reference_id: "CUS-9" });
    expect((await unwrap(flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_other" } } }))).id).toBe("cot_other");
  });
});

describe("the mock under hostile requests", () => {
  const authorized = { Authorization: "Bearer t" };

  it("keeps a query parameter named __proto__ as a parameter, and records it", async () => {
    const mock = createMockFlatpeak();
    let seen: Record<string, unknown> = {};
    mock.on("GET /customers", ({ params }) => ((seen = params.query as Record<string, unknown>), { status: 200, body: { object: "list", url: "/customers", has_more: false, data: [] } }));
    const response = await mock.fetch("https://api.flatpeak.com/customers?__proto__=x&limit=2", { headers: authorized });
    expect(response.status).toBe(200);
    expect(Object.getPrototypeOf(seen)).toBeNull();
    expect(Object.entries(seen)).toEqual([
      ["__proto__", "x"],
      ["limit", 2],
    ]);
    expect(Object.keys(mock.calls[0]?.params.query ?? {})).toEqual(["__proto__", "limit"]);
  });

  it("answers 400 for a path with a malformed percent-escape", async () => {
    const mock = createMockFlatpeak();
    const response = await mock.fetch("https://api.flatpeak.com/customers/%E0%A4%A", { headers: authorized });
    expect([response.status, (await response.json()).message]).toEqual([400, "The path has a malformed percent-escape."]);
  });

  it("names the nearest operation of a 5,000-character unknown path at once, quoting only the start of the path", async () => {
    const mock = createMockFlatpeak();
    const path = `/${"x".repeat(5_000)}`;
    const startedAt = performance.now();
    const failure = (await mock.fetch(`https://api.flatpeak.com${path}`, { headers: authorized }).then(
      () => undefined,
      (error: unknown) => error,
    )) as Error;
    expect(performance.now() - startedAt).toBeLessThan(200);
    expect(failure.message).toMatch(/^flatpeak-client\/testing: the Flatpeak API has no operation GET \/x{199}; the nearest is /);
  });

  it("names POST /prices/{id} for a mistyped GET /prices", async () => {
    const mock = createMockFlatpeak();
    await expect(mock.fetch("https://api.flatpeak.com/prices", { headers: authorized })).rejects.toThrow("the nearest is POST /prices/{id}.");
  });
});
