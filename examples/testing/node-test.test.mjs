// Testing app code with the in-process mock and node:test.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createFlatpeakClient } from "flatpeak-client";
import { createMockFlatpeak } from "flatpeak-client/testing";
import { customerLabel } from "./customer-label.cjs";

test("labels a customer by its reference", async () => {
  const mock = createMockFlatpeak();
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
  assert.equal(await customerLabel(flatpeak, "cus_1"), "CUS1234567890");
  assert.deepEqual(mock.calls.map((call) => call.operation), ["GET /login", "GET /customers/{id}"]);
});

test("says so when Flatpeak does not know the customer", async () => {
  const mock = createMockFlatpeak();
  mock.on("GET /customers/{id}", () => mock.error(404));
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
  assert.equal(await customerLabel(flatpeak, "cus_gone"), "unknown customer");
});

test("copes with Flatpeak being unreachable", async () => {
  const mock = createMockFlatpeak();
  mock.on("GET /customers/{id}", () => mock.faults.network());
  const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, maxRetries: 1 });
  assert.equal(await customerLabel(flatpeak, "cus_1"), "Flatpeak unreachable (network)");
});
