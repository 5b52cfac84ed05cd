/**
 * flatpeak-client: a typed client for the Flatpeak API.
 *
 * @example
 * import { createFlatpeakClient, paginate } from "flatpeak-client";
 * const flatpeak = createFlatpeakClient({ accountId, apiKey });
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
