// Type-checked as an ES module consumer (node16 and bundler resolution).
import { createFlatpeakClient, isFlatpeakError, paginate, type FlatpeakErrorBody, type components } from "flatpeak-client";

type Customer = components["schemas"]["Customer"];
const flatpeak = createFlatpeakClient({ token: "t" });

const { data, error } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
if (error?.status === 404) {
  const code: "not_found" = error.code;
  console.log(code);
}
const customer: Customer | undefined = data;
const narrowed: FlatpeakErrorBody<409>["code"] = "duplicate_reference";
for await (const location of paginate(flatpeak, "/locations")) console.log(location.id);
// @ts-expect-error no such path
void flatpeak.GET("/customer");
// @ts-expect-error paginate takes list paths only
void paginate(flatpeak, "/customers/{id}");
console.log(customer, narrowed, isFlatpeakError(null));

// The subpath entries resolve with their types.
import { createEventRouter, createWebhookVerifier, type FlatpeakEvent } from "flatpeak-client/webhooks";
import { createTestEvent } from "flatpeak-client/testing";

const router = createEventRouter().on("tariff.expired", (event) => console.log(event.data.location_id));
const delivered: FlatpeakEvent = createTestEvent("tariff.expired");
await router.dispatch(delivered);
// @ts-expect-error not a documented event type
createEventRouter().on("tariff.gone", () => undefined);
void createWebhookVerifier({ toleranceSeconds: 60 });

// The plugin, store and price entries resolve with their types.
import { callEvents, type FlatpeakCallEvent } from "flatpeak-client/events";
import { tokenStore } from "flatpeak-client/fleet";
import { callLimits } from "flatpeak-client/limits";
import { tracing } from "flatpeak-client/otel";
import { cheapestWindow, createPriceCache, type LocationPrices } from "flatpeak-client/prices";
import { createRedisStore } from "flatpeak-client/redis";
import { createMemoryStore, type FlatpeakStore } from "flatpeak-client/store";

const store: FlatpeakStore = createMemoryStore();
const fleet = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", use: [tokenStore(store), callLimits({ maxConcurrency: 4 }), callEvents({ onEvent: (event: FlatpeakCallEvent) => console.log(event.type) }), tracing()] });
const answer: LocationPrices = await createPriceCache(fleet, { store }).get({ locationId: "loc_1", end: Date.now() + 3_600_000 });
console.log(cheapestWindow(answer.intervals, { durationMinutes: 60 })?.average, createRedisStore);
// @ts-expect-error not a tariff direction
void createPriceCache(fleet).get({ locationId: "loc_1", end: 1, direction: "BOTH" });

// What an integration touches is typed without a cast, also with only Node's types.
import { createMockFlatpeak, createTestWebhookSigner } from "flatpeak-client/testing";

const kit = createMockFlatpeak().once("POST /customers", createMockFlatpeak().error(409, "duplicate_reference"));
const signer = await createTestWebhookSigner();
kit.on("GET /jwks.json", () => ({ status: 200, body: signer.jwks }));
void createWebhookVerifier({ keys: signer.jwks });
createEventRouter().on("connect_session.complete", (event) => console.log(event.data.location_id.toUpperCase()));
const recorded = kit.calls[0];
if (recorded?.operation === "POST /prices/{id}") console.log(recorded.body.end_time.length, recorded.params.path.id.length);
const created = await createFlatpeakClient({ token: "t", fetch: kit.fetch }).POST("/customers", { body: { reference_id: "CUS-1" } });
if (created.error?.status === 409) {
  const code: "duplicate_reference" = created.error.code;
  console.log(code);
}
