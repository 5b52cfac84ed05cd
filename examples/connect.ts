/**
 * Connect, end to end: start a session for the front end, finish it on the
 * callback URL the customer lands on, then wait until the tariff has prices.
 */
import { completeConnect, startConnect, waitForTariff } from "flatpeak-client";
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();

// 1. Your backend starts a session and sends the customer to launchUrl.
const launch = await startConnect(flatpeak, {
  connect_url: "https://connect.flatpeak.com",
  callback_url: "https://app.example.com/flatpeak/done",
  customer_reference_id: "CUS-0042",
  location_reference_id: "LOC-0042",
  tariff_direction: "IMPORT",
  postal_address: { address_line1: "1-3 Strand", city: "London", post_code: "WC2N 5EH", country_code: "GB" },
});
console.log(`open ${launch.launchUrl.replace(launch.connectToken, "cot_…")} (valid until ${launch.expiresAt.toISOString()})`);

// 2. Connect redirects the customer to callback_url?fp_cot=…; your handler finishes the session.
const callbackUrl = `https://app.example.com/flatpeak/done?fp_cot=${launch.connectToken}`;
const outcome = await completeConnect(flatpeak, callbackUrl);
console.log(`customer chose ${outcome.action ?? "nothing"} for location ${outcome.locationId} (your ref ${outcome.locationReferenceId})`);

// 3. Until Flatpeak has read the tariff, prices answer 422 pending_connect; wait at the pace the docs allow.
if (outcome.action === "SAVE") {
  const prices = await waitForTariff(flatpeak, { locationId: outcome.locationId, deadlineMs: 60 * 60_000 });
  console.log(`tariff ready: ${prices.data?.length ?? 0} price interval(s) for the next hour in ${prices.currency_code}`);
}

// Later, a settings page lets the customer edit or disconnect one tariff category.
const settings = await startConnect(flatpeak, {
  connect_url: "https://connect.flatpeak.com",
  callback_url: "https://app.example.com/flatpeak/settings-done",
  location_id: outcome.locationId,
  tariff_direction: "EXPORT",
  tariff_type: "COMMODITY",
  actions: { edit_tariff: true, disconnect_tariff: true },
});
console.log(`settings page session ${settings.connectToken.slice(0, 4)}… ready`);
