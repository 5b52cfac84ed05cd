// Testing app code with the in-process mock and Jest (CommonJS).
const { expect, test } = require("@jest/globals");
const { createFlatpeakClient } = require("flatpeak-client");
const { createMockFlatpeak } = require("flatpeak-client/testing");
const { customerLabel } = require("./customer-label.cjs");

test("labels a customer by its reference", async () => {
  const mock = createMockFlatpeak();
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
  expect(await customerLabel(flatpeak, "cus_1")).toBe("CUS1234567890");
});

test("retries through a burst of 503s", async () => {
  const mock = createMockFlatpeak();
  mock.once("GET /customers/{id}", mock.faults.serverError(503), 2);
  const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, maxRetries: 2 });
  expect(await customerLabel(flatpeak, "cus_1")).toBe("CUS1234567890");
  expect(mock.calls).toHaveLength(3);
}, 10_000);
