import type { components } from "../../generated/flatpeak.js";
import type { FlatpeakClient } from "../client/client.js";
import { unwrap } from "../helpers/unwrap.js";

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
  /** `connect_url` with `fp_cot` set to the token, its own query (byte for byte) and fragment kept. */
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
 * builds the URL to open: `connect_url` as written, with `fp_cot` added. For
 * a settings page that edits or disconnects one tariff category, pass
 * `location_id`, `tariff_direction`, `tariff_type` and `actions`. Throws a
 * `TypeError`, before any request, for a `connect_url` the token must not
 * travel in (not `https:`, loopback `http:` or an app's deep link), and a
 * `FlatpeakError` of kind `http` when Flatpeak refuses.
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
  checkLaunchUrl(body?.connect_url);
  const created = await unwrap(client.POST("/connect/token", { body }));
  return { connectToken: created.connect_token, launchUrl: withConnectToken(body.connect_url, created.connect_token), expiresAt: new Date(Date.now() + created.expires_in * 1000) };
}

/** Schemes a launch URL may never have: they run code or read local data where they open, or they send the token unencrypted. */
const REFUSED_SCHEMES = new Set(["javascript:", "data:", "blob:", "file:", "vbscript:", "about:", "ftp:", "ws:", "wss:"]);
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * `connectUrl` with `fp_cot` set, everything else byte for byte as written
 * (a stale `fp_cot` taken out). A `TypeError` for a URL the token must not
 * travel in: not absolute, `http:` to another machine than this one, or a
 * scheme that runs code or reads local data (`javascript:`, `data:`, …).
 * Deep links into an app (`myapp://…`) are taken, as Flatpeak documents.
 */
function withConnectToken(connectUrl: string, token: string): string {
  checkLaunchUrl(connectUrl);
  const hashAt = connectUrl.indexOf("#");
  const beforeHash = hashAt === -1 ? connectUrl : connectUrl.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const query = queryAt === -1 ? "" : beforeHash.slice(queryAt + 1);
  const kept = query === "" ? [] : query.split("&").filter((pair) => !/^fp_cot(=|$)/.test(safeDecode(pair)));
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  return `${base}?${[...kept, `fp_cot=${encodeURIComponent(token)}`].join("&")}${hashAt === -1 ? "" : connectUrl.slice(hashAt)}`;
}

function checkLaunchUrl(connectUrl: unknown): void {
  const url = typeof connectUrl === "string" && URL.canParse(connectUrl) ? new URL(connectUrl) : undefined;
  const problem =
    url === undefined
      ? "is not an absolute URL"
      : REFUSED_SCHEMES.has(url.protocol)
        ? `has the scheme ${url.protocol}, which the connect token must never travel in`
        : url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)
          ? "is http: to another machine, which would send the connect token unencrypted"
          : undefined;
  if (problem) throw new TypeError(`startConnect: connect_url ${problem}; pass the https: URL where Connect is hosted, such as "https://connect.flatpeak.com", or a deep link into your app.`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Finishes a Connect session: reads `fp_cot` from the callback URL the
 * customer landed on (or takes the bare token) and exchanges it
 * (`GET /connect/tariff/token`). A token Flatpeak cannot exchange — unknown,
 * expired or already used — throws a `FlatpeakError` of kind `http` with
 * status 404 and code `not_found` (any other refusal with its own status and
 * code); a URL without `fp_cot`, or with it more than once, a `TypeError`.
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
  const tokens = URL.canParse(text) ? new URL(text).searchParams.getAll("fp_cot") : [];
  if (tokens.length > 1) throw new TypeError("completeConnect: the callback URL has fp_cot more than once, so which session it completes is unclear; pass the URL exactly as Connect redirected to it.");
  const [token] = tokens;
  if (!token) throw new TypeError("completeConnect: pass the callback URL the customer landed on (with its fp_cot query parameter) or the connect token itself (cot_…).");
  return token;
}
