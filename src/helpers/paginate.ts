import type { MaybeOptionalInit } from "openapi-fetch";
import type { FlatpeakErrorBody } from "../errors/error-body.js";
import { FlatpeakError } from "../errors/errors.js";
import { requestOf } from "../http/request-of.js";
import type { FlatpeakClient } from "../client/typed-client.js";
import type { FlatpeakPaths } from "../client/typed-paths.js";

type ListEnvelope = { data: unknown[]; has_more: boolean };

/**
 * Paths whose `GET` answers a Flatpeak list (`data` plus `has_more`).
 *
 * @example
 * const path: ListPath = "/customers"; // "/customers/{id}" would not compile
 */
export type ListPath = {
  [P in keyof FlatpeakPaths]: FlatpeakPaths[P] extends { get: { responses: { 200: { content: { "application/json": ListEnvelope } } } } } ? P : never;
}[keyof FlatpeakPaths];

/**
 * The item type of a list path.
 *
 * @example
 * type Customer = ListItem<"/customers">;
 */
export type ListItem<P extends ListPath> = FlatpeakPaths[P]["get"]["responses"][200]["content"]["application/json"]["data"][number];

/**
 * The options of one page request: the `GET` options of that path.
 *
 * @example
 * const init: ListInit<"/locations"> = { params: { query: { customer_id: "cus_…", limit: 100 } } };
 */
export type ListInit<P extends ListPath> = MaybeOptionalInit<FlatpeakPaths[P], "get">;

/**
 * Every item of a list, fetched page by page as you iterate; only one page is
 * in memory at a time. Throws {@link FlatpeakError} when a page fails.
 *
 * @example
 * const locations: Paginator<ListItem<"/locations">> = paginate(flatpeak, "/locations");
 * for await (const location of locations) console.log(location.id);
 * const first500 = await paginate(flatpeak, "/locations").toArray({ limit: 500 });
 */
export interface Paginator<T> extends AsyncIterable<T> {
  /** Collects at most `limit` items into an array; the cap is required. */
  toArray(options: { limit: number }): Promise<T[]>;
}

type Page = { data?: unknown; error?: FlatpeakErrorBody; response: Response };
type PageGetter = (path: string, init: object) => Promise<Page>;
type PageInit = { params?: { query?: Record<string, unknown> } };

/**
 * Every item of a list path, page by page as you iterate: pages follow
 * `starting_after` (the last item's id) while `has_more` is true; when `init`
 * sets `ending_before`, they walk backwards from it, newest last. A page that
 * fails throws a {@link FlatpeakError} of kind `http`; a page whose cursor was
 * already used in the walk ends it with one of kind `invalid_response`
 * instead of looping forever. A function of its own, so an app that never
 * paginates does not ship it.
 *
 * @example
 * import { createFlatpeakClient, paginate } from "flatpeak-client";
 *
 * const flatpeak = createFlatpeakClient({ accountId, apiKey });
 * for await (const customer of paginate(flatpeak, "/customers", { params: { query: { limit: 100 } } })) {
 *   console.log(customer.id);
 * }
 * const devices = await paginate(flatpeak, "/devices").toArray({ limit: 50 });
 */
export function paginate<P extends ListPath>(client: FlatpeakClient, path: P, init?: ListInit<P>): Paginator<ListItem<P>> {
  const get = (client as { GET?: unknown } | null)?.GET;
  if (typeof get !== "function") throw new TypeError(`paginate(client, "${String(path)}"): pass the client from createFlatpeakClient first.`);
  const iterate = () => items(get as PageGetter, path, (init ?? {}) as PageInit) as AsyncIterator<ListItem<P>> & AsyncIterable<ListItem<P>>;
  return { [Symbol.asyncIterator]: iterate, toArray: (options) => collect(iterate(), options) };
}

async function* items(get: PageGetter, path: string, init: PageInit) {
  const query = { ...init.params?.query };
  const backwards = query.ending_before !== undefined;
  const cursorName = backwards ? "ending_before" : "starting_after";
  const usedCursors = new Set<unknown>([query[cursorName]]);
  for (;;) {
    const { data, error, response } = await get(path, { ...init, params: { ...init.params, query: { ...query } } });
    if (error) throw new FlatpeakError({ kind: "http", method: "GET", url: requestOf(response).url, body: error, response });
    const page = asPage(data, path, response);
    yield* backwards ? [...page.data].reverse() : page.data;
    if (!page.has_more || page.data.length === 0) return;
    const cursor = idOf(backwards ? page.data[0] : page.data[page.data.length - 1], path, response);
    if (usedCursors.has(cursor)) {
      throw invalidPage(response, `GET ${path} answered a page whose ${cursorName} cursor "${cursor}" was already used in this walk, so the list would repeat forever`);
    }
    usedCursors.add(cursor);
    query[cursorName] = cursor;
  }
}

function asPage(data: unknown, path: string, response: Response): ListEnvelope {
  const page = data as Partial<ListEnvelope> | undefined;
  if (!Array.isArray(page?.data) || typeof page.has_more !== "boolean") throw invalidPage(response, `GET ${path} answered a page without a data array and a has_more flag`);
  return page as ListEnvelope;
}

function idOf(item: unknown, path: string, response: Response): string {
  const id = (item as { id?: unknown } | null)?.id;
  if (typeof id !== "string" || id === "") throw invalidPage(response, `GET ${path} answered an item without an id, so the next page cannot be requested`);
  return id;
}

/** The error of a page that cannot be walked on, with the URL of the request that fetched it. */
function invalidPage(response: Response, message: string): FlatpeakError {
  return new FlatpeakError({ kind: "invalid_response", method: "GET", url: requestOf(response).url, message });
}

async function collect<T>(source: AsyncIterable<T>, options: { limit: number } | undefined): Promise<T[]> {
  const limit = options?.limit as number;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new TypeError(`toArray() needs { limit }: the most items to collect, a positive integer such as toArray({ limit: 1000 }); got ${String(limit)}.`);
  }
  const result: T[] = [];
  for await (const item of source) {
    result.push(item);
    if (result.length >= limit) break;
  }
  return result;
}
