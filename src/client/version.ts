import { SPEC_VERSION } from "../../generated/spec-version.js";

/**
 * The Flatpeak API version this package was generated from and sends in the
 * `Flatpeak-Version` header unless told otherwise.
 *
 * @example
 * import { FLATPEAK_API_VERSION } from "flatpeak-client";
 * console.log(FLATPEAK_API_VERSION); // "2025-09-14.anode"
 */
export const FLATPEAK_API_VERSION: typeof SPEC_VERSION = SPEC_VERSION;

/**
 * Name of the header that pins (and echoes) the API version.
 *
 * @example
 * request.headers.set(VERSION_HEADER, FLATPEAK_API_VERSION);
 */
export const VERSION_HEADER = "Flatpeak-Version";

/**
 * The API version the server says it used for a result, read from the
 * `Flatpeak-Version` response header; `undefined` when it sent none.
 *
 * @example
 * const result = await flatpeak.GET("/customers");
 * console.log(apiVersionOf(result)); // "2025-09-14.anode"
 */
export function apiVersionOf(result: { response: Response }): string | undefined {
  return result.response.headers.get(VERSION_HEADER) ?? undefined;
}
