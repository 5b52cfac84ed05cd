import createClient, { type Client } from "openapi-fetch";
import { callbackTokens, fixedToken, loginTokens, type TokenProvider } from "./auth.js";
import { createAuthorizedFetch } from "./authorized-fetch.js";
import { guardCalls } from "./call-guard.js";
import { resolveOptions, type FlatpeakClientOptions, type ResolvedOptions } from "./options.js";
import { OutgoingRequest } from "./outgoing-request.js";
import { createTransport, type Send } from "./transport.js";
import type { FlatpeakPaths } from "./typed-paths.js";

/**
 * The openapi-fetch client for every Flatpeak path (`GET`, `POST`, `PUT`,
 * `PATCH`, `DELETE`, …, each resolving with `{ data, error, response }`).
 * List paths are walked with {@link paginate}.
 *
 * @example
 * function countLocations(flatpeak: FlatpeakClient) {
 *   return paginate(flatpeak, "/locations").toArray({ limit: 10_000 }).then((all) => all.length);
 * }
 */
export type FlatpeakClient = Client<FlatpeakPaths>;

/**
 * Creates a Flatpeak client. Non-2xx answers resolve with a typed `error`
 * (discriminated by `status`); network failures, timeouts and aborts reject
 * with a {@link FlatpeakError}.
 *
 * @example
 * import { createFlatpeakClient } from "flatpeak-client";
 *
 * const flatpeak = createFlatpeakClient({ accountId: "acc_…", apiKey: process.env.FLATPEAK_API_KEY });
 * const { data, error } = await flatpeak.GET("/locations/{id}", { params: { path: { id: "loc_…" } } });
 * if (error?.status === 404) console.log("no such location");
 * else if (data) console.log(data.timezone);
 */
export function createFlatpeakClient(options: FlatpeakClientOptions): FlatpeakClient {
  const settings = resolveOptions(options);
  const send = createTransport(settings);
  const { baseUrl, apiVersion, log } = settings;
  const authorized = createAuthorizedFetch({ tokens: tokenProvider(settings, send), baseUrl, send, apiVersion, log });
  // Stryker disable next-line ArrowFunction: every call passes its own fetch (see guardCalls), so no call reaches this default
  const client = createClient<FlatpeakPaths>({ baseUrl, headers: settings.headers, fetch: (request: Request) => authorized(request), Request: OutgoingRequest });
  guardCalls(client, authorized);
  return client;
}

function tokenProvider(settings: ResolvedOptions, send: Send): TokenProvider {
  const { credentials, baseUrl, apiVersion, headers, log } = settings;
  if (credentials.kind === "token") return fixedToken(credentials.token);
  if (credentials.kind === "callback") return callbackTokens(credentials.getToken);
  return loginTokens({ ...credentials, baseUrl, apiVersion, headers, send, log });
}
