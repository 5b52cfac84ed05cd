/**
 * flatpeak-client/limits: a deadline per call, a client-wide concurrency cap
 * and one pause for the whole client on a 429, as a plugin of the client.
 *
 * @example
 * import { callLimits } from "flatpeak-client/limits";
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [callLimits({ deadlineMs: 10_000, maxConcurrency: 16 })] });
 */
export { callLimits, type CallLimitsOptions } from "./call-limits.js";
