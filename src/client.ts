import createClient, { type Client } from "openapi-fetch";
import { callbackTokens, fixedToken, loginTokens, type TokenProvider } from "./auth.js";
import { createAuthorizedFetch } from "./authorized-fetch.js";
import { FlatpeakError } from "./errors.js";
import { resolveOptions, type FlatpeakClientOptions, type ResolvedOptions } from "./options.js";
import { createPaginate, type Paginate } from "./paginate.js";
import { pathParamGuard } from "./path-params.js";
import { createTransport, type FetchLike } from "./transport.js";
import type { FlatpeakPaths } from "./typed-paths.js";

/**
 * The openapi-fetch client for every Flatpeak path (`GET`, `POST`, `PUT`,
 * `PATCH`, `DELETE`, …, each resolving with `{ data, error, response }`),
 * plus `paginate` for list paths.
 *
 * @example
 * function countLocations(flatpeak: FlatpeakClient) {
 *   return flatpeak.paginate("/locations").toArray({ limit: 10_000 }).then((all) => all.length);
 * }
 */
export type FlatpeakClient = Client<FlatpeakPaths> & {
  /** Iterates every item of a list path; see {@link Paginator}. */
  paginate: Paginate;
};

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

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
  const fetch = createAuthorizedFetch({ tokens: tokenProvider(settings, send), send, apiVersion: settings.apiVersion, log: settings.log });
  const client = createClient<FlatpeakPaths>({ baseUrl: settings.baseUrl, headers: settings.headers, fetch });
  client.use(pathParamGuard);
  reportUnparsableBodies(client, settings.baseUrl);
  return Object.assign(client, { paginate: createPaginate(client, settings.baseUrl) });
}

function tokenProvider(settings: ResolvedOptions, send: FetchLike): TokenProvider {
  const { credentials } = settings;
  if (credentials.kind === "token") return fixedToken(credentials.token);
  if (credentials.kind === "callback") return callbackTokens(credentials.getToken);
  return loginTokens({ ...credentials, baseUrl: settings.baseUrl, apiVersion: settings.apiVersion, send, log: settings.log });
}

/** Makes a 2xx body that is not valid JSON reject with a `FlatpeakError` of kind `invalid_response`. */
function reportUnparsableBodies(client: Client<FlatpeakPaths>, baseUrl: string): void {
  const methods = client as unknown as Record<(typeof METHODS)[number], (path: string, ...rest: unknown[]) => Promise<unknown>>;
  for (const method of METHODS) {
    const call = methods[method];
    methods[method] = (path, ...rest) =>
      call(path, ...rest).catch((error: unknown) => {
        if (!(error instanceof SyntaxError)) throw error;
        throw new FlatpeakError({ kind: "invalid_response", method, url: `${baseUrl}${path}`, cause: error, message: `${method} ${path} answered 2xx with a body that is not valid JSON` });
      });
  }
}
