/**
 * Quickstart: log in, create a location, page through customers, update one,
 * and look at a 404. `npm run demo` runs it against the embedded mock.
 */
import createClient from "openapi-fetch";
import type { paths } from "../generated/flatpeak.js";

const baseUrl = process.env.FLATPEAK_BASE_URL ?? "https://api.flatpeak.com";
const accountId = process.env.FLATPEAK_ACCOUNT_ID ?? "";
const apiKey = process.env.FLATPEAK_API_KEY ?? "";

const anonymous = createClient<paths>({ baseUrl });
const login = await anonymous.GET("/login", { headers: { Authorization: `Basic ${btoa(`${accountId}:${apiKey}`)}` } });
if (!login.data) throw new Error(`login failed with HTTP ${login.response.status}`);
console.log(`Logged in; token valid for ${login.data.expires_in} s (live mode: ${login.data.live_mode}).`);

const flatpeak = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${login.data.bearer_token}` } });

const location = await flatpeak.POST("/locations", {
  body: { reference_id: "LOC-001", postal_address: { address_line1: "1-3 Strand", city: "London", post_code: "WC2N 5EH", country_code: "GB" } },
});
console.log(`Created location ${location.data?.id} (${location.data?.timezone}).`);

const customers = await flatpeak.GET("/customers", { params: { query: { limit: 2 } } });
for (const customer of customers.data?.data ?? []) console.log(`Customer ${customer.id} (ref ${customer.reference_id ?? "-"})`);

const updated = await flatpeak.PATCH("/customers/{id}", { params: { path: { id: "cus_65e421d1daa4a24082b4f590" } }, body: { reference_id: "CUS-NEW" } });
console.log(`Updated customer ${updated.data?.id}: HTTP ${updated.response.status}.`);

const missing = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_missing" } }, headers: { Prefer: "code=404" } });
console.log(`Fetching a missing customer: HTTP ${missing.response.status}, code ${missing.error?.code}.`);
