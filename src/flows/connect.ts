import type { components } from "../../generated/flatpeak.js";
import type { FlatpeakClient } from "../client.js";
import { unwrap } from "../unwrap.js";

type ConnectTokenCreate = components["schemas"]["ConnectTokenCreate"];

/**
 * A Connect session ready to open in the customer's browser or app.
 *
 * @example
 * const { launchUrl } = await startConnect(flatpeak, { connect_url, callback_url });
 * window.location.assign(launchUrl);
 */
export interface ConnectLaunch {
  /** The single-use token of the session (`cot_…`); safe to hand to the front end. */
  connectToken: string;
  /** `connect_url` with `fp_cot` set to the token, its own query and fragment kept. */
  launchUrl: string;
  /** When the token stops working. */
  expiresAt: Date;
}

/**
 * What a finished Connect session produced.
 *
 * @example
 * const outcome: ConnectOutcome = await completeConnect(flatpeak, callbackUrl);
 * if (outcome.action === "SAVE") await saveLocation(outcome.locationId);
 */
export interface ConnectOutcome {
  locationId: string;
  locationReferenceId: string;
  customerId: string | undefined;
  /** `SAVE` when the customer saved a tariff, `DISCONNECT` when they removed it, `undefined` when they left. */
  action: "SAVE" | "DISCONNECT" | undefined;
  /** False while Flatpeak is still reading the tariff; see {@link waitForTariff}. */
  tariffProcessed: boolean;
}

/**
 * Starts a Connect session: creates its token (`POST /connect/token`) and
 * builds the URL to open. For a settings page that edits or disconnects one
 * tariff category, pass `location_id`, `tariff_direction`, `tariff_type` and
 * `actions`. Throws a `FlatpeakError` of kind `http` when Flatpeak refuses.
 *
 * @example
 * import { startConnect } from "flatpeak-client";
 *
 * const launch = await startConnect(flatpeak, {
 *   connect_url: "https://connect.flatpeak.com",
 *   callback_url: "https://app.example.com/flatpeak/done",
 *   customer_reference_id: "CUS-42",
 * });
 * // Settings page, one category:
 * await startConnect(flatpeak, { connect_url, callback_url, location_id, tariff_direction: "EXPORT", tariff_type: "COMMODITY", actions: { edit_tariff: true, disconnect_tariff: true } });
 */
export async function startConnect(client: FlatpeakClient, body: ConnectTokenCreate): Promise<ConnectLaunch> {
  const created = await unwrap(client.POST("/connect/token", { body }));
  return { connectToken: created.connect_token, launchUrl: withConnectToken(body.connect_url, created.connect_token), expiresAt: new Date(Date.now() + created.expires_in * 1000) };
}

/** `connectUrl` with `fp_cot` set, leaving the rest of its query exactly as written. */
function withConnectToken(connectUrl: string, token: string): string {
  const url = new URL(connectUrl);
  if (url.searchParams.has("fp_cot")) url.searchParams.delete("fp_cot");
  const pair = `fp_cot=${encodeURIComponent(token)}`;
  // Stryker disable next-line EqualityOperator: URL gives an empty query as "", never as a lone "?"
  url.search = url.search.length > 1 ? `${url.search}&${pair}` : `?${pair}`;
  return url.href;
}

/**
 * Finishes a Connect session: reads `fp_cot` from the callback URL the
 * customer landed on (or takes the bare token) and exchanges it
 * (`GET /connect/tariff/token`). A token that is expired, used or unknown
 * throws a `FlatpeakError` of kind `http`; a URL without `fp_cot` a
 * `TypeError`.
 *
 * @example
 * import { completeConnect } from "flatpeak-client";
 *
 * const outcome = await completeConnect(flatpeak, request.url);
 * if (outcome.action === "SAVE") await db.saveLocation(user.id, outcome.locationId);
 */
export async function completeConnect(client: FlatpeakClient, callback: string | URL): Promise<ConnectOutcome> {
  const exchanged = await unwrap(client.GET("/connect/tariff/token", { params: { query: { connect_token: connectTokenOf(callback) } } }));
  return {
    locationId: exchanged.location_id,
    locationReferenceId: exchanged.location_reference_id,
    customerId: exchanged.customer_id,
    action: exchanged.complete_action === "SAVE" || exchanged.complete_action === "DISCONNECT" ? exchanged.complete_action : undefined,
    tariffProcessed: exchanged.is_tariff_processed,
  };
}

function connectTokenOf(callback: string | URL): string {
  const text = String(callback).trim();
  if (/^cot_[A-Za-z0-9]+$/.test(text)) return text;
  let token: string | null = null;
  try {
    token = new URL(text).searchParams.get("fp_cot");
  } catch {
    // not a URL: reported below
  }
  if (!token) throw new TypeError("completeConnect: pass the callback URL the customer landed on (with its fp_cot query parameter) or the connect token itself (cot_…).");
  return token;
}
