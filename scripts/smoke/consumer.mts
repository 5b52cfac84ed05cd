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
