import type { components } from "../../generated/flatpeak.js";
import type { FlatpeakEventOf, FlatpeakEventType } from "../webhooks/events.js";

type Schemas = components["schemas"];

const ACCOUNT_ID = "acc_661677911f2197045e6cf1b1";
const LOCATION_ID = "loc_641b90b758fb8e6293716e40";
const TIME = "2024-02-01T11:25:39Z";

const customer: Schemas["Customer"] = { id: "cus_65e421d1daa4a24082b4f590", object: "customer", live_mode: false, reference_id: "CUS1234567890", locations: [LOCATION_ID], time_created: TIME, account_id: ACCOUNT_ID };
const location: Schemas["Location"] = {
  id: LOCATION_ID,
  object: "location",
  live_mode: false,
  reference_id: "LOC1234567890",
  customer_id: customer.id,
  timezone: "Europe/London",
  currency_code: "GBP",
  postal_address: { address_line1: "1-3", address_line2: "Strand", city: "London", post_code: "WC2N 5EH", country_code: "GB" },
  time_created: TIME,
  account_id: ACCOUNT_ID,
};
const device: Schemas["Device"] = { id: "dev_63a6087272941ef077a8fd3e", object: "device", live_mode: false, reference_id: "DEV1234567890", time_created: TIME, account_id: ACCOUNT_ID };
const tariff: Schemas["EventMetadata"] = { live_mode: false, location_id: LOCATION_ID, tariff_id: "trf_6597ef46529ab4467502af0b", account_id: ACCOUNT_ID };

/** Every documented event type with the `data` it carries. */
const DATA: { [T in FlatpeakEventType]: Record<string, unknown> } = {
  "connect_session.complete": { location_id: LOCATION_ID, customer_id: customer.id, live_mode: false, account_id: ACCOUNT_ID },
  "customer.create": customer,
  "customer.update": customer,
  "customer.delete": customer,
  "location.create": location,
  "location.update": location,
  "location.delete": location,
  "device.create": device,
  "device.update": device,
  "device.delete": device,
  "customer.create.failed": { reference_id: customer.reference_id, live_mode: false, account_id: ACCOUNT_ID },
  "customer.update.failed": { id: customer.id, live_mode: false, account_id: ACCOUNT_ID },
  "customer.delete.failed": { id: customer.id, live_mode: false, account_id: ACCOUNT_ID },
  "location.create.failed": { reference_id: location.reference_id, live_mode: false, account_id: ACCOUNT_ID },
  "location.update.failed": { id: LOCATION_ID, live_mode: false, account_id: ACCOUNT_ID },
  "location.delete.failed": { id: LOCATION_ID, live_mode: false, account_id: ACCOUNT_ID },
  "device.create.failed": { reference_id: device.reference_id, live_mode: false, account_id: ACCOUNT_ID },
  "device.update.failed": { id: device.id, live_mode: false, account_id: ACCOUNT_ID },
  "device.delete.failed": { id: device.id, live_mode: false, account_id: ACCOUNT_ID },
  "tariff.expiring": tariff,
  "tariff.expired": tariff,
  "tariff.fetch.failed": tariff,
  "tariff.connection.upgrade": tariff,
  "schedule.created": { id: "sae_65ea3fb185c1541f247c251e", location_id: LOCATION_ID, live_mode: false, account_id: ACCOUNT_ID },
};

/**
 * Every event type the spec documents.
 *
 * @example
 * for (const type of TEST_EVENT_TYPES) await deliver(createTestEvent(type));
 */
export const TEST_EVENT_TYPES: readonly FlatpeakEventType[] = Object.keys(DATA) as FlatpeakEventType[];

let sequence = 0;

/**
 * An event of a documented type as Flatpeak delivers it, in test mode
 * (`live_mode: false`), with a fresh id; `overrides` replace top-level fields.
 *
 * @example
 * import { createTestEvent } from "flatpeak-client/testing";
 * const event = createTestEvent("tariff.expired", { id: "evt_fixed" });
 */
export function createTestEvent<T extends FlatpeakEventType>(type: T, overrides: Partial<FlatpeakEventOf<T>> = {}): FlatpeakEventOf<T> {
  sequence += 1;
  const id = `evt_test_${Date.now().toString(16)}${sequence.toString(16).padStart(6, "0")}`;
  return { id, object: "event", type, data: structuredClone(DATA[type]), time_created: new Date().toISOString().replace(/\.\d+Z$/, "Z"), ...overrides } as FlatpeakEventOf<T>;
}
