/**
 * One typed call of every operation of the spec, through the client. Shared by
 * the contract suite (documented statuses against the static mock) and the
 * fuzz suite (random responses from the dynamic mock).
 */
import type { FlatpeakClient, FlatpeakErrorBody } from "../../src/index.js";

/** What every call resolves with, whatever the operation. */
export interface CallResult {
  data?: unknown;
  error?: FlatpeakErrorBody;
  response: Response;
}

/** A call of one operation with extra headers (e.g. Prism's `Prefer`). */
export type OperationCall = (headers: Record<string, string>) => Promise<CallResult>;

const locationId = "loc_641b90b758fb8e6293716e40";
const window = { start_time: "2024-05-19T23:00:00Z", end_time: "2024-05-20T06:00:00Z" };
const meterRecord = {
  location_id: locationId,
  units: "WH",
  value: 1200,
  start_time: "2024-05-20T00:00:00Z",
  end_time: "2024-05-20T00:30:00Z",
} as const;

/**
 * Typed calls keyed like `specOperations()`, e.g. `"PATCH /customers/{id}"`.
 * Every request is valid for the spec, so the mock must never flag one.
 */
export function operationCalls(client: FlatpeakClient): Record<string, OperationCall> {
  return {
    "GET /login": (headers) => client.GET("/login", { headers: { Authorization: `Basic ${btoa("acc_1:key_1")}`, ...headers } }),
    "POST /connect/token": (headers) => client.POST("/connect/token", { body: { connect_url: "myapp://connect", callback_url: "myapp://done", tariff_direction: "IMPORT" }, headers }),
    "GET /connect/tariff/token": (headers) => client.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_1" } }, headers }),
    "GET /customers": (headers) => client.GET("/customers", { params: { query: { limit: 10 } }, headers }),
    "POST /customers": (headers) => client.POST("/customers", { body: { reference_id: "CUS1" }, headers }),
    "GET /customers/{id}": (headers) => client.GET("/customers/{id}", { params: { path: { id: "cus_1" } }, headers }),
    "PATCH /customers/{id}": (headers) => client.PATCH("/customers/{id}", { params: { path: { id: "cus_1" } },
      body: { reference_id: "CUS2" }, headers }),
    "DELETE /customers/{id}": (headers) => client.DELETE("/customers/{id}", { params: { path: { id: "cus_1" } }, headers }),
    "GET /devices": (headers) => client.GET("/devices", { params: { query: { reference_id: "DEV1" } }, headers }),
    "POST /devices": (headers) => client.POST("/devices", { body: { reference_id: "DEV1", location_id: locationId, pv_system: { rated_power_kw: 4, tilt: 30 } }, headers }),
    "GET /devices/{id}": (headers) => client.GET("/devices/{id}", { params: { path: { id: "dev_1" } }, headers }),
    "PATCH /devices/{id}": (headers) => client.PATCH("/devices/{id}", { params: { path: { id: "dev_1" } },
      body: { reference_id: "DEV2" }, headers }),
    "DELETE /devices/{id}": (headers) => client.DELETE("/devices/{id}", { params: { path: { id: "dev_1" } }, headers }),
    "GET /events": (headers) => client.GET("/events", { params: { query: { event_type: "location.create" } }, headers }),
    "GET /events/{id}": (headers) => client.GET("/events/{id}", { params: { path: { id: "evt_1" } }, headers }),
    "GET /locations": (headers) => client.GET("/locations", { params: { query: { customer_id: "cus_1" } }, headers }),
    "POST /locations": (headers) => client.POST("/locations", { body: { reference_id: "LOC1", postal_address: { post_code: "WC2N 5EH", country_code: "GB" } }, headers }),
    "GET /locations/{id}": (headers) => client.GET("/locations/{id}", { params: { path: { id: locationId } }, headers }),
    "PATCH /locations/{id}": (headers) => client.PATCH("/locations/{id}", { params: { path: { id: locationId } },
      body: { geo_location: { lat: 51.5, lng: -0.12 } }, headers }),
    "DELETE /locations/{id}": (headers) => client.DELETE("/locations/{id}", { params: { path: { id: locationId } }, headers }),
    "GET /locations/{id}/status": (headers) => client.GET("/locations/{id}/status", { params: { path: { id: locationId } }, headers }),
    "PUT /meters/interval": (headers) => client.PUT("/meters/interval", { body: [meterRecord], headers }),
    "PUT /meters/cumulative/epoch": (headers) => client.PUT("/meters/cumulative/epoch", { body: { location_id: locationId, units: "KWH", data: [{ time: 1721991392, value: 1553 }] }, headers }),
    "GET /meters/batch": (headers) => client.GET("/meters/batch", { params: { query: { batch_id: "bat_1" } }, headers }),
    "POST /costs/instant": (headers) => client.POST("/costs/instant", { params: { query: { non_persistent: true } },
      body: { ...meterRecord, energy_flow_direction: "INBOUND" }, headers }),
    "POST /costs/interval/{id}": (headers) => client.POST("/costs/interval/{id}", { params: { path: { id: locationId }, query: { aggregation: "DAY", tariff_direction: "EXPORT" } },
      body: window, headers }),
    "POST /costs/session/{id}": (headers) => client.POST("/costs/session/{id}", { params: { path: { id: "SESSION1" } }, headers }),
    "GET /tariffs": (headers) => client.GET("/tariffs", { params: { query: { location_id: locationId, type: "COMMODITY" } }, headers }),
    "POST /tariffs": (headers) => client.POST("/tariffs", { body: {
        location_id: locationId,
        direction: "IMPORT",
        type: "COMMODITY",
        contract_start_date: "2024-01-01T00:00:00Z",
        contract_end_date: "2025-01-01T00:00:00Z",
        schedule: [{ months: ["All"], days_and_hours: [{ days: ["All"], hours: [{ valid_from: "00:00:00", valid_to: "00:00:00", rate: [{ fixed: 0.25 }] }] }] }],
      }, headers }),
    "GET /tariffs/{id}": (headers) => client.GET("/tariffs/{id}", { params: { path: { id: "trf_1" } }, headers }),
    "PATCH /tariffs/{id}": (headers) => client.PATCH("/tariffs/{id}", { params: { path: { id: "trf_1" } },
      body: { display_name: "Night saver" }, headers }),
    "DELETE /tariffs/{id}": (headers) => client.DELETE("/tariffs/{id}", { params: { path: { id: "trf_1" } }, headers }),
    "POST /prices/{id}": (headers) => client.POST("/prices/{id}", { params: { path: { id: locationId } }, body: window, headers }),
    "POST /audits/prices/{id}": (headers) => client.POST("/audits/prices/{id}", { params: { path: { id: locationId } },
      body: { end_time: window.end_time, tariff_direction: "LOCAL" }, headers }),
    "POST /schedules/duration/{id}": (headers) => client.POST("/schedules/duration/{id}", { params: { path: { id: locationId } },
      body: { ...window, segment: "LOW", duration: 120 }, headers }),
    "POST /schedules/limit/{id}": (headers) => client.POST("/schedules/limit/{id}", { params: { path: { id: locationId } },
      body: { ...window, segment: "HIGH", relative: 0.5 }, headers }),
    "POST /schedules/amount/{id}": (headers) => client.POST("/schedules/amount/{id}", { params: { path: { id: locationId } },
      body: {
        max_power: { units: "KW", value: 14 },
        data: [{ device_id: "dev_1", end_time: window.end_time, energy: { units: "KWH", value: 37.2 } }],
      }, headers }),
    "GET /jwks.json": (headers) => client.GET("/jwks.json", { headers }),
  };
}
