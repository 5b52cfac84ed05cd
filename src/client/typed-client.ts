import type { Client, ClientPathsWithMethod, FetchResponse, MaybeOptionalInit } from "openapi-fetch";
import type { FlatpeakPaths } from "./typed-paths.js";

/**
 * Options any call takes besides openapi-fetch's own.
 *
 * @example
 * await flatpeak.POST("/customers", { body, retry: true }); // this create may be sent again
 * await flatpeak.POST("/prices/{id}", { params, body, deadlineMs: 2_000 }); // with callLimits()
 */
export interface FlatpeakCallOptions {
  /** `false`: never retry this call; `true`: retry it like a GET, even a POST the spec does not mark retry-safe. Default: the method and the spec decide. */
  retry?: boolean | undefined;
  /** The deadline of this whole call, in ms, instead of the client's; needs the `callLimits()` plugin. */
  deadlineMs?: number | undefined;
}

type Method = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
type Init<P extends keyof FlatpeakPaths, M extends Method> = MaybeOptionalInit<FlatpeakPaths[P], M> & FlatpeakCallOptions;
type RequiredKeysOf<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Optional when nothing in it is required; open to more keys, as openapi-fetch's own init is. */
type InitArgument<I> = [RequiredKeysOf<I>] extends [never] ? [(I & { [key: string]: unknown })?] : [I & { [key: string]: unknown }];
type CallMethod<M extends Method> = <P extends ClientPathsWithMethod<Client<FlatpeakPaths>, M>, I extends Init<P, M>>(
  url: P,
  ...init: InitArgument<I>
) => Promise<FetchResponse<FlatpeakPaths[P][M], I, `${string}/${string}`>>;

/**
 * The openapi-fetch client for every Flatpeak path (`GET`, `POST`, `PUT`,
 * `PATCH`, `DELETE`, …, each resolving with `{ data, error, response }`),
 * whose calls also take {@link FlatpeakCallOptions}. List paths are walked
 * with {@link paginate}.
 *
 * @example
 * function countLocations(flatpeak: FlatpeakClient) {
 *   return paginate(flatpeak, "/locations").toArray({ limit: 10_000 }).then((all) => all.length);
 * }
 */
export type FlatpeakClient = Omit<Client<FlatpeakPaths>, "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" | "request"> & {
  GET: CallMethod<"get">;
  PUT: CallMethod<"put">;
  POST: CallMethod<"post">;
  DELETE: CallMethod<"delete">;
  OPTIONS: CallMethod<"options">;
  HEAD: CallMethod<"head">;
  PATCH: CallMethod<"patch">;
  TRACE: CallMethod<"trace">;
  /** A call whose method is a value: `flatpeak.request("get", "/customers/{id}", { params })`. */
  request<M extends Method, P extends ClientPathsWithMethod<Client<FlatpeakPaths>, M>, I extends Init<P, M>>(method: M, url: P, ...init: InitArgument<I>): Promise<FetchResponse<FlatpeakPaths[P][M], I, `${string}/${string}`>>;
};
