/**
 * The mock's default answers follow the request, so that every documented
 * flow finishes against it: prices over the window asked for, meter batches
 * accepted and processed, ids echoed by schedules, costs and Connect — each
 * answer still valid for the spec. And the mock under hostile requests.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { completeConnect, createFlatpeakClient, ensureCustomer, ensureDevice, ensureLocation, startConnect, unwrap, uploadCumulativeReadings, uploadMeterRecords } from "../../src/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { createMockMemory, type AnswerContext } from "../../src/testing/answer-context.js";
import { DEFAULT_ANSWERS } from "../../src/testing/default-answers.js";
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
    expect(responseViolations("POST /prices/{id}", response.status, data)).toStrictEqual([]);
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
    expect(result.batches.map((batch) => [batch.records, batch.accepted, batch.processed])).toStrictEqual([
      [10_000, 10_000, 10_000],
      [10_000, 10_000, 10_000],
      [5_000, 5_000, 5_000],
    ]);
    const readings = await uploadCumulativeReadings(flatpeak, { location_id: "loc_1", units: "KWH" }, [{ time: 1_721_991_392, value: 1 }, { time: 1_721_991_452, value: 2 }], { waitForProcessing: true });
    expect(readings).toMatchObject({ recordsAccepted: 2, processingComplete: true });
    const put = await flatpeak.PUT("/meters/interval", { body: records.slice(0, 3) });
    expect(responseViolations("PUT /meters/interval", put.response.status, put.data)).toStrictEqual([]);
    const batch = await flatpeak.GET("/meters/batch", { params: { query: { batch_id: put.data?.id ?? "" } } });
    expect(responseViolations("GET /meters/batch", batch.response.status, batch.data)).toStrictEqual([]);
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
    expect(responseViolations("POST /schedules/amount/{id}", amount.response.status, amount.data)).toStrictEqual([]);
    expect(amount.data).toMatchObject({ location_id: "loc_mine", max_power: { units: "KW", value: 11 } });
    expect(amount.data?.data?.map((item) => [item.device_id, item.end_time])).toStrictEqual([
      ["dev_car", "2026-12-03T07:00:00Z"],
      ["dev_heat", "2026-12-03T06:00:00Z"],
    ]);
    const duration = await flatpeak.POST("/schedules/duration/{id}", { params: { path: { id: "loc_mine" } }, body: { start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-03T07:00:00Z", segment: "LOW", duration: 120, tariff_direction: "EXPORT" } });
    expect(responseViolations("POST /schedules/duration/{id}", duration.response.status, duration.data)).toStrictEqual([]);
    expect(duration.data).toMatchObject({ location_id: "loc_mine", tariff_direction: "EXPORT", data: [{ start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-03T00:00:00Z" }] });
    const limit = await flatpeak.POST("/schedules/limit/{id}", { params: { path: { id: "loc_mine" } }, body: { start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-02T22:30:00Z", segment: "LOW", relative: 0.5 } });
    expect(responseViolations("POST /schedules/limit/{id}", limit.response.status, limit.data)).toStrictEqual([]);
    expect(limit.data).toMatchObject({ location_id: "loc_mine", data: [{ start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-02T22:30:00Z" }] });
  });

  it("cost the object and direction asked for, and echo an instant record", async () => {
    const { flatpeak } = setup();
    const interval = await flatpeak.POST("/costs/interval/{id}", { params: { path: { id: "dev_car" }, query: { tariff_direction: "EXPORT" } }, body: {} });
    expect(responseViolations("POST /costs/interval/{id}", interval.response.status, interval.data)).toStrictEqual([]);
    expect(interval.data).toMatchObject({ object_id: "dev_car", tariff_direction: "EXPORT" });
    const session = await flatpeak.POST("/costs/session/{id}", { params: { path: { id: "SESSION-9" } } });
    expect(session.data).toMatchObject({ object_id: "SESSION-9", tariff_direction: "IMPORT" });
    const record = { location_id: "loc_mine", units: "WH" as const, value: 1_500, start_time: "2026-12-02T10:00:00Z", end_time: "2026-12-02T10:30:00Z" };
    const instant = await flatpeak.POST("/costs/instant", { params: { query: { non_persistent: true } }, body: record });
    expect(responseViolations("POST /costs/instant", instant.response.status, instant.data)).toStrictEqual([]);
    expect(instant.data?.request).toStrictEqual({ ...record, non_persistent: true });
  });

  it("give each Connect session its own token, and exchange it for the location and customer it was started for", async () => {
    const { flatpeak } = setup();
    const first = await startConnect(flatpeak, { connect_url: "https://connect.flatpeak.com", callback_url: "https://app.example.com/done", location_id: "loc_mine", customer_id: "cus_mine", customer_reference_id: "CUS-9" });
    const second = await startConnect(flatpeak, { connect_url: "https://connect.flatpeak.com", callback_url: "https://app.example.com/done" });
    expect(first.connectToken).not.toBe(second.connectToken);
    expect(await completeConnect(flatpeak, `https://app.example.com/done?fp_cot=${first.connectToken}`)).toMatchObject({ locationId: "loc_mine", customerId: "cus_mine" });
    const exchanged = await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: first.connectToken } } });
    expect(responseViolations("GET /connect/tariff/token", exchanged.response.status, exchanged.data)).toStrictEqual([]);
    expect(exchanged.data).toMatchObject({ id: first.connectToken, customer_reference_id: "CUS-9" });
    expect((await unwrap(flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_other" } } }))).id).toBe("cot_other");
  });
});

describe("default answers of creates and edits", () => {
  it("give each created object an id of its own and the reference_id and ids sent that its schema has", async () => {
    const { flatpeak } = setup();
    const customer = await ensureCustomer(flatpeak, { reference_id: "CUS-42" });
    const location = await ensureLocation(flatpeak, { reference_id: "SITE-7", customer_id: customer.id });
    const device = await ensureDevice(flatpeak, { reference_id: "EVSE-12", location_id: location.id });
    expect([customer.reference_id, location.reference_id, device.reference_id]).toStrictEqual(["CUS-42", "SITE-7", "EVSE-12"]);
    expect([customer.id, location.id, device.id]).toStrictEqual(["cus_mock_1", "loc_mock_2", "dev_mock_3"]);
    expect(location.customer_id).toBe("cus_mock_1");
    expect(device).not.toHaveProperty("location_id");
    const raw = await flatpeak.POST("/locations", { body: { reference_id: "SITE-9", customer_id: "cus_mock_1" } });
    expect(responseViolations("POST /locations", raw.response.status, raw.data)).toStrictEqual([]);
    const again = await ensureCustomer(flatpeak, { reference_id: "CUS-43" });
    expect([again.id, again.reference_id]).toStrictEqual(["cus_mock_5", "CUS-43"]);
  });

  it("answer an edit with the id of the path and what it changed", async () => {
    const { flatpeak } = setup();
    const { data, response } = await flatpeak.PATCH("/customers/{id}", { params: { path: { id: "cus_mine" } }, body: { reference_id: "CUS-42" } });
    expect(responseViolations("PATCH /customers/{id}", response.status, data)).toStrictEqual([]);
    expect(data).toMatchObject({ id: "cus_mine", reference_id: "CUS-42" });
    const edited = await unwrap(flatpeak.PATCH("/locations/{id}", { params: { path: { id: "loc_mine" } }, body: { reference_id: "SITE-8", customer_id: "cus_mine" } }));
    expect(edited).toMatchObject({ id: "loc_mine", reference_id: "SITE-8", customer_id: "cus_mine" });
  });

  it("schedule by amount the energy and power asked for, within the window asked for", async () => {
    const { flatpeak } = setup();
    const start = new Date(Date.now() + 3_600_000);
    const end = new Date(start.getTime() + 8 * 3_600_000);
    const body = { max_power: { units: "KW" as const, value: 7 }, data: [{ device_id: "dev_car", start_time: start.toISOString(), end_time: end.toISOString(), energy: { units: "KWH" as const, value: 21 } }] };
    const { data, response } = await flatpeak.POST("/schedules/amount/{id}", { params: { path: { id: "loc_mine" } }, body });
    expect(responseViolations("POST /schedules/amount/{id}", response.status, data)).toStrictEqual([]);
    const [car] = data?.data ?? [];
    expect(car?.energy).toStrictEqual({ units: "KWH", value: 21 });
    expect(data?.max_power).toStrictEqual({ units: "KW", value: 7 });
    const [slot] = car?.schedule ?? [];
    expect(Date.parse(slot?.start_time ?? "")).toBeGreaterThanOrEqual(Math.floor(start.getTime() / 1000) * 1000);
    expect(Date.parse(slot?.end_time ?? "") - Date.parse(slot?.start_time ?? "")).toBe(3 * 3_600_000);
    expect(slot?.power).toStrictEqual({ units: "W", value: 7000 });
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
    expect(Object.entries(seen)).toStrictEqual([
      ["__proto__", "x"],
      ["limit", 2],
    ]);
    expect(Object.keys(mock.calls[0]?.params.query ?? {})).toStrictEqual(["__proto__", "limit"]);
  });

  it("answers 400 for a path with a malformed percent-escape", async () => {
    const mock = createMockFlatpeak();
    const response = await mock.fetch("https://api.flatpeak.com/customers/%E0%A4%A", { headers: authorized });
    expect([response.status, (await response.json()).message]).toStrictEqual([400, "The path has a malformed percent-escape."]);
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

describe("each default answer, field by field", () => {
  const NOW = Date.parse("2026-12-02T10:20:00Z");
  const EXAMPLE = { id: "example_id", kept: "from the example", data: [{ slot: "of the example" }] };

  afterEach(() => {
    vi.useRealTimers();
  });

  function answerOf(operation: string, request: Partial<AnswerContext> = {}, now = NOW) {
    vi.useFakeTimers({ toFake: ["Date"], now });
    const build = DEFAULT_ANSWERS[operation];
    if (build === undefined) throw new Error(`no default answer for ${operation}`);
    return build({ path: {}, query: {}, body: undefined, example: EXAMPLE, memory: createMockMemory(), ...request }) as Record<string, unknown>;
  }

  type Interval = { valid_from: string; valid_to: string; price: { value: number; confidence: number } };
  const intervalsOf = (answer: Record<string, unknown>) => answer.data as Interval[];
  const priceOver = (start_time: string, end_time: string, now = NOW) => answerOf("POST /prices/{id}", { path: { id: "loc_1" }, body: { start_time, end_time } }, now);

  it("prices: keeps the example's fields, names the location, direction and window, and stamps the time", () => {
    const body = { start_time: "2026-12-02T10:10:00Z", end_time: "2026-12-02T11:00:00Z", tariff_direction: "EXPORT" };
    const answer = answerOf("POST /prices/{id}", { path: { id: "loc_1" }, body });
    expect(answer).toMatchObject({ id: "example_id", kept: "from the example", location_id: "loc_1", tariff_direction: "EXPORT", request: body, time_created: "2026-12-02T10:20:00.000Z" });
    expect(intervalsOf(answer).map(({ valid_from, valid_to }) => [valid_from, valid_to])).toStrictEqual([
      ["2026-12-02T10:10:00Z", "2026-12-02T10:30:00Z"],
      ["2026-12-02T10:30:00Z", "2026-12-02T11:00:00Z"],
    ]);
  });

  it("prices: from now, importing, when the window gives only its end; nothing for a body that is no window", () => {
    const answer = answerOf("POST /prices/{id}", { path: { id: "loc_1" }, body: { end_time: "2026-12-02T11:00:00Z" } });
    expect(answer).toMatchObject({ tariff_direction: "IMPORT", request: { start_time: "2026-12-02T10:20:00.000Z", end_time: "2026-12-02T11:00:00Z" } });
    expect(intervalsOf(answer).map(({ valid_from }) => valid_from)).toStrictEqual(["2026-12-02T10:20:00Z", "2026-12-02T10:30:00Z"]);
    expect(intervalsOf(answerOf("POST /prices/{id}", { path: { id: "loc_1" }, body: ["no", "window"] }))).toStrictEqual([]);
  });

  it("prices: in the offset of start_time, east or west of UTC, half hours cut in UTC", () => {
    const east = intervalsOf(priceOver("2026-12-02T15:40:00+05:30", "2026-12-02T16:30:00+05:30"));
    expect(east.map(({ valid_from, valid_to }) => [valid_from, valid_to])).toStrictEqual([
      ["2026-12-02T15:40:00+05:30", "2026-12-02T16:00:00+05:30"],
      ["2026-12-02T16:00:00+05:30", "2026-12-02T16:30:00+05:30"],
    ]);
    const west = intervalsOf(priceOver("2026-12-02T05:10:00-05:00", "2026-12-02T05:30:00-05:00"));
    expect(west.map(({ valid_from, valid_to }) => [valid_from, valid_to])).toStrictEqual([["2026-12-02T05:10:00-05:00", "2026-12-02T05:30:00-05:00"]]);
  });

  it("prices: cheap at night, dear from 16:00 to 19:00 UTC, in seven steps of 0.004 a half hour", () => {
    const values = (from: string, to: string) => intervalsOf(priceOver(from, to)).map(({ price }) => price.value);
    const steps = (base: number) => Array.from({ length: 7 }, (_, i) => Math.round((base + i * 0.004) * 10_000) / 10_000);
    expect(values("2026-12-02T00:00:00Z", "2026-12-02T03:30:00Z").sort((a, b) => a - b)).toStrictEqual(steps(0.12));
    expect(values("2026-12-02T06:00:00Z", "2026-12-02T09:30:00Z").sort((a, b) => a - b)).toStrictEqual(steps(0.24));
    expect(values("2026-12-02T19:00:00Z", "2026-12-02T22:30:00Z").sort((a, b) => a - b)).toStrictEqual(steps(0.24));
    const base = (value: number) => [0.12, 0.24, 0.36].find((level) => value >= level && value < level + 0.025);
    expect(values("2026-12-02T05:30:00Z", "2026-12-02T06:30:00Z").map(base)).toStrictEqual([0.12, 0.24]);
    expect(values("2026-12-02T15:30:00Z", "2026-12-02T19:30:00Z").map(base)).toStrictEqual([0.24, 0.36, 0.36, 0.36, 0.36, 0.36, 0.36, 0.24]);
  });

  it("prices: one price for a whole half hour, however the window cuts it", () => {
    const [cut] = intervalsOf(priceOver("2026-12-02T10:10:00Z", "2026-12-02T10:30:00Z"));
    const [whole] = intervalsOf(priceOver("2026-12-02T10:00:00Z", "2026-12-02T10:30:00Z"));
    expect(cut?.price.value).toBe(whole?.price.value);
  });

  it("takes a body or example that is no object as an empty one", () => {
    for (const notAnObject of [null, "text", ["a", "list"], 42]) {
      const label = JSON.stringify(notAnObject);
      expect(answerOf("POST /costs/interval/{id}", { path: { id: "dev_1" }, example: notAnObject }), label).toStrictEqual({ object_id: "dev_1", tariff_direction: "IMPORT" });
      expect(answerOf("POST /costs/instant", { body: notAnObject, example: {} }), label).toStrictEqual({ request: { non_persistent: false } });
      expect(answerOf("POST /schedules/amount/{id}", { path: { id: "loc_1" }, body: notAnObject, example: {} }), label).toStrictEqual({ id: "sae_loc_1", location_id: "loc_1", data: [] });
    }
  });

  it("prices: certain for the next day, forecast from exactly a day ahead", () => {
    const intervals = intervalsOf(priceOver("2026-12-03T09:50:00Z", "2026-12-03T11:00:00Z"));
    expect(intervals.map(({ valid_from, price }) => [valid_from, price.confidence])).toStrictEqual([
      ["2026-12-03T09:50:00Z", 1],
      ["2026-12-03T10:00:00Z", 1],
      ["2026-12-03T10:30:00Z", 0.8],
    ]);
    expect(intervalsOf(priceOver("2026-12-03T10:20:00Z", "2026-12-03T10:30:00Z"))[0]?.price.confidence).toBe(0.8);
  });

  it("prices: updated at the last 16:00 UTC, next at the first one after now, in the offset of start_time", () => {
    expect(priceOver("2026-12-02T11:00:00+01:00", "2026-12-02T12:00:00+01:00")).toMatchObject({ last_updated: "2026-12-01T17:00:00+01:00", next_update: "2026-12-02T17:00:00+01:00" });
    expect(priceOver("2026-12-02T16:00:00Z", "2026-12-02T17:00:00Z", Date.parse("2026-12-02T16:00:00Z"))).toMatchObject({ last_updated: "2026-12-02T16:00:00Z", next_update: "2026-12-03T16:00:00Z" });
    expect(priceOver("2026-12-02T18:00:00Z", "2026-12-02T19:00:00Z", Date.parse("2026-12-02T17:00:00Z"))).toMatchObject({ last_updated: "2026-12-02T16:00:00Z", next_update: "2026-12-03T16:00:00Z" });
  });

  it("meter batches: a fresh id, every record accepted and none processed, then all processed when asked about", () => {
    const memory = createMockMemory();
    const interval = answerOf("PUT /meters/interval", { body: [{}, {}, {}], memory });
    expect(interval).toStrictEqual({ ...EXAMPLE, id: "bat_mock_1", records_submitted: 3, records_accepted: 3, records_processed: 0, failed_records: [], time_created: "2026-12-02T10:20:00.000Z" });
    const cumulative = answerOf("PUT /meters/cumulative/epoch", { body: { data: [{}, {}] }, memory });
    expect(cumulative).toMatchObject({ id: "bat_mock_2", records_submitted: 2, records_accepted: 2 });
    expect(answerOf("PUT /meters/interval", { body: { not: "a list" }, memory })).toMatchObject({ records_submitted: 0 });
    expect(answerOf("PUT /meters/cumulative/epoch", { body: { data: "no list" }, memory })).toMatchObject({ records_submitted: 0 });
    expect(answerOf("GET /meters/batch", { query: { batch_id: "bat_mock_1" }, memory })).toStrictEqual({ ...EXAMPLE, id: "bat_mock_1", records_submitted: 3, records_accepted: 3, records_processed: 3, failed_records: [] });
    expect(answerOf("GET /meters/batch", { query: { batch_id: "bat_unknown" }, memory })).toMatchObject({ id: "bat_unknown", records_submitted: 0, records_processed: 0 });
  });

  it("amount schedules: one item per device, on the example's item, with the energy and power asked for, charged from the device's start (now unless asked) within its end", () => {
    const body = {
      max_power: { units: "KW", value: 7 },
      data: [
        { device_id: "dev_a", end_time: "2026-12-03T07:00:00Z", energy: { units: "KWH", value: 14 } },
        { device_id: "dev_b", tariff_direction: "EXPORT", start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-03T06:00:00Z", max_power: { units: "W", value: 3500 }, energy: { units: "WH", value: 7000 } },
        { device_id: "dev_c", start_time: "2026-12-02T22:00:00+01:00", end_time: "2026-12-03T06:00:00+01:00", max_power: { units: "KW", value: 11 }, energy: { units: "KWH", value: 100 } },
      ],
    };
    expect(answerOf("POST /schedules/amount/{id}", { path: { id: "loc_1" }, body })).toStrictEqual({
      ...EXAMPLE,
      id: "sae_loc_1",
      location_id: "loc_1",
      max_power: { units: "KW", value: 7 },
      data: [
        { slot: "of the example", device_id: "dev_a", tariff_direction: "IMPORT", start_time: "2026-12-02T10:20:00.000Z", end_time: "2026-12-03T07:00:00Z", energy: { units: "KWH", value: 14 }, schedule: [{ start_time: "2026-12-02T10:20:00Z", end_time: "2026-12-02T12:20:00Z", power: { units: "W", value: 7000 } }] },
        {
          slot: "of the example",
          device_id: "dev_b",
          tariff_direction: "EXPORT",
          start_time: "2026-12-02T22:00:00Z",
          end_time: "2026-12-03T06:00:00Z",
          max_power: { units: "W", value: 3500 },
          energy: { units: "WH", value: 7000 },
          schedule: [{ start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-03T00:00:00Z", power: { units: "W", value: 3500 } }],
        },
        {
          slot: "of the example",
          device_id: "dev_c",
          tariff_direction: "IMPORT",
          start_time: "2026-12-02T22:00:00+01:00",
          end_time: "2026-12-03T06:00:00+01:00",
          max_power: { units: "KW", value: 11 },
          energy: { units: "KWH", value: 100 },
          schedule: [{ start_time: "2026-12-02T22:00:00+01:00", end_time: "2026-12-03T06:00:00+01:00", power: { units: "W", value: 7000 } }],
        },
      ],
    });
    const bare = answerOf("POST /schedules/amount/{id}", { path: { id: "loc_1" }, body: { data: "no list" }, example: { data: "no list" } });
    expect(bare).toStrictEqual({ id: "sae_loc_1", location_id: "loc_1", data: [] });
    const powerless = answerOf("POST /schedules/amount/{id}", { path: { id: "loc_1" }, body: { data: [{ device_id: "dev_a", energy: { units: "WH", value: 0 }, max_power: { units: "W", value: -1 } }] }, example: { data: [{ max_power: { units: "W", value: 1 } }] } });
    expect(powerless.data).toStrictEqual([
      { device_id: "dev_a", tariff_direction: "IMPORT", start_time: "2026-12-02T10:20:00.000Z", end_time: undefined, max_power: { units: "W", value: -1 }, energy: { units: "WH", value: 0 }, schedule: [{ start_time: "2026-12-02T10:20:00Z", end_time: "2026-12-02T10:20:00Z", power: { units: "W", value: 0 } }] },
    ]);
    const device = (fields: Record<string, unknown>) => answerOf("POST /schedules/amount/{id}", { path: { id: "loc_1" }, body: { data: [{ device_id: "dev_a", ...fields }] }, example: { data: "no list" } }).data;
    const fromNow = (fields: Record<string, unknown>, watts: number, end = "2026-12-02T10:20:00Z") => [{ device_id: "dev_a", tariff_direction: "IMPORT", start_time: "2026-12-02T10:20:00.000Z", ...fields, schedule: [{ start_time: "2026-12-02T10:20:00Z", end_time: end, power: { units: "W", value: watts } }] }];
    expect(device({ energy: { units: "KWH", value: 2 } })).toStrictEqual(fromNow({ end_time: undefined, energy: { units: "KWH", value: 2 } }, 0));
    expect(device({ max_power: { units: "KW", value: 7 }, energy: { units: "KWH", value: 0 } })).toStrictEqual(fromNow({ end_time: undefined, max_power: { units: "KW", value: 7 }, energy: { units: "KWH", value: 0 } }, 7000));
    expect(device({ end_time: "2026-12-02T12:00:00Z", max_power: { units: "KW", value: "7" }, energy: { units: "KWH", value: 7 } })).toStrictEqual(fromNow({ end_time: "2026-12-02T12:00:00Z", max_power: { units: "KW", value: "7" }, energy: { units: "KWH", value: 7 } }, 0));
    expect(device({ end_time: "2026-12-02T12:00:00Z", max_power: { units: "KW", value: 2 }, energy: { units: "KWH", value: -1 } })).toStrictEqual(fromNow({ end_time: "2026-12-02T12:00:00Z", max_power: { units: "KW", value: 2 }, energy: { units: "KWH", value: -1 } }, 2000));
    expect(device({ end_time: "2026-12-02T12:00:00Z", max_power: { units: "W", value: 2000 }, energy: { units: "WH", value: 1000 } })).toStrictEqual(fromNow({ end_time: "2026-12-02T12:00:00Z", max_power: { units: "W", value: 2000 }, energy: { units: "WH", value: 1000 } }, 2000, "2026-12-02T10:50:00Z"));
    const unlimited = answerOf("POST /schedules/amount/{id}", { path: { id: "loc_1" }, body: { data: [{ device_id: "dev_a", end_time: "2026-12-02T12:00:00Z", energy: { units: "KWH", value: 1 } }] }, example: { data: [{ slot: "s", max_power: { units: "W", value: 1 } }] } });
    expect(unlimited).toStrictEqual({
      id: "sae_loc_1",
      location_id: "loc_1",
      data: [{ slot: "s", device_id: "dev_a", tariff_direction: "IMPORT", start_time: "2026-12-02T10:20:00.000Z", end_time: "2026-12-02T12:00:00Z", energy: { units: "KWH", value: 1 }, schedule: [{ start_time: "2026-12-02T10:20:00Z", end_time: "2026-12-02T10:20:00Z", power: { units: "W", value: 0 } }] }],
    });
  });

  it("duration and limit schedules: one slot from the window's start, as long as asked (an hour unless said) and no longer than the window", () => {
    for (const operation of ["POST /schedules/duration/{id}", "POST /schedules/limit/{id}"]) {
      const asked = { start_time: "2026-12-02T22:00:00+01:00", end_time: "2026-12-03T07:00:00+01:00", duration: 90, tariff_direction: "EXPORT" };
      expect(answerOf(operation, { path: { id: "loc_1" }, body: asked })).toStrictEqual({
        ...EXAMPLE,
        location_id: "loc_1",
        tariff_direction: "EXPORT",
        request: asked,
        data: [{ slot: "of the example", start_time: "2026-12-02T22:00:00+01:00", end_time: "2026-12-02T23:30:00+01:00" }],
      });
      const fromNow = answerOf(operation, { path: { id: "loc_1" }, body: { end_time: "2026-12-02T12:00:00Z" }, example: {} });
      expect(fromNow).toStrictEqual({ location_id: "loc_1", tariff_direction: "IMPORT", request: { end_time: "2026-12-02T12:00:00Z", start_time: "2026-12-02T10:20:00.000Z" }, data: [{ start_time: "2026-12-02T10:20:00Z", end_time: "2026-12-02T11:20:00Z" }] });
      const short = answerOf(operation, { path: { id: "loc_1" }, body: { start_time: "2026-12-02T22:00:00Z", end_time: "2026-12-02T22:30:00Z", duration: 120 } });
      expect((short.data as Array<Record<string, string>>)[0]?.end_time).toBe("2026-12-02T22:30:00Z");
    }
  });

  it("creates: the example with an id of its own of the example id's prefix, and the texts sent that the example has as text", () => {
    const memory = createMockMemory();
    const example = { id: "cus_example", object: "customer", reference_id: "REF-0", name: "example", metadata: { a: "b" }, live_mode: false };
    const body = { id: "cus_sent", reference_id: "CUS-42", name: 7, metadata: "text", extra: "not in the example", object: "customer" };
    expect(answerOf("POST /customers", { body, example, memory })).toStrictEqual({ ...example, id: "cus_mock_1", reference_id: "CUS-42" });
    expect(answerOf("POST /locations", { body: { name: "Home" }, example: { id: "loc_x_y", name: "example" }, memory })).toStrictEqual({ id: "loc_mock_2", name: "Home" });
    expect(answerOf("POST /devices", { body: {}, example: { name: "example" }, memory })).toStrictEqual({ id: "obj_mock_3", name: "example" });
    expect(answerOf("POST /tariffs", { body: "no object", example: { id: "_lone" }, memory })).toStrictEqual({ id: "_mock_4" });
  });

  it("edits: the example with the id of the path, and the texts sent that the example has as text", () => {
    const example = { id: "loc_example", reference_id: "REF-0", customer_id: "cus_example", timezone: { name: "Europe/London" } };
    const body = { id: "loc_sent", reference_id: "SITE-8", customer_id: 42, timezone: "Europe/Paris", extra: "x" };
    expect(answerOf("PATCH /locations/{id}", { path: { id: "loc_mine" }, body, example })).toStrictEqual({ ...example, id: "loc_mine", reference_id: "SITE-8" });
    expect(answerOf("PATCH /customers/{id}", { path: { id: "cus_mine" }, body: ["reference_id"], example: { id: "cus_example" } })).toStrictEqual({ id: "cus_mine" });
  });

  it("costs: the object and direction asked for, importing unless a direction is named; an instant record echoed with non_persistent", () => {
    for (const operation of ["POST /costs/interval/{id}", "POST /costs/session/{id}"]) {
      expect(answerOf(operation, { path: { id: "dev_1" }, query: { tariff_direction: "EXPORT" } })).toStrictEqual({ ...EXAMPLE, object_id: "dev_1", tariff_direction: "EXPORT" });
      expect(answerOf(operation, { path: { id: "dev_1" }, query: { tariff_direction: 1 } })).toMatchObject({ tariff_direction: "IMPORT" });
    }
    expect(answerOf("POST /costs/instant", { body: { value: 1 }, query: { non_persistent: true } })).toStrictEqual({ ...EXAMPLE, request: { value: 1, non_persistent: true } });
    expect(answerOf("POST /costs/instant", { body: { value: 1 }, query: { non_persistent: "true" } })).toStrictEqual({ ...EXAMPLE, request: { value: 1, non_persistent: false } });
  });

  it("Connect: a fresh token per session, exchanged for the ids it was started with that are text, and nothing else", () => {
    const memory = createMockMemory();
    expect(memory.nextId("bat")).toBe("bat_mock_1");
    const started = { customer_id: "cus_1", customer_reference_id: "CUS-1", location_id: 42, location_reference_id: "LOC-1", connect_url: "https://connect.flatpeak.com" };
    expect(answerOf("POST /connect/token", { body: started, memory })).toStrictEqual({ ...EXAMPLE, connect_token: "cot_mock_2" });
    expect(memory.sessions.get("cot_mock_2")).toStrictEqual(started);
    expect(answerOf("GET /connect/tariff/token", { query: { connect_token: "cot_mock_2" }, memory })).toStrictEqual({ ...EXAMPLE, id: "cot_mock_2", customer_id: "cus_1", customer_reference_id: "CUS-1", location_reference_id: "LOC-1" });
    expect(answerOf("GET /connect/tariff/token", { query: { connect_token: "cot_unknown" }, memory })).toStrictEqual({ ...EXAMPLE, id: "cot_unknown" });
  });
});
