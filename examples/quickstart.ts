/**
 * Quickstart: log in, create a location, page through customers, update one,
 * and handle a 404. `npm run demo` runs it against the embedded mock; set
 * FLATPEAK_ACCOUNT_ID and FLATPEAK_API_KEY (and unset FLATPEAK_BASE_URL) to
 * run it against Flatpeak itself.
 */
import { callEvents, createFlatpeakClient, isFlatpeakError, paginate } from "flatpeak-client";
import { askMockFor } from "./support.js";

const flatpeak = createFlatpeakClient({
  accountId: process.env.FLATPEAK_ACCOUNT_ID,
  apiKey: process.env.FLATPEAK_API_KEY,
  baseUrl: process.env.FLATPEAK_BASE_URL,
  use: [
    callEvents({
      onEvent: (event) => {
        if (event.type === "login") console.log(`  (logged in; token valid for ${event.expiresInSeconds} s)`);
      },
    }),
  ],
});

console.log("1. Create a location");
const location = await flatpeak.POST("/locations", {
  body: { reference_id: "LOC-001", postal_address: { address_line1: "1-3 Strand", city: "London", post_code: "WC2N 5EH", country_code: "GB" } },
});
if (location.error) throw new Error(`could not create the location: ${location.error.status} ${location.error.code}`);
console.log(`   ${location.data.id} in ${location.data.timezone}, currency ${location.data.currency_code}`);

console.log("2. List customers, page by page");
for await (const customer of paginate(flatpeak, "/customers", { params: { query: { limit: 100 } } })) {
  console.log(`   ${customer.id}  ref=${customer.reference_id ?? "-"}  locations=${customer.locations?.length ?? 0}`);
}

console.log("3. Update a customer");
const updated = await flatpeak.PATCH("/customers/{id}", {
  params: { path: { id: "cus_65e421d1daa4a24082b4f590" } },
  body: { reference_id: "CUS-0042" },
});
if (updated.error?.status === 409) console.log(`   that reference is taken (${updated.error.code})`);
else if (updated.data) console.log(`   ${updated.data.id} accepted (HTTP ${updated.response.status})`);

console.log("4. Fetch a customer that does not exist");
const missing = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_does_not_exist" } }, headers: askMockFor(404) });
if (missing.error?.status === 404) console.log(`   HTTP 404, code "${missing.error.code}" (typed as "not_found")`);

console.log("5. The same as a thrown error, from a helper");
try {
  await paginate(flatpeak, "/devices", { headers: askMockFor(404) }).toArray({ limit: 10 });
} catch (error) {
  if (isFlatpeakError(error, "not_found")) console.log(`   ${error.name}: ${error.message}`);
  else throw error;
}
