/**
 * The POSTs that only compute an answer are retried like GETs, decided by
 * the spec's `x-flatpeak-retry-safe`; `retry` per call overrides the decision.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { RETRY_SAFE_OPERATIONS } from "../../generated/retry-safe.js";
import { createFlatpeakClient } from "../../src/index.js";
import { recordedEvents } from "../helpers/events.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";
import { specOperations } from "../helpers/spec.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that answers 503 (Retry-After 0) to the first request of each path, then 200 with `{}`. */
async function flakyServer() {
  const seen = new Set<string>();
  server = await startLocalServer((request, response) => {
    const path = request.url.split("?")[0] ?? "";
    if (!seen.has(path)) {
      seen.add(path);
      return json(response, 503, { object: "error", type: "api_error", code: "unavailable", message: "try again" }, { "retry-after": "0" });
    }
    json(response, 200, {});
  });
  const { plugin, retries } = recordedEvents();
  const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [plugin] });
  return { flatpeak, retries, sent: () => server?.requests.map((request) => `${request.method} ${request.url}`) ?? [] };
}

const window = { start_time: "2026-12-02T00:00:00Z", end_time: "2026-12-03T00:00:00Z" };
const record = { location_id: "loc_1", units: "WH", value: 5, start_time: "2026-12-02T00:00:00Z", end_time: "2026-12-02T00:30:00Z" } as const;

describe("read-only POSTs", () => {
  it("retries POST /prices/{id} after a 503, and announces the retry", async () => {
    const { flatpeak, retries, sent } = await flakyServer();
    const { response } = await flatpeak.POST("/prices/{id}", { params: { path: { id: "loc_1" } }, body: { ...window, tariff_direction: "IMPORT" } });
    expect(response.status).toBe(200);
    expect(sent()).toEqual(["POST /prices/loc_1", "POST /prices/loc_1"]);
    expect(retries()).toEqual([expect.objectContaining({ operation: "POST /prices/{id}", attempt: 1, retryInMs: 0, status: 503, code: "unavailable" })]);
  });

  it.each<[string, (flatpeak: ReturnType<typeof createFlatpeakClient>) => Promise<{ response: Response }>]>([
    ["POST /audits/prices/{id}", (flatpeak) => flatpeak.POST("/audits/prices/{id}", { params: { path: { id: "loc_1" } }, body: window })],
    ["POST /schedules/duration/{id}", (flatpeak) => flatpeak.POST("/schedules/duration/{id}", { params: { path: { id: "loc_1" } }, body: { ...window, segment: "LOW", duration: 60 } })],
    ["POST /schedules/limit/{id}", (flatpeak) => flatpeak.POST("/schedules/limit/{id}", { params: { path: { id: "loc_1" } }, body: { ...window, segment: "LOW", relative: 0.1 } })],
    ["POST /costs/interval/{id}", (flatpeak) => flatpeak.POST("/costs/interval/{id}", { params: { path: { id: "loc_1" } }, body: window })],
    ["POST /costs/session/{id}", (flatpeak) => flatpeak.POST("/costs/session/{id}", { params: { path: { id: "SESSION1" } } })],
    ["POST /costs/instant?non_persistent=true", (flatpeak) => flatpeak.POST("/costs/instant", { params: { query: { non_persistent: true } }, body: record })],
  ])("retries %s", async (_operation, call) => {
    const { flatpeak, sent } = await flakyServer();
    expect((await call(flatpeak)).response.status).toBe(200);
    expect(sent()).toHaveLength(2);
  });

  it.each<[string, (flatpeak: ReturnType<typeof createFlatpeakClient>) => Promise<{ response: Response }>]>([
    ["POST /schedules/amount/{id}, which creates a schedule", (flatpeak) => flatpeak.POST("/schedules/amount/{id}", { params: { path: { id: "loc_1" } }, body: { max_power: { units: "KW", value: 7 }, data: [] } as never })],
    ["POST /costs/instant, which stores the record", (flatpeak) => flatpeak.POST("/costs/instant", { body: record })],
    ["POST /costs/instant?non_persistent=false", (flatpeak) => flatpeak.POST("/costs/instant", { params: { query: { non_persistent: false } }, body: record })],
    ["POST /customers, which creates a customer", (flatpeak) => flatpeak.POST("/customers", { body: { reference_id: "C1" } })],
    ["PATCH /customers/{id}", (flatpeak) => flatpeak.PATCH("/customers/{id}", { params: { path: { id: "cus_1" } }, body: { reference_id: "C1" } })],
  ])("does not retry %s", async (_operation, call) => {
    const { flatpeak, sent } = await flakyServer();
    expect((await call(flatpeak)).response.status).toBe(503);
    expect(sent()).toHaveLength(1);
  });
});

describe("retry per call", () => {
  it("retry: true retries a POST the spec does not mark", async () => {
    const { flatpeak, sent } = await flakyServer();
    const { response } = await flatpeak.POST("/customers", { body: { reference_id: "C1" }, retry: true });
    expect([response.status, sent().length]).toEqual([200, 2]);
  });

  it("retry: false never retries, a GET or a read-only POST alike", async () => {
    const { flatpeak, sent } = await flakyServer();
    expect((await flatpeak.GET("/customers", { retry: false })).response.status).toBe(503);
    expect((await flatpeak.POST("/prices/{id}", { params: { path: { id: "loc_1" } }, body: window, retry: false })).response.status).toBe(503);
    expect(sent()).toEqual(["GET /customers", "POST /prices/loc_1"]);
  });

  it("refuses a retry that is not a boolean, before sending", async () => {
    const { flatpeak, sent } = await flakyServer();
    await expect(flatpeak.GET("/customers", { retry: "yes" as never })).rejects.toThrow(new TypeError("GET /customers: retry must be true or false."));
    expect(sent()).toEqual([]);
  });
});

describe("the retry-safe set", () => {
  const spec = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8")) as { paths: Record<string, Record<string, Record<string, unknown>>> };
  const marked = specOperations().filter((operation) => {
    const [method = "", path = ""] = operation.split(" ");
    return spec.paths[path]?.[method.toLowerCase()]?.["x-flatpeak-retry-safe"] !== undefined;
  });

  it("is exactly what the spec marks, POSTs only", () => {
    expect(Object.keys(RETRY_SAFE_OPERATIONS).sort()).toEqual(marked.sort());
    expect(marked.every((operation) => operation.startsWith("POST "))).toBe(true);
  });

  it("is listed in the README, with each decision, as openapi/CHANGES.md records it", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const changes = readFileSync(new URL("../../openapi/CHANGES.md", import.meta.url), "utf8");
    for (const operation of marked) {
      expect(readme, operation).toContain(`\`${operation}\``);
      expect(changes, operation).toMatch(new RegExp(`\\| \`${operation.replace(/[{}/]/g, "\\$&")}\` \\| (yes|only with)`));
    }
    expect(changes).toMatch(/\| `POST \/schedules\/amount\/\{id\}` \| no \|/);
  });
});
