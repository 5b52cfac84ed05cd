// Bundled for the browser; reports the call's outcome on window.smokeResult.
import { createFlatpeakClient } from "flatpeak-client";

const baseUrl = new URL(location.href).searchParams.get("api") ?? undefined;
const flatpeak = createFlatpeakClient({ token: "browser-token", baseUrl });
flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }).then(
  ({ data, response }) => (window.smokeResult = { id: data?.id, status: response.status }),
  (error) => (window.smokeResult = { error: String(error) }),
);
