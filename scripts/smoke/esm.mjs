// An ES module app using the installed package.
import { FLATPEAK_API_VERSION, createFlatpeakClient } from "flatpeak-client";

const flatpeak = createFlatpeakClient({ accountId: "acc_smoke", apiKey: "key", baseUrl: process.env.FLATPEAK_BASE_URL });
const { data, error } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
if (error || data?.object !== "customer") throw new Error(`ESM call failed: ${JSON.stringify(error)}`);
console.log(`esm: ${data.id} (${FLATPEAK_API_VERSION})`);
