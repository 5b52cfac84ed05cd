/**
 * The test kit's events: every documented type, valid for the spec, shaped
 * like the docs' examples, linked to one another, with fresh ids; and the
 * headers of a signed delivery.
 */
import { describe, expect, it } from "vitest";
import { createTestEvent, createTestWebhookSigner, TEST_EVENT_TYPES } from "../../src/testing/index.js";
import { schemaViolations } from "../helpers/spec.js";

describe("the test kit's events", () => {
  it.each([...TEST_EVENT_TYPES])("%s validates against the spec's WebhookEvent", (type) => {
    expect(schemaViolations("WebhookEvent", createTestEvent(type))).toEqual([]);
  });

  /** Every string in `value`, with its path. */
  function strings(value: unknown, path = "data"): Array<[string, string]> {
    if (typeof value === "string") return [[path, value]];
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([key, inner]) => strings(inner, `${path}.${key}`));
  }

  const PREFIXES: Record<string, string> = { id: "", account_id: "acc_", location_id: "loc_", customer_id: "cus_", tariff_id: "trf_" };

  it.each([...TEST_EVENT_TYPES])("%s carries no empty text, ids with their prefixes and a consistent test-mode object", (type) => {
    const event = createTestEvent(type);
    for (const [path, text] of strings(event.data)) expect(text, path).not.toBe("");
    for (const [key, prefix] of Object.entries(PREFIXES)) {
      const value = (event.data as Record<string, unknown>)[key];
      if (value !== undefined) expect(String(value), key).toMatch(new RegExp(`^${prefix}[0-9a-z_]*[0-9a-f]{24}$`));
    }
    expect((event.data as { live_mode?: boolean }).live_mode).toBe(false);
    const locations = (event.data as { locations?: string[] }).locations;
    if (locations) expect(locations).toEqual([createTestEvent("location.create").data.id]);
  });

  it("links the customer, location and tariff events to one another as Flatpeak does", () => {
    const [customer, location, tariff, session] = [createTestEvent("customer.create").data, createTestEvent("location.create").data, createTestEvent("tariff.expired").data, createTestEvent("connect_session.complete").data];
    expect([location.customer_id, tariff.location_id, session.location_id, session.customer_id]).toEqual([customer.id, location.id, location.id, customer.id]);
    expect(location.postal_address).toMatchObject({ city: "London", country_code: "GB" });
  });

  it.each([
    ["tariff.expired", "webhook.tariff-expired.json"],
    ["tariff.expiring", "webhook.tariff-expiring.json"],
    ["device.create", "webhook.device-create.json"],
  ] as const)("%s has the fields of the docs' example", async (type, fixture) => {
    const { example } = (await import(`../fixtures/docs/${fixture}`, { with: { type: "json" } })).default as { example: { data: Record<string, unknown> } };
    const expected = Object.keys(example.data).filter((key) => key !== "last_seen").sort();
    expect(Object.keys(createTestEvent(type).data).sort()).toEqual(expected);
  });

  it("signs with the headers of a Flatpeak delivery", async () => {
    const signer = await createTestWebhookSigner();
    const headers = await signer.sign("{}", { timestamp: 1_767_225_600, kid: "wsk_other" });
    expect({ ...headers, "Flatpeak-Signature": "…" }).toEqual({
      "Flatpeak-Signature": "…",
      "Flatpeak-Signature-Scheme": "v1",
      "Flatpeak-Timestamp": "1767225600",
      "Flatpeak-Key-ID": "wsk_other",
      "Flatpeak-Version": "2025-09-14.anode",
      "Content-Type": "application/json",
    });
  });

  it("gives every event a fresh id in Flatpeak's form, and the overrides asked for", () => {
    const [first, second] = [createTestEvent("tariff.expired"), createTestEvent("tariff.expired")];
    for (const event of [first, second]) expect(event.id).toMatch(new RegExp(`^evt_test_[0-9a-f]{${Date.now().toString(16).length}}[0-9a-f]{6}$`));
    expect(first.id).not.toBe(second.id);
    expect(parseInt(second.id.slice(-6), 16) - parseInt(first.id.slice(-6), 16)).toBe(1);
    expect(first.time_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(createTestEvent("tariff.expired", { id: "evt_fixed" }).id).toBe("evt_fixed");
  });
});
