// Type-checked as a CommonJS consumer (node16 resolution).
import { createFlatpeakClient, type FlatpeakClient } from "flatpeak-client";

const flatpeak: FlatpeakClient = createFlatpeakClient({ accountId: "acc_1", apiKey: "key" });
void flatpeak.PATCH("/customers/{id}", { params: { path: { id: "cus_1" } }, body: { reference_id: "R" } }).then(({ error }) => {
  if (error?.status === 409) console.log(error.code satisfies "duplicate_reference");
});
// @ts-expect-error reference_id is a string
void flatpeak.PATCH("/customers/{id}", { params: { path: { id: "cus_1" } }, body: { reference_id: 1 } });

// The subpath entries resolve from CommonJS too.
import { createWebhookVerifier } from "flatpeak-client/webhooks";
import { createTestWebhookSigner } from "flatpeak-client/testing";
void createTestWebhookSigner().then((signer) => createWebhookVerifier({ keys: signer.jwks }));
