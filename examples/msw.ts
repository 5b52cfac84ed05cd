/**
 * Testing with MSW instead of the in-process mock: MSW intercepts the global
 * fetch the client uses, and `FlatpeakPaths` types each handler's answer.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { createFlatpeakClient, type FlatpeakPaths } from "flatpeak-client";

/** The JSON body of one documented answer of an operation. */
type Answer<P extends keyof FlatpeakPaths, M extends keyof FlatpeakPaths[P], S extends number> = FlatpeakPaths[P][M] extends {
  responses: { [K in S]: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

const customer: Answer<"/customers/{id}", "get", 200> = {
  id: "cus_65e421d1daa4a24082b4f590",
  object: "customer",
  live_mode: false,
  reference_id: "CUS-42",
  time_created: "2024-01-01T00:00:00Z",
  account_id: "acc_1",
};
const notFound: Omit<Answer<"/customers/{id}", "get", 404>, "status"> = { object: "error", type: "invalid_request", code: "not_found", message: "No such customer" };

const server = setupServer(
  http.get("https://api.flatpeak.com/customers/:id", ({ params }) =>
    params.id === "cus_gone" ? HttpResponse.json(notFound, { status: 404 }) : HttpResponse.json({ ...customer, id: String(params.id) }),
  ),
);
server.listen({ onUnhandledRequest: "error" });
try {
  const flatpeak = createFlatpeakClient({ token: "test" });
  const found = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
  const missing = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_gone" } } });
  if (found.data?.reference_id !== "CUS-42" || missing.error?.code !== "not_found") throw new Error("the MSW handlers did not answer as expected");
  console.log(`MSW: ${found.data.id} found, cus_gone ${missing.error.code}`);
} finally {
  server.close();
}
