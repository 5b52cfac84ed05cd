/**
 * flatpeak-client: a typed client for the Flatpeak API — the front door. It
 * holds the client, its plugins (`callLimits`, `callEvents`, `tokenStore`),
 * the memory store, the price cache and helpers and the integration flows;
 * an app ships only what it imports.
 *
 * @example
 * import { callLimits, createFlatpeakClient, paginate } from "flatpeak-client";
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [callLimits({ deadlineMs: 10_000 })] });
 * for await (const customer of paginate(flatpeak, "/customers")) console.log(customer.id);
 */
export { createFlatpeakClient, type FlatpeakClient } from "./client/client.js";
export type { FlatpeakClientOptions } from "./client/options.js";
export { FlatpeakError, isFlatpeakError, type FlatpeakErrorKind } from "./errors/errors.js";
export type { FlatpeakErrorBody, FlatpeakErrorCode, FlatpeakErrorCodes, FlatpeakErrorStatus, KnownFlatpeakErrorCode, TransportErrorStatus, UnprocessableCode } from "./errors/error-body.js";
export type { FlatpeakPlugin } from "./client/plugin.js";
export type { CallEventBase, FlatpeakCallEvent, FlatpeakCallEventOf } from "./events/call-event.js";
export { paginate, type ListInit, type ListItem, type ListPath, type Paginator } from "./helpers/paginate.js";
export type { FlatpeakPaths } from "./client/typed-paths.js";
export type { FlatpeakCallOptions } from "./client/typed-client.js";
export { FLATPEAK_API_VERSION, apiVersionOf } from "./client/version.js";
export { unwrap, type CallResult } from "./helpers/unwrap.js";
export { completeConnect, startConnect, type ConnectLaunch, type ConnectOutcome } from "./flows/connect.js";
export { waitForTariff, type WaitForTariffOptions } from "./flows/wait-for-tariff.js";
export { uploadCumulativeReadings, uploadMeterRecords, type MeterUploadOptions, type MeterUploadResult } from "./flows/meter-upload.js";
export { ensureCustomer, ensureDevice, ensureLocation } from "./flows/ensure.js";
export type { components, operations, paths } from "../generated/flatpeak.js";
export { callLimits, type CallLimitsOptions } from "./limits/call-limits.js";
export { callEvents, type CallEventsOptions } from "./events/call-events.js";
export { tokenStore, type TokenStoreOptions } from "./fleet/token-store.js";
export { createMemoryStore, type MemoryStoreOptions } from "./store/memory-store.js";
export type { FlatpeakStore, StoreSetOptions } from "./store/store.js";
export { cheapestWindow, type CheapestWindow, type CheapestWindowOptions } from "./prices/cheapest-window.js";
export { priceIntervals, type PriceInterval } from "./prices/intervals.js";
export { createPriceCache, type LocationPrices, type PriceCache, type PriceCacheOptions, type PriceQuestion } from "./prices/price-cache.js";
