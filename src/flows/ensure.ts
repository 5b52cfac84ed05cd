import type { components } from "../../generated/flatpeak.js";
import type { FlatpeakClient } from "../client/client.js";
import { isFlatpeakError } from "../errors/errors.js";
import { unwrap } from "../helpers/unwrap.js";

type Schemas = components["schemas"];
type Created<T> = Promise<{ data?: T; error?: { status: number; code: string }; response: Response }>;

/**
 * How one kind of object is created and found by `reference_id`.
 */
interface Kind<Body, T> {
  create(body: Body): Created<T>;
  find(referenceId: string): Promise<T | undefined>;
}

/**
 * Returns the customer with this `reference_id`, creating it if there is
 * none: `POST /customers`, and on a 409 `duplicate_reference` (someone else
 * created it first) or a failure that leaves unknown whether the create
 * happened (network error, timeout), `GET /customers?reference_id=…`, taking
 * only a customer that has that `reference_id`. A retried signup therefore
 * never makes a second customer, nor returns another one.
 *
 * @example
 * import { ensureCustomer } from "flatpeak-client";
 * const customer = await ensureCustomer(flatpeak, { reference_id: user.id });
 */
export function ensureCustomer(client: FlatpeakClient, body: Schemas["CustomerCreate"] & { reference_id: string }): Promise<Schemas["Customer"]> {
  return ensure(body.reference_id, body, {
    create: (created) => client.POST("/customers", { body: created }),
    find: async (reference_id) => withReference((await unwrap(client.GET("/customers", { params: { query: { reference_id, limit: 1 } } }))).data, reference_id),
  });
}

/**
 * Returns the location with this `reference_id`, creating it if there is
 * none; see {@link ensureCustomer}.
 *
 * @example
 * import { ensureLocation } from "flatpeak-client";
 * const location = await ensureLocation(flatpeak, { reference_id: "SITE-7", postal_address: { city: "London", country_code: "GB" } });
 */
export function ensureLocation(client: FlatpeakClient, body: Schemas["LocationEdit"] & { reference_id: string }): Promise<Schemas["Location"]> {
  return ensure(body.reference_id, body, {
    create: (created) => client.POST("/locations", { body: created }),
    find: async (reference_id) => withReference((await unwrap(client.GET("/locations", { params: { query: { reference_id, limit: 1 } } }))).data, reference_id),
  });
}

/**
 * Returns the device with this `reference_id`, creating it if there is none;
 * see {@link ensureCustomer}.
 *
 * @example
 * import { ensureDevice } from "flatpeak-client";
 * const charger = await ensureDevice(flatpeak, { reference_id: "EVSE-12", location_id: location.id });
 */
export function ensureDevice(client: FlatpeakClient, body: Schemas["DeviceCreate"] & { reference_id: string }): Promise<Schemas["Device"]> {
  return ensure(body.reference_id, body, {
    create: (created) => client.POST("/devices", { body: created }),
    find: async (reference_id) => withReference((await unwrap(client.GET("/devices", { params: { query: { reference_id, limit: 1 } } }))).data, reference_id),
  });
}

/** The listed object with this `reference_id`: a list that holds others (a lookup that ignored its filter) holds none. */
function withReference<T extends { reference_id?: string | undefined }>(items: readonly T[], referenceId: string): T | undefined {
  return items.find((item) => item.reference_id === referenceId);
}

async function ensure<Body, T>(referenceId: string, body: Body, kind: Kind<Body, T>): Promise<T> {
  if (typeof referenceId !== "string" || referenceId === "") throw new TypeError("ensure: reference_id must be a non-empty string; it is what finds the object again.");
  let outcome: Awaited<Created<T>>;
  try {
    outcome = await kind.create(body);
  } catch (error) {
    if (!isFlatpeakError(error) || (error.kind !== "network" && error.kind !== "timeout")) throw error;
    return (await kind.find(referenceId)) ?? unwrap(kind.create(body));
  }
  if (outcome.error?.status !== 409 || outcome.error.code !== "duplicate_reference") return unwrap(outcome);
  const existing = await kind.find(referenceId);
  if (existing === undefined) return unwrap(outcome);
  return existing;
}
