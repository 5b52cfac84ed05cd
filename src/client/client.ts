import { createPipeline } from "../call/pipeline.js";
import { callMethods } from "../call/call-guard.js";
import { resolveOptions, type FlatpeakClientOptions } from "./options.js";
import type { FlatpeakClient } from "./typed-client.js";

export type { FlatpeakClient } from "./typed-client.js";

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
  // Stryker disable next-line ArrayDeclaration: openapiCall skips a middleware that has no hook, so a list holding one that is no object is sent like an empty one
  return callMethods({ baseUrl: settings.baseUrl, headers: settings.headers, middleware: [] }, createPipeline(settings));
}
