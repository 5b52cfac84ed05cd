/**
 * flatpeak-client/testing: what an app needs to test its Flatpeak code
 * without Flatpeak — an in-process, typed mock of the whole API, and signed
 * webhook deliveries. Never import it from production code.
 *
 * @example
 * import { createMockFlatpeak, createTestEvent, createTestWebhookSigner } from "flatpeak-client/testing";
 *
 * const mock = createMockFlatpeak();
 * const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
 */
export { TEST_EVENT_TYPES, createTestEvent } from "./events.js";
export { createMockFlatpeak, type MockErrorAnswer, type MockFlatpeak, type MockFlatpeakOptions } from "./mock-flatpeak.js";
export type { MockAnswer, MockCall, MockCallOf, MockFault, MockHandler, MockHandlers, MockOperationKey, MockRequest, OperationOf } from "./mock-types.js";
export { createTestWebhookSigner, type TestWebhookSigner } from "./webhook-signer.js";
