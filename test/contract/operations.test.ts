/**
 * The chain spec → generated types → openapi-fetch → Prism: every operation of
 * the vendored spec is called with a typed request and answers 2xx with a body
 * of the documented shape; requests Prism must reject are rejected.
 */
import createClient from "openapi-fetch";
import { describe, expect, inject, it } from "vitest";
import type { paths } from "../../generated/flatpeak.js";
import { specOperations } from "../helpers/spec.js";

const baseUrl = inject("mockBaseUrl");
const client = createClient<paths>({ baseUrl, headers: { Authorization: "Bearer test-token" } });

const locationId = "loc_641b90b758fb8e6293716e40";
const window = { start_time: "2024-05-19T23:00:00Z", end_time: "2024-05-20T06:00:00Z" };
const meterRecord = {
  location_id: locationId,
  units: "WH",
  value: 1200,
  start_time: "2024-05-20T00:00:00Z",
  end_time: "2024-05-20T00:30:00Z",
} as const;

/** One typed call per operation, keyed like `specOperations()`; each returns the field the 2xx body must carry. */
const calls: Record<string, () => Promise<{ status: number; id: unknown }>> = {
  "GET /login": async () => {
    const { data, response } = await client.GET("/login", { headers: { Authorization: `Basic ${btoa("acc_1:key_1")}` } });
    return { status: response.status, id: data?.bearer_token };
  },
  "POST /connect/token": async () => {
    const { data, response } = await client.POST("/connect/token", {
      body: { connect_url: "myapp://connect", callback_url: "myapp://done", tariff_direction: "IMPORT" },
    });
    return { status: response.status, id: data?.connect_token };
  },
  "GET /connect/tariff/token": async () => {
    const { data, response } = await client.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_1" } } });
    return { status: response.status, id: data?.location_id };
  },
  "GET /customers": async () => {
    const { data, response } = await client.GET("/customers", { params: { query: { limit: 10 } } });
    return { status: response.status, id: data?.data[0]?.id };
  },
  "POST /customers": async () => {
    const { data, response } = await client.POST("/customers", { body: { reference_id: "CUS1" } });
    return { status: response.status, id: data?.id };
  },
  "GET /customers/{id}": async () => {
    const { data, response } = await client.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    return { status: response.status, id: data?.id };
  },
  "PATCH /customers/{id}": async () => {
    const { data, response } = await client.PATCH("/customers/{id}", {
      params: { path: { id: "cus_1" } },
      body: { reference_id: "CUS2" },
    });
    return { status: response.status, id: data?.id };
  },
  "DELETE /customers/{id}": async () => {
    const { data, response } = await client.DELETE("/customers/{id}", { params: { path: { id: "cus_1" } } });
    return { status: response.status, id: data?.message };
  },
  "GET /devices": async () => {
    const { data, response } = await client.GET("/devices", { params: { query: { reference_id: "DEV1" } } });
    return { status: response.status, id: data?.data[0]?.id };
  },
  "POST /devices": async () => {
    const { data, response } = await client.POST("/devices", {
      body: { reference_id: "DEV1", location_id: locationId, pv_system: { rated_power_kw: 4, tilt: 30 } },
    });
    return { status: response.status, id: data?.id };
  },
  "GET /devices/{id}": async () => {
    const { data, response } = await client.GET("/devices/{id}", { params: { path: { id: "dev_1" } } });
    return { status: response.status, id: data?.id };
  },
  "PATCH /devices/{id}": async () => {
    const { data, response } = await client.PATCH("/devices/{id}", {
      params: { path: { id: "dev_1" } },
      body: { reference_id: "DEV2" },
    });
    return { status: response.status, id: data?.id };
  },
  "DELETE /devices/{id}": async () => {
    const { data, response } = await client.DELETE("/devices/{id}", { params: { path: { id: "dev_1" } } });
    return { status: response.status, id: data?.message };
  },
  "GET /events": async () => {
    const { data, response } = await client.GET("/events", { params: { query: { event_type: "location.create" } } });
    return { status: response.status, id: data?.data[0]?.id };
  },
  "GET /events/{id}": async () => {
    const { data, response } = await client.GET("/events/{id}", { params: { path: { id: "evt_1" } } });
    return { status: response.status, id: data?.id };
  },
  "GET /locations": async () => {
    const { data, response } = await client.GET("/locations", { params: { query: { customer_id: "cus_1" } } });
    return { status: response.status, id: data?.data[0]?.id };
  },
  "POST /locations": async () => {
    const { data, response } = await client.POST("/locations", {
      body: { reference_id: "LOC1", postal_address: { post_code: "WC2N 5EH", country_code: "GB" } },
    });
    return { status: response.status, id: data?.id };
  },
  "GET /locations/{id}": async () => {
    const { data, response } = await client.GET("/locations/{id}", { params: { path: { id: locationId } } });
    return { status: response.status, id: data?.id };
  },
  "PATCH /locations/{id}": async () => {
    const { data, response } = await client.PATCH("/locations/{id}", {
      params: { path: { id: locationId } },
      body: { geo_location: { lat: 51.5, lng: -0.12 } },
    });
    return { status: response.status, id: data?.id };
  },
  "DELETE /locations/{id}": async () => {
    const { data, response } = await client.DELETE("/locations/{id}", { params: { path: { id: locationId } } });
    return { status: response.status, id: data?.message };
  },
  "GET /locations/{id}/status": async () => {
    const { data, response } = await client.GET("/locations/{id}/status", { params: { path: { id: locationId } } });
    return { status: response.status, id: data?.id };
  },
  "PUT /meters/interval": async () => {
    const { data, response } = await client.PUT("/meters/interval", { body: [meterRecord] });
    return { status: response.status, id: data?.id };
  },
  "PUT /meters/cumulative/epoch": async () => {
    const { data, response } = await client.PUT("/meters/cumulative/epoch", {
      body: { location_id: locationId, units: "KWH", data: [{ time: 1721991392, value: 1553 }] },
    });
    return { status: response.status, id: data?.id };
  },
  "GET /meters/batch": async () => {
    const { data, response } = await client.GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    return { status: response.status, id: data?.id };
  },
  "POST /costs/instant": async () => {
    const { data, response } = await client.POST("/costs/instant", {
      params: { query: { non_persistent: true } },
      body: { ...meterRecord, energy_flow_direction: "INBOUND" },
    });
    return { status: response.status, id: data?.id };
  },
  "POST /costs/interval/{id}": async () => {
    const { data, response } = await client.POST("/costs/interval/{id}", {
      params: { path: { id: locationId }, query: { aggregation: "DAY", tariff_direction: "EXPORT" } },
      body: window,
    });
    return { status: response.status, id: data?.id };
  },
  "POST /costs/session/{id}": async () => {
    const { data, response } = await client.POST("/costs/session/{id}", { params: { path: { id: "SESSION1" } } });
    return { status: response.status, id: data?.id };
  },
  "GET /tariffs": async () => {
    const { data, response } = await client.GET("/tariffs", { params: { query: { location_id: locationId, type: "COMMODITY" } } });
    return { status: response.status, id: data?.data[0]?.id };
  },
  "POST /tariffs": async () => {
    const { data, response } = await client.POST("/tariffs", {
      body: {
        location_id: locationId,
        direction: "IMPORT",
        type: "COMMODITY",
        contract_start_date: "2024-01-01T00:00:00Z",
        contract_end_date: "2025-01-01T00:00:00Z",
        schedule: [{ months: ["All"], days_and_hours: [{ days: ["All"], hours: [{ valid_from: "00:00:00", valid_to: "00:00:00", rate: [{ fixed: 0.25 }] }] }] }],
      },
    });
    return { status: response.status, id: data?.id };
  },
  "GET /tariffs/{id}": async () => {
    const { data, response } = await client.GET("/tariffs/{id}", { params: { path: { id: "trf_1" } } });
    return { status: response.status, id: data?.id };
  },
  "PATCH /tariffs/{id}": async () => {
    const { data, response } = await client.PATCH("/tariffs/{id}", {
      params: { path: { id: "trf_1" } },
      body: { display_name: "Night saver" },
    });
    return { status: response.status, id: data?.id };
  },
  "DELETE /tariffs/{id}": async () => {
    const { data, response } = await client.DELETE("/tariffs/{id}", { params: { path: { id: "trf_1" } } });
    return { status: response.status, id: data?.message };
  },
  "POST /prices/{id}": async () => {
    const { data, response } = await client.POST("/prices/{id}", { params: { path: { id: locationId } }, body: window });
    return { status: response.status, id: data?.data[0]?.price.value };
  },
  "POST /audits/prices/{id}": async () => {
    const { data, response } = await client.POST("/audits/prices/{id}", {
      params: { path: { id: locationId } },
      body: { end_time: window.end_time, tariff_direction: "LOCAL" },
    });
    return { status: response.status, id: data?.data[0]?.price_breakdown.total };
  },
  "POST /schedules/duration/{id}": async () => {
    const { data, response } = await client.POST("/schedules/duration/{id}", {
      params: { path: { id: locationId } },
      body: { ...window, segment: "LOW", duration: 120 },
    });
    return { status: response.status, id: data?.id };
  },
  "POST /schedules/limit/{id}": async () => {
    const { data, response } = await client.POST("/schedules/limit/{id}", {
      params: { path: { id: locationId } },
      body: { ...window, segment: "HIGH", relative: 0.5 },
    });
    return { status: response.status, id: data?.id };
  },
  "POST /schedules/amount/{id}": async () => {
    const { data, response } = await client.POST("/schedules/amount/{id}", {
      params: { path: { id: locationId } },
      body: {
        max_power: { units: "KW", value: 14 },
        data: [{ device_id: "dev_1", end_time: window.end_time, energy: { units: "KWH", value: 37.2 } }],
      },
    });
    return { status: response.status, id: data?.id };
  },
};

