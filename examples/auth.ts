/**
 * Authentication: log in with account id and API key, or bring a token of
 * your own; and see which API version served a call.
 */
import { apiVersionOf, callEvents, createFlatpeakClient } from "flatpeak-client";

const baseUrl = process.env.FLATPEAK_BASE_URL;

// 1. Account id + API key: the client calls GET /login once, caches the token
//    and renews it before it expires. Its login events show when it logs in.
const byLogin = createFlatpeakClient({
  accountId: process.env.FLATPEAK_ACCOUNT_ID,
  apiKey: process.env.FLATPEAK_API_KEY,
  baseUrl,
  use: [callEvents({ onEvent: (event) => event.type.startsWith("login") && console.log(`event: ${JSON.stringify(event)}`) })],
});
const [first, second] = await Promise.all([byLogin.GET("/customers"), byLogin.GET("/devices")]);
console.log(`two calls at once, one login: HTTP ${first.response.status} and ${second.response.status}`);
console.log(`served as API version ${apiVersionOf(first) ?? "(not echoed)"}`);

// 2. A token obtained elsewhere (for example by your backend), never refreshed.
const login = await byLogin.GET("/login", {
  headers: { Authorization: `Basic ${btoa(`${process.env.FLATPEAK_ACCOUNT_ID}:${process.env.FLATPEAK_API_KEY}`)}` },
});
if (login.error) throw new Error(`login failed: ${login.error.status} ${login.error.code}`);
const byToken = createFlatpeakClient({ token: login.data.bearer_token, baseUrl });
console.log(`with a token of our own: HTTP ${(await byToken.GET("/events")).response.status}`);

// 3. A token source you manage: asked before every request, and again once if
//    Flatpeak rejects the token.
let asked = 0;
const byCallback = createFlatpeakClient({ getToken: async () => (asked++, login.data.bearer_token), baseUrl });
await byCallback.GET("/locations");
console.log(`getToken was asked ${asked} time(s)`);

// 4. Pin another API version for one call.
const pinned = await byToken.GET("/customers", { headers: { "Flatpeak-Version": "2025-09-14.anode" } });
console.log(`pinned call: HTTP ${pinned.response.status}`);
