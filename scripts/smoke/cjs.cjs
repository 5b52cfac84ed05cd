// A CommonJS app using the installed package.
const { createFlatpeakClient, isFlatpeakError } = require("flatpeak-client");

const flatpeak = createFlatpeakClient({ accountId: "acc_smoke", apiKey: "key", baseUrl: process.env.FLATPEAK_BASE_URL });
flatpeak.GET("/locations/{id}", { params: { path: { id: "loc_1" } } }).then(({ data, error }) => {
  if (error || data?.object !== "location" || typeof isFlatpeakError !== "function") throw new Error(`CJS call failed: ${JSON.stringify(error)}`);
  console.log(`cjs: ${data.id}`);
});
