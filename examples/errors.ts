/**
 * Errors: calls resolve with a typed `error` for every non-2xx status, and
 * reject with a FlatpeakError only when no usable answer arrived.
 */
import { isFlatpeakError, paginate } from "flatpeak-client";
import { askMockFor, clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();

// A status check narrows both the status and Flatpeak's code.
for (const status of [403, 404, 409]) {
  const { data, error } = await flatpeak.PATCH("/customers/{id}", {
    params: { path: { id: "cus_65e421d1daa4a24082b4f590" } },
    body: { reference_id: "CUS-0042" },
    headers: askMockFor(status),
  });
  if (!error) {
    console.log(`updated ${data.id}`);
    continue;
  }
  switch (error.status) {
    case 403:
      console.log(`403 ${error.code}: check the account's permissions`); // "access_denied"
      break;
    case 404:
      console.log(`404 ${error.code}: no such customer`); // "not_found"
      break;
    case 409:
      console.log(`409 ${error.code}: ${error.message}`); // "duplicate_reference"
      break;
    default:
      console.log(`${error.status} ${error.code}: ${error.message}`);
  }
}

// 422 tells why prices cannot be served now.
const price = await flatpeak.POST("/prices/{id}", {
  params: { path: { id: "loc_641b90b758fb8e6293716e40" } },
  body: { end_time: "2025-01-02T00:00:00Z" },
  headers: askMockFor(422),
});
if (price.error?.status === 422) {
  const advice = {
    pending_connect: "Connect is still linking the tariff; try again in 15 minutes",
    no_tariff_connected: "ask the customer to connect a tariff",
    no_price_data: "prices are unavailable for now",
    account_disabled: "the account is disabled",
    api_version_not_supported: "upgrade flatpeak-client",
  }[price.error.code];
  console.log(`422 ${price.error.code}: ${advice}`);
}

// Helpers throw instead; isFlatpeakError recognises the error and its code.
try {
  await paginate(flatpeak, "/events", { headers: askMockFor(404) }).toArray({ limit: 100 });
} catch (error) {
  if (isFlatpeakError(error, "not_found")) console.log(`thrown: ${error.message} (kind ${error.kind})`);
  else throw error;
}

// No answer at all: network failure, timeout or abort reject with a kind.
const controller = new AbortController();
controller.abort();
await flatpeak.GET("/customers", { signal: controller.signal }).catch((error: unknown) => {
  if (isFlatpeakError(error)) console.log(`rejected: kind ${error.kind}`);
});
