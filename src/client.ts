import createClient, { type Client } from "openapi-fetch";
import { callbackTokens, fixedToken, loginTokens, type TokenProvider } from "./auth.js";
import { createAuthorizedFetch } from "./authorized-fetch.js";
import { FlatpeakError } from "./errors.js";
import { resolveOptions, type FlatpeakClientOptions, type ResolvedOptions } from "./options.js";
import { createPaginate, type Paginate } from "./paginate.js";
import { assertSendableParams } from "./param-guard.js";
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
  const tokens = tokenProvider(settings, send);
  const fetch = createAuthorizedFetch({ tokens, baseUrl: settings.baseUrl, send, apiVersion: settings.apiVersion, log: settings.log });
  const client = createClient<FlatpeakPaths>({ baseUrl: settings.baseUrl, headers: settings.headers, fetch });
  guardCalls(client, settings.baseUrl);
  return Object.assign(client, { paginate: createPaginate(client, settings.baseUrl) });
}

function tokenProvider(settings: ResolvedOptions, send: FetchLike): TokenProvider {
  const { credentials } = settings;
  if (credentials.kind === "token") return fixedToken(credentials.token);
  if (credentials.kind === "callback") return callbackTokens(credentials.getToken);
  return loginTokens({ ...credentials, baseUrl: settings.baseUrl, apiVersion: settings.apiVersion, send, log: settings.log });
}

type Call = (path: string, init?: { params?: Parameters<typeof assertSendableParams>[2] }) => Promise<unknown>;

/**
 * Wraps every method so that unsendable parameters throw a `TypeError` before
 * anything is serialised, and a 2xx body that is not valid JSON rejects with a
 * `FlatpeakError` of kind `invalid_response`.
 */
function guardCalls(client: Client<FlatpeakPaths>, baseUrl: string): void {
  const methods = client as unknown as Record<(typeof METHODS)[number], Call> & { request: (method: string, ...rest: Parameters<Call>) => Promise<unknown> };
  const guarded = (method: string, call: Call): Call => async (path, init) => {
    assertSendableParams(method, path, init?.params);
    try {
      return await call(path, init);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      const url = `${baseUrl}${fillPath(path, init?.params?.path)}`;
      throw new FlatpeakError({ kind: "invalid_response", method, url, cause: error, message: `${method} ${path} answered 2xx with a body that is not valid JSON` });
    }
  };
  for (const method of METHODS) methods[method] = guarded(method, methods[method].bind(client));
  const request = methods.request.bind(client);
  methods.request = (method, path, init) => guarded(method.toUpperCase(), (p, i) => request(method, p, i))(path, init);
}

/** `/customers/{id}` with its parameters filled in, as openapi-fetch sends it. */
function fillPath(path: string, values: Record<string, unknown> | undefined): string {
  return path.replace(/\{([^}]+)\}/g, (match, name: string) => (values?.[name] === undefined ? match : encodeURIComponent(String(values[name]))));
}
