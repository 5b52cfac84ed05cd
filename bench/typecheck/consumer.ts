// A consumer making 20 typed calls; its type-check time is compared with baseline.ts.
import { createFlatpeakClient } from "flatpeak-client";

const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key" });
const locationId = "loc_641b90b758fb8e6293716e40";
const window = { start_time: "2025-01-01T00:00:00Z", end_time: "2025-01-02T00:00:00Z" };

export async function twentyCalls(): Promise<unknown[]> {
  return [
    await flatpeak.GET("/customers", { params: { query: { limit: 10 } } }),
    await flatpeak.POST("/customers", { body: { reference_id: "C" } }),
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }),
    await flatpeak.PATCH("/customers/{id}", { params: { path: { id: "cus_1" } }, body: { reference_id: "C2" } }),
    await flatpeak.DELETE("/customers/{id}", { params: { path: { id: "cus_1" } } }),
    await flatpeak.GET("/devices", { params: { query: { reference_id: "D" } } }),
    await flatpeak.POST("/devices", { body: { reference_id: "D" } }),
    await flatpeak.GET("/events", { params: { query: { event_type: "location.create" } } }),
    await flatpeak.GET("/locations", { params: { query: { customer_id: "cus_1" } } }),
    await flatpeak.POST("/locations", { body: { reference_id: "L" } }),
    await flatpeak.GET("/locations/{id}", { params: { path: { id: locationId } } }),
    await flatpeak.GET("/locations/{id}/status", { params: { path: { id: locationId } } }),
    await flatpeak.PUT("/meters/interval", { body: [{ location_id: locationId, units: "WH", value: 1, ...window }] }),
    await flatpeak.GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } }),
    await flatpeak.POST("/costs/instant", { body: { location_id: locationId, units: "WH", value: 1, ...window } }),
    await flatpeak.POST("/costs/interval/{id}", { params: { path: { id: locationId } }, body: window }),
    await flatpeak.POST("/prices/{id}", { params: { path: { id: locationId } }, body: window }),
    await flatpeak.POST("/schedules/duration/{id}", { params: { path: { id: locationId } }, body: { ...window, segment: "LOW", duration: 60 } }),
    await flatpeak.POST("/connect/token", { body: { connect_url: "app://c", callback_url: "app://d" } }),
    await flatpeak.GET("/tariffs/{id}", { params: { path: { id: "trf_1" } } }),
  ];
}