describe("every operation of the spec", () => {
  it("has a typed call in this file", () => {
    expect(Object.keys(calls).sort()).toEqual(specOperations().sort());
  });

  it.each(Object.keys(calls))("%s answers 2xx with a documented body", async (operation) => {
    const { status, id } = await calls[operation]!();
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(300);
    expect(id).toBeDefined();
  });
});

describe("requests the mock must reject", () => {
  it("rejects a bearer operation called without credentials", async () => {
    const anonymous = createClient<paths>({ baseUrl });
    const { data, error, response } = await anonymous.GET("/customers");
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toBeDefined();
  });

  it("rejects GET /login without HTTP Basic credentials", async () => {
    const { response } = await client.GET("/login");
    expect(response.status).toBe(401);
  });

  it("rejects a body of the wrong type", async () => {
    const { error, response } = await client.PATCH("/customers/{id}", {
      params: { path: { id: "cus_1" } },
      // @ts-expect-error reference_id is a string in the spec
      body: { reference_id: 42 },
    });
    expect(response.status).toBe(422);
    expect(JSON.stringify(error)).toContain("reference_id");
  });

  it("rejects a query value outside its documented range", async () => {
    const { response } = await client.GET("/customers", { params: { query: { limit: 1000 } } });
    expect(response.status).toBe(422);
  });

  it("answers a documented error status with its documented body", async () => {
    const { error, response } = await client.PATCH("/customers/{id}", {
      params: { path: { id: "cus_1" } },
      body: { reference_id: "CUS1" },
      headers: { Prefer: "code=409" },
    });
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ object: "error", type: "conflict", code: "duplicate_reference" });
  });
});
