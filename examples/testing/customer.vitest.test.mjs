// Testing app code with the in-process mock and Vitest.
import { createFlatpeakClient } from "flatpeak-client";
import { createMockFlatpeak } from "flatpeak-client/testing";
import { expect, test } from "vitest";
import { customerLabel } from "./customer-label.cjs";

test("labels a customer by its reference", async () => {
  const mock = createMockFlatpeak();
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
  expect(await customerLabel(flatpeak, "cus_1")).toBe("CUS1234567890");
});

test("gets a new token when the old one expires", async () => {
  const mock = createMockFlatpeak();
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
  await customerLabel(flatpeak, "cus_1");
  mock.expireTokens();
  expect(await customerLabel(flatpeak, "cus_1")).toBe("CUS1234567890");
  expect(mock.calls.filter((call) => call.operation === "GET /login")).toHaveLength(2);
});
