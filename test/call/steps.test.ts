/**
 * The pieces the per-call path is made of: the chain of steps, the error of a
 * stopped call, and how a plugin's parts are found, also from another copy of
 * the package.
 */
import { describe, expect, it } from "vitest";
import { chain, type Call, type Step } from "../../src/call/call.js";
import { OutgoingRequest } from "../../src/http/outgoing-request.js";
import { stoppedError } from "../../src/call/stopped.js";
import { FlatpeakError } from "../../src/errors/errors.js";
import { definePlugin, partsOf } from "../../src/client/plugin.js";

const call = (signal?: AbortSignal) => ({ method: "GET", operation: "GET /customers", signal, deadlineAt: Number.POSITIVE_INFINITY }) as unknown as Call;
const request = new OutgoingRequest("https://api.flatpeak.com/customers?connect_token=cot_secret");

describe("chain", () => {
  it("runs the steps given in order around the last one, and skips a step left out", async () => {
    const order: string[] = [];
    const step = (name: string): Step => async (req, c, next) => (order.push(name), next(req, c));
    const send = chain([step("first"), undefined, step("second")], async () => (order.push("last"), new Response("ok")));
    expect(await (await send(request, call())).text()).toBe("ok");
    expect(order).toEqual(["first", "second", "last"]);
  });
});

describe("stoppedError", () => {
  it("is the FlatpeakError the call's signal aborted with", () => {
    const reason = new FlatpeakError({ kind: "timeout", method: "GET", url: request.url, message: "deadline" });
    expect(stoppedError(request, call(AbortSignal.abort(reason)))).toBe(reason);
  });

  it("is an aborted error, path redacted, for a call without a signal or aborted by the caller", () => {
    for (const signal of [undefined, AbortSignal.abort()]) {
      const error = stoppedError(request, call(signal), "why");
      expect(error).toMatchObject({ kind: "aborted", message: "GET /customers?connect_token=*** was aborted", cause: "why" });
    }
  });
});

describe("partsOf", () => {
  it("finds the parts of a plugin, also one made by another copy of the package", () => {
    const parts = { queue: undefined };
    expect(partsOf(definePlugin("mine", parts))).toBe(parts);
    expect(partsOf({ name: "theirs", [Symbol.for("flatpeak-client.plugin")]: parts })).toBe(parts);
  });

  it("gives undefined for anything that is not a plugin", () => {
    for (const value of [null, undefined, {}, "callLimits", 1]) expect(partsOf(value)).toBeUndefined();
  });
});
