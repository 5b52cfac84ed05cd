/**
 * Connect: create a token for a Connect session in your front end, then,
 * after the customer finished, exchange it for the location it produced.
 */
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();

const created = await flatpeak.POST("/connect/token", {
  body: {
    connect_url: "https://app.example.com/flatpeak/connect",
    callback_url: "https://app.example.com/flatpeak/done",
    customer_reference_id: "CUS-0042",
    location_reference_id: "LOC-0042",
    tariff_direction: "IMPORT",
    postal_address: { address_line1: "1-3 Strand", city: "London", post_code: "WC2N 5EH", country_code: "GB" },
  },
});
if (created.error) throw new Error(`could not create a Connect token: ${created.error.status} ${created.error.code}`);
console.log(`hand ${created.data.connect_token.slice(0, 8)}… to your front end; it expires in ${created.data.expires_in} s`);

// Later, on your callback_url:
const exchanged = await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: created.data.connect_token } } });
if (exchanged.error) throw new Error(`could not exchange the token: ${exchanged.error.status} ${exchanged.error.code}`);
const session = exchanged.data;
console.log(`session ended with ${session.complete_action || "no action"}: location ${session.location_id}, tariff processed: ${session.is_tariff_processed}`);
