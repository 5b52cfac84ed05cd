/**
 * The bounded body readers of the webhook handler, on their own: the web
 * stream reader and the Node request reader stop at the cap, on the signal
 * and on a broken stream, and leave no listener behind.
 */
import { EventEmitter, getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { readCapped } from "../../src/webhooks/capped-body.js";
import { nodeRequestBody } from "../../src/webhooks/node-adapter.js";
import { FlatpeakWebhookError, isFlatpeakWebhookError } from "../../src/webhooks/index.js";
import { caught } from "../helpers/caught.js";
import { trackedStream } from "../helpers/deliveries.js";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("readCapped", () => {
  it("joins the chunks of a body up to the cap, and reads no body as empty", async () => {
    const { stream } = trackedStream([bytes(1, 2), bytes(3)]);
    expect(await readCapped(stream, "3", 3, "maxBodyBytes")).toEqual(bytes(1, 2, 3));
    expect(await readCapped(null, null, 3, "maxBodyBytes")).toEqual(new Uint8Array());
  });

  it("refuses a body one byte over the cap, by its length or as it streams, naming the limit", async () => {
    const tooLong = (await caught(readCapped(trackedStream([bytes(1, 2, 3, 4)]).stream, null, 3, "maxBodyBytes"))) as FlatpeakWebhookError;
    expect([tooLong.reason, tooLong.message]).toEqual(["body_too_large", "The body is larger than the 3 bytes allowed (maxBodyBytes)."]);
    const declared = trackedStream([bytes(1)]);
    expect(((await caught(readCapped(declared.stream, "4", 3, "the key set's limit"))) as Error).message).toBe("The body is larger than the 3 bytes allowed (the key set's limit).");
    expect(declared.pulled.chunks).toBe(0);
  });

  it("stops on the signal with body_timeout, cancels the stream and leaves no listener", async () => {
    const controller = new AbortController();
    const { stream, pulled } = trackedStream([bytes(1)], { endless: true });
    const reading = readCapped(stream, null, 100, "maxBodyBytes", controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = (await caught(reading)) as FlatpeakWebhookError;
    expect([error.reason, error.message]).toEqual(["body_timeout", "The body did not arrive within the handler's deadline (deadlineMs)."]);
    expect([pulled.cancelled, getEventListeners(controller.signal, "abort")]).toEqual([true, []]);
    const done = new AbortController();
    await readCapped(trackedStream([bytes(1)]).stream, null, 100, "maxBodyBytes", done.signal);
    expect(getEventListeners(done.signal, "abort")).toEqual([]);
  });

  it("turns a failing stream into body_unreadable, with the stream's error as cause", async () => {
    const broken = new ReadableStream({
      pull(controller) {
        controller.error(new Error("reset"));
      },
    });
    const error = (await caught(readCapped(broken, null, 100, "maxBodyBytes"))) as FlatpeakWebhookError;
    expect([error.reason, error.message, (error.cause as Error).message]).toEqual(["body_unreadable", "The body could not be read to its end; the sender went away or the stream failed.", "reset"]);
  });
});

describe("nodeRequestBody", () => {
  /** A Node-like request that emits what the test says. */
  function request(headers: Record<string, string> = {}, body?: unknown) {
    const paused: boolean[] = [];
    const req = Object.assign(new EventEmitter(), { headers, body, pause: () => paused.push(true) });
    return { req, paused, listeners: () => ["data", "end", "error", "close"].map((event) => req.listenerCount(event)) };
  }

  it("joins the chunks of a stream, and then stops listening", async () => {
    const { req, listeners } = request();
    const reading = nodeRequestBody(req, 3, new AbortController().signal);
    req.emit("data", bytes(1, 2));
    req.emit("data", bytes(3));
    req.emit("end");
    expect(await reading).toEqual(bytes(1, 2, 3));
    expect(listeners()).toEqual([0, 0, 0, 0]);
  });

  it("refuses the chunk that passes the cap, pauses the request and stops listening", async () => {
    const { req, paused, listeners } = request();
    const reading = nodeRequestBody(req, 3, new AbortController().signal);
    req.emit("data", bytes(1, 2));
    req.emit("data", bytes(3, 4));
    const error = (await caught(reading)) as FlatpeakWebhookError;
    expect([error.reason, error.message]).toEqual(["body_too_large", "The body is larger than the 3 bytes allowed (maxBodyBytes)."]);
    expect([paused, listeners()]).toEqual([[true], [0, 0, 0, 0]]);
  });

  it.each<[string, (req: EventEmitter) => void, string, unknown]>([
    ["the stream fails", (req) => req.emit("error", new Error("aborted")), "body_unreadable", "aborted"],
    ["the sender goes away", (req) => req.emit("close"), "body_unreadable", undefined],
  ])("fails with %s, and stops listening", async (_case, emit, reason, cause) => {
    const { req, listeners } = request();
    const reading = nodeRequestBody(req, 100, new AbortController().signal);
    req.emit("data", bytes(1));
    emit(req);
    const error = (await caught(reading)) as FlatpeakWebhookError;
    expect([error.reason, (error.cause as Error | undefined)?.message]).toEqual([reason, cause]);
    expect(listeners()).toEqual([0, 0, 0, 0]);
  });

  it("stops on the signal with body_timeout, and leaves no listener on it", async () => {
    const { req } = request();
    const controller = new AbortController();
    const reading = nodeRequestBody(req, 100, controller.signal);
    controller.abort();
    expect(isFlatpeakWebhookError(await caught(reading), "body_timeout")).toBe(true);
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
  });

  it("takes a declared length up to the cap, and refuses one past it before reading", async () => {
    const exact = request({ "content-length": "3" });
    const reading = nodeRequestBody(exact.req, 3, new AbortController().signal);
    exact.req.emit("data", bytes(1, 2, 3));
    exact.req.emit("end");
    expect(await reading).toEqual(bytes(1, 2, 3));
    const over = request({ "content-length": "4" });
    expect(((await caught(nodeRequestBody(over.req, 3, new AbortController().signal))) as Error).message).toBe("The body is larger than the 3 bytes allowed (maxBodyBytes).");
    expect(over.listeners()).toEqual([0, 0, 0, 0]);
  });

  it("takes what body middleware left, bytes or text, within the cap", async () => {
    expect(await nodeRequestBody(request({}, bytes(1, 2, 3)).req, 3, new AbortController().signal)).toEqual(bytes(1, 2, 3));
    expect(await nodeRequestBody(request({}, "abc").req, 3, new AbortController().signal)).toBe("abc");
    for (const body of [bytes(1, 2, 3, 4), "abcd"]) {
      expect(((await caught(nodeRequestBody(request({}, body).req, 3, new AbortController().signal))) as Error).message).toBe("The body is larger than the 3 bytes allowed (maxBodyBytes).");
    }
    const parsed = { id: "evt_1" };
    expect(await nodeRequestBody(request({}, parsed).req, 3, new AbortController().signal)).toBe(parsed);
  });
});

describe("isFlatpeakWebhookError", () => {
  it("recognises one, also from another copy of the package, optionally by reason", () => {
    const own = new FlatpeakWebhookError("stale", "old");
    const fromAnotherCopy = Object.assign(new Error("old"), { name: "FlatpeakWebhookError", reason: "stale" });
    expect([isFlatpeakWebhookError(own), isFlatpeakWebhookError(fromAnotherCopy), isFlatpeakWebhookError(own, "stale"), isFlatpeakWebhookError(fromAnotherCopy, "stale")]).toEqual([true, true, true, true]);
    expect(isFlatpeakWebhookError(own, "future")).toBe(false);
    expect(isFlatpeakWebhookError(fromAnotherCopy, "future")).toBe(false);
  });

  it.each([
    ["a plain error", new Error("x")],
    ["an error named so without a reason", Object.assign(new Error("x"), { name: "FlatpeakWebhookError" })],
    ["an error with a reason but another name", Object.assign(new Error("x"), { reason: "stale" })],
    ["an object that looks like one", { name: "FlatpeakWebhookError", reason: "stale" }],
    ["undefined", undefined],
  ])("refuses %s", (_case, value) => {
    expect(isFlatpeakWebhookError(value)).toBe(false);
  });
});
