/**
 * What a middleware sees and may do: the response it gets in `onResponse`
 * behaves like a fetch `Response` (one read, clones, streams, blobs), and a
 * response it puts in place reaches the caller.
 */
import { describe, expect, it } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";

const customer = { id: "cus_1", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" };

function answering(response: () => Response) {
  return createFlatpeakClient({ token: "t", fetch: async () => response(), maxRetries: 0 });
}

/** Runs `inspect` on the response the middleware sees, and returns what it gave back. */
async function inMiddleware<T>(answer: () => Response, inspect: (response: Response) => Promise<T>, call: "GET" | "DELETE" = "GET"): Promise<T> {
  const flatpeak = answering(answer);
  let seen!: Promise<T>;
  flatpeak.use({
    onResponse({ response }) {
      seen = inspect(response);
      return new Response(JSON.stringify(customer), { status: response.status === 204 ? 200 : response.status, headers: { "content-type": "application/json" } });
    },
  });
  if (call === "GET") await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
  else await flatpeak.DELETE("/customers/{id}", { params: { path: { id: "cus_1" } } });
  return seen;
}

const jsonAnswer = () => new Response(JSON.stringify(customer), { status: 200, statusText: "Fine", headers: { "content-type": "application/json", "x-trace": "t1" } });

describe("the response a middleware sees", () => {
  it("reads once, like fetch: bodyUsed turns true and a second read or a clone is refused", async () => {
    const outcome = await inMiddleware(jsonAnswer, async (response) => {
      const before = response.bodyUsed;
      const text = await response.text();
      const again = await response.json().catch((error: unknown) => error);
      const clone = (() => {
        try {
          return response.clone();
        } catch (error) {
          return error;
        }
      })();
      return { before, after: response.bodyUsed, text, again, clone };
    });
    expect(outcome.before).toBe(false);
    expect(outcome.after).toBe(true);
    expect(JSON.parse(outcome.text)).toEqual(customer);
    for (const refusal of [outcome.again, outcome.clone]) {
      expect(refusal).toBeInstanceOf(TypeError);
      expect((refusal as Error).message).toBe("Body already read.");
    }
  });

  it("clones with its status, status text, headers and body, and can still be read after", async () => {
    const outcome = await inMiddleware(jsonAnswer, async (response) => {
      const clone = response.clone();
      return { status: clone.status, statusText: clone.statusText, trace: clone.headers.get("x-trace"), cloned: await clone.json(), own: await response.json() };
    });
    expect(outcome).toEqual({ status: 200, statusText: "Fine", trace: "t1", cloned: customer, own: customer });
  });

  it("gives its bytes as an ArrayBuffer, a typed Blob and a stream", async () => {
    const expected = new TextEncoder().encode(JSON.stringify(customer));
    const bytes = await inMiddleware(jsonAnswer, async (response) => new Uint8Array(await response.arrayBuffer()));
    const blob = await inMiddleware(jsonAnswer, (response) => response.blob());
    const streamed = await inMiddleware(jsonAnswer, (response) => new Response(response.body).arrayBuffer());
    expect(bytes).toEqual(expected);
    expect([blob.type, new Uint8Array(await blob.arrayBuffer())]).toEqual(["application/json", expected]);
    expect(new Uint8Array(streamed)).toEqual(expected);
  });

  it("has no body for a 204 answer: null stream, empty text, empty untyped blob", async () => {
    const empty = () => new Response(null, { status: 204 });
    expect(await inMiddleware(empty, async (response) => response.body, "DELETE")).toBeNull();
    expect(await inMiddleware(empty, (response) => response.text(), "DELETE")).toBe("");
    const blob = await inMiddleware(empty, (response) => response.blob(), "DELETE");
    expect([blob.size, blob.type]).toEqual([0, ""]);
    expect((await inMiddleware(empty, (response) => response.arrayBuffer(), "DELETE")).byteLength).toBe(0);
  });
});

describe("a response a middleware puts in place", () => {
  it("reaches the caller, parsed", async () => {
    const flatpeak = answering(() => new Response("not the answer", { status: 200 }));
    flatpeak.use({ onResponse: () => new Response(JSON.stringify({ ...customer, id: "cus_replaced" }), { status: 200, headers: { "content-type": "application/json" } }) });
    const { data, error } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect([data?.id, error]).toEqual(["cus_replaced", undefined]);
  });

  it("passes on a body it puts in place that is not JSON as the SyntaxError it is", async () => {
    const flatpeak = answering(() => Response.json(customer));
    flatpeak.use({ onResponse: () => new Response("not json", { status: 200, headers: { "content-type": "application/json" } }) });
    await expect(flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } })).rejects.toBeInstanceOf(SyntaxError);
  });
});

describe("an error a middleware throws", () => {
  it.each<[string, "onRequest" | "onResponse", Error]>([
    ["a SyntaxError before the request is sent", "onRequest", new SyntaxError("bad template")],
    ["an Error after an answer that is not JSON", "onResponse", new Error("middleware failed")],
  ])("reaches the caller as it is: %s", async (_name, hook, thrown) => {
    const flatpeak = answering(() => new Response("<html>", { status: 200, headers: { "content-type": "application/json" } }));
    const fail = () => {
      throw thrown;
    };
    flatpeak.use(hook === "onRequest" ? { onRequest: fail } : { onResponse: fail });
    await expect(flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } })).rejects.toBe(thrown);
  });
});

describe("an answer the client read", () => {
  it("that is a 2xx and not JSON rejects with invalid_response, saying so", async () => {
    const failure = await answering(() => new Response("<html>", { status: 200, headers: { "content-type": "application/json" } }))
      .GET("/customers/{id}", { params: { path: { id: "cus_1" } } })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response", method: "GET", url: "/customers/cus_1", message: "GET /customers/{id} answered 200 with a body that is not valid JSON" });
    expect((failure as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it.each([400, 404, 500])("to HEAD with %i has a typed error, though it has no body", async (status) => {
    const flatpeak = answering(() => new Response(null, { status, statusText: "Nope" }));
    const head = flatpeak.HEAD as unknown as (path: string) => Promise<{ error?: unknown; response: Response }>;
    const { error } = await head("/customers");
    expect(error).toMatchObject({ status, message: `HTTP ${status} Nope` });
  });
});

describe("per-call options", () => {
  it("refuses a fetch that is not a function, naming the call", async () => {
    const flatpeak = answering(() => Response.json(customer));
    await expect(flatpeak.GET("/customers", { fetch: "fetch" as unknown as typeof fetch })).rejects.toThrow(
      new TypeError("GET /customers: fetch must be a function."),
    );
  });

  it("names client.request's method in capitals when it refuses a parameter", async () => {
    const flatpeak = answering(() => Response.json(customer));
    await expect(flatpeak.request("get", "/customers/{id}", { params: { path: { id: ".." } } })).rejects.toThrow(/^GET \/customers\/\{id\}: /);
  });
});

describe("a body given as a stream", () => {
  it("is read once and sent again on a retry", async () => {
    const bodies: string[] = [];
    const flatpeak = createFlatpeakClient({
      token: "t",
      fetch: async (request: Request) => {
        bodies.push(await request.text());
        return bodies.length === 1 ? new Response(null, { status: 503, headers: { "retry-after": "0" } }) : Response.json({ id: "bat_1", object: "meter_batch" });
      },
    });
    const json = JSON.stringify([{ location_id: "loc_1", units: "WH", value: 5, start_time: "2024-01-01T00:00:00Z", end_time: "2024-01-01T00:30:00Z" }]);
    const stream = () => new Blob([json]).stream();
    const init = { body: [], bodySerializer: stream, duplex: "half" as const };
    const { data } = await flatpeak.PUT("/meters/interval", init);
    expect(data?.id).toBe("bat_1");
    expect(bodies).toEqual([json, json]);
  });
});
