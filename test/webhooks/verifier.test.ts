import { describe, expect, it, onTestFinished, vi } from "vitest";
import { createTestEvent, createTestWebhookSigner, type TestWebhookSigner } from "../../src/testing/index.js";
import { FlatpeakWebhookError, createWebhookVerifier, isEventType, type WebhookHeaders } from "../../src/webhooks/index.js";
import { encodeBase64Url } from "../../src/shared/base64url.js";

const signer: TestWebhookSigner = await createTestWebhookSigner({ kid: "wsk_test_main" });
const verifier = createWebhookVerifier({ keys: signer.jwks });
const event = createTestEvent("tariff.expired");
const body = JSON.stringify(event);
const now = () => Math.floor(Date.now() / 1000);

async function refusal(promise: Promise<unknown>): Promise<FlatpeakWebhookError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FlatpeakWebhookError);
  return error as FlatpeakWebhookError;
}

/** A signature made with other RSA-PSS settings than Flatpeak's, by a key the verifier trusts. */
async function signWith(params: { hash: string; saltLength: number }, payload: string, timestamp: number) {
  const pair = await crypto.subtle.generateKey({ name: "RSA-PSS", hash: params.hash, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ["sign", "verify"]);
  const { alg: _alg, key_ops: _ops, ...exported } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const jwk: JsonWebKey = { ...exported, kid: "wsk_test_other" } as JsonWebKey;
  const signature = await crypto.subtle.sign({ name: "RSA-PSS", saltLength: params.saltLength }, pair.privateKey, new TextEncoder().encode(`${timestamp}.${payload}`));
  const headers = { "flatpeak-signature": `v1=${encodeBase64Url(new Uint8Array(signature))}`, "flatpeak-timestamp": String(timestamp), "flatpeak-key-id": "wsk_test_other" };
  return { headers, keys: [jwk] };
}

describe("verify", () => {
  it("round-trips a signed delivery into a typed event, from a string, bytes or an ArrayBuffer and any header form", async () => {
    const headers = await signer.sign(body);
    const bytes = new TextEncoder().encode(body);
    const lowerCase = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    for (const [raw, given] of [[body, headers], [bytes, new Headers(headers)], [bytes.buffer, lowerCase]] as Array<[string | Uint8Array | ArrayBuffer, WebhookHeaders]>) {
      const verified = await verifier.verify(raw, given);
      expect(verified).toEqual(event);
      expect(isEventType(verified, "tariff.expired") && verified.data.location_id).toBe(event.data.location_id);
    }
  });

  it("refuses a body with one byte flipped", async () => {
    const headers = await signer.sign(body);
    const bytes = new TextEncoder().encode(body);
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    expect((await refusal(verifier.verify(bytes, headers))).reason).toBe("bad_signature");
  });

  it("refuses a body with one added space, such as a re-serialised copy", async () => {
    const headers = await signer.sign(body);
    expect((await refusal(verifier.verify(body.replace(":", ": "), headers))).reason).toBe("bad_signature");
    expect((await refusal(verifier.verify(JSON.stringify(event, null, 2), headers))).reason).toBe("bad_signature");
  });

  it.each([
    ["stale", -301],
    ["future", 301],
  ])("refuses a %s timestamp beyond the tolerance, and accepts one just inside it", async (reason, offset) => {
    const outside = await signer.sign(body, { timestamp: now() + offset });
    expect((await refusal(verifier.verify(body, outside))).reason).toBe(reason);
    const inside = await signer.sign(body, { timestamp: now() + Math.sign(offset) * 290 });
    expect((await verifier.verify(body, inside)).id).toBe(event.id);
  });

  it("honours a custom tolerance", async () => {
    const strict = createWebhookVerifier({ keys: signer.jwks, toleranceSeconds: 10 });
    expect((await refusal(strict.verify(body, await signer.sign(body, { timestamp: now() - 60 })))).reason).toBe("stale");
  });

  it("accepts a signature made independently over the timestamp, a dot and the body, as Flatpeak signs", async () => {
    const { headers, keys } = await signWith({ hash: "SHA-256", saltLength: 32 }, body, now());
    expect((await createWebhookVerifier({ keys }).verify(body, headers)).id).toBe(event.id);
  });

  it.each([
    ["a salt length of 20", { hash: "SHA-256", saltLength: 20 }],
    ["SHA-384", { hash: "SHA-384", saltLength: 32 }],
  ])("refuses a signature made with %s", async (_name, params) => {
    const { headers, keys } = await signWith(params, body, now());
    const trusting = createWebhookVerifier({ keys: [...keys, ...signer.keys] });
    expect((await refusal(trusting.verify(body, headers))).reason).toBe("bad_signature");
  });

  it("accepts any valid one of several v1 signatures, for key rotation", async () => {
    const headers = await signer.sign(body);
    const rotated = { ...headers, "Flatpeak-Signature": `v1=${"A".repeat(342)}, ${headers["Flatpeak-Signature"]}` };
    expect((await verifier.verify(body, rotated)).id).toBe(event.id);
    const separate = new Headers(headers);
    separate.append("Flatpeak-Signature", "v1=AAAA");
    expect((await verifier.verify(body, separate)).id).toBe(event.id);
  });

  it("refuses unsigned deliveries unless allowed", async () => {
    const unsigned = { "Flatpeak-Signature": "none" };
    expect((await refusal(verifier.verify(body, unsigned))).reason).toBe("unsigned");
    expect((await createWebhookVerifier({ keys: signer.jwks, allowUnsigned: true }).verify(body, unsigned)).id).toBe(event.id);
  });

  const noHeader = (name: string) => `The delivery has no ${name} header. Pass all request headers, as a Headers or a plain object.`;
  it.each<[string, (headers: Record<string, string>) => Record<string, string | string[]>, string, string]>([
    ["no signature header", ({ "Flatpeak-Signature": _, ...rest }) => rest, "missing_header", noHeader("Flatpeak-Signature")],
    ["an empty signature header", (headers) => ({ ...headers, "Flatpeak-Signature": " " }), "missing_header", noHeader("Flatpeak-Signature")],
    ["no timestamp", ({ "Flatpeak-Timestamp": _, ...rest }) => rest, "missing_header", noHeader("Flatpeak-Timestamp")],
    ["an empty timestamp", (headers) => ({ ...headers, "Flatpeak-Timestamp": " " }), "missing_header", noHeader("Flatpeak-Timestamp")],
    ["a timestamp that is not a number", (headers) => ({ ...headers, "Flatpeak-Timestamp": "yesterday" }), "missing_header", "Flatpeak-Timestamp is not a Unix time in seconds."],
    ["two different timestamps", (headers) => ({ ...headers, "Flatpeak-Timestamp": [headers["Flatpeak-Timestamp"] ?? "", "1"] }), "missing_header", "Flatpeak-Timestamp is not a Unix time in seconds."],
    ["no key id", ({ "Flatpeak-Key-ID": _, ...rest }) => rest, "missing_header", noHeader("Flatpeak-Key-ID")],
    ["an empty key id", (headers) => ({ ...headers, "Flatpeak-Key-ID": " " }), "missing_header", noHeader("Flatpeak-Key-ID")],
    ["a signature that is not base64url", (headers) => ({ ...headers, "Flatpeak-Signature": "v1=***" }), "missing_header", "Flatpeak-Signature holds a v1= value that is not base64url."],
    ["an empty v1 signature", (headers) => ({ ...headers, "Flatpeak-Signature": "v1=" }), "missing_header", "Flatpeak-Signature holds a v1= value that is not base64url."],
    ["only a v2 signature", (headers) => ({ ...headers, "Flatpeak-Signature": "v2=AAAA" }), "unknown_scheme", "Flatpeak-Signature holds no v1= signature."],
    ["another scheme", (headers) => ({ ...headers, "Flatpeak-Signature-Scheme": "v2" }), "unknown_scheme", 'Flatpeak-Signature-Scheme "v2" is not one this package verifies (v1).'],
    ["a long scheme, quoted in part", (headers) => ({ ...headers, "Flatpeak-Signature-Scheme": "x".repeat(40) }), "unknown_scheme", `Flatpeak-Signature-Scheme "${"x".repeat(16)}" is not one this package verifies (v1).`],
    ["an unknown key id", (headers) => ({ ...headers, "Flatpeak-Key-ID": "wsk_test_forged" }), "unknown_key", ""],
  ])("refuses %s, saying what is wrong", async (_name, change, reason, message) => {
    const headers = change(await signer.sign(body));
    const error = await refusal(verifier.verify(body, headers));
    expect(error.reason).toBe(reason);
    if (message) expect(error.message).toBe(message);
  });

  it("accepts a v1 signature with base64 padding, and refuses one with characters after the padding", async () => {
    const headers = await signer.sign(body);
    const unpadded = headers["Flatpeak-Signature"] ?? "";
    expect(unpadded).toMatch(/^v1=[A-Za-z0-9_-]+$/);
    const padding = "=".repeat((4 - ((unpadded.length - 3) % 4)) % 4 || 2);
    expect((await verifier.verify(body, { ...headers, "Flatpeak-Signature": `${unpadded}${padding}` })).id).toBe(event.id);
    const midPadded = `${unpadded.slice(0, 10)}=${unpadded.slice(10)}`;
    expect((await refusal(verifier.verify(body, { ...headers, "Flatpeak-Signature": midPadded }))).reason).toBe("missing_header");
    const oneTooMany = `${unpadded.slice(0, 3)}${"A".repeat(4 * 86 + 1)}`;
    expect((await refusal(verifier.verify(body, { ...headers, "Flatpeak-Signature": oneTooMany }))).message).toBe("Flatpeak-Signature holds a v1= value that is not base64url.");
  });

  it.each([
    ["a JSON string", '"evt_1"'],
    ["JSON null", "null"],
    ["an id that is a number", JSON.stringify({ id: 1, object: "event", type: "tariff.expired", data: {} })],
    ["another object", JSON.stringify({ id: "evt_1", object: "list", type: "tariff.expired", data: {} })],
    ["a type that is not a string", JSON.stringify({ id: "evt_1", object: "event", type: 7, data: {} })],
    ["data that is not an object", JSON.stringify({ id: "evt_1", object: "event", type: "tariff.expired", data: "x" })],
    ["null data", JSON.stringify({ id: "evt_1", object: "event", type: "tariff.expired", data: null })],
    ["data that is an array", JSON.stringify({ id: "evt_1", object: "event", type: "tariff.expired", data: [] })],
  ])("refuses a signed body that is %s as invalid_payload", async (_name, payload) => {
    expect((await refusal(verifier.verify(payload, await signer.sign(payload)))).reason).toBe("invalid_payload");
  });

  it("narrows with isEventType only to the event's own type", () => {
    expect([isEventType(event, "tariff.expired"), isEventType(event, "tariff.created" as never)]).toEqual([true, false]);
  });

  it("says what is wrong with a signature that does not match, an unsigned delivery and a body that is not an event", async () => {
    const flipped = await refusal(verifier.verify(`${body} `, await signer.sign(body)));
    expect(flipped.message).toBe("No Flatpeak-Signature matches the body received. Pass the exact bytes of the request body, not a re-serialised copy.");
    const unsigned = await refusal(verifier.verify(body, { "Flatpeak-Signature": "None" }));
    expect([unsigned.reason, unsigned.message]).toEqual(["unsigned", "The delivery is unsigned (Flatpeak-Signature: none). Reject it in production; pass allowUnsigned: true only while signing is unavailable to you."]);
    const notEvent = await refusal(verifier.verify("[]", await signer.sign("[]")));
    expect(notEvent.message).toBe('The signed body is not a Flatpeak event (JSON with id, object: "event", type and data).');
  });

  it("reads every header with the whitespace around its value removed", async () => {
    const headers = await signer.sign(body);
    const padded = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, ` ${value}\t`]));
    expect((await verifier.verify(body, padded)).id).toBe(event.id);
  });

  it("says how old or how early a refused delivery is", async () => {
    const stale = await refusal(verifier.verify(body, await signer.sign(body, { timestamp: now() - 400 })));
    expect(stale.message).toMatch(/^The delivery was signed 40[01] s ago, more than the tolerance allows; it may be a replay\.$/);
    const future = await refusal(verifier.verify(body, await signer.sign(body, { timestamp: now() + 400 })));
    expect(future.message).toMatch(/^The delivery is signed (399|400) s in the future, more than the tolerance allows; check this machine's clock\.$/);
  });

  it("accepts a delivery exactly at the tolerance on either side", async () => {
    const signedAt = now();
    const [earlier, later] = [await signer.sign(body, { timestamp: signedAt - 300 }), await signer.sign(body, { timestamp: signedAt + 300 })];
    vi.useFakeTimers({ toFake: ["Date"], now: signedAt * 1000 });
    try {
      expect((await verifier.verify(body, earlier)).id).toBe(event.id);
      expect((await verifier.verify(body, later)).id).toBe(event.id);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each<[string, unknown]>([
    ["toleranceSeconds", -1],
    ["toleranceSeconds", Number.NaN],
    ["toleranceSeconds", Number.POSITIVE_INFINITY],
    ["toleranceSeconds", "300"],
    ["jwksTimeoutMs", -5],
    ["jwksCooldownMs", Number.NaN],
  ])("refuses %s = %j when it is created, naming the option", (name, value) => {
    expect(() => createWebhookVerifier({ [name]: value })).toThrow(new TypeError(`createWebhookVerifier: ${name} must be a number of 0 or more, got ${String(value)}.`));
  });

  it("accepts a tolerance of 0 seconds", async () => {
    const signedAt = now();
    const headers = await signer.sign(body, { timestamp: signedAt });
    vi.useFakeTimers({ toFake: ["Date"], now: signedAt * 1000 });
    try {
      expect((await createWebhookVerifier({ keys: signer.jwks, toleranceSeconds: 0 }).verify(body, headers)).id).toBe(event.id);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a parsed body with a message on how to get the raw one", async () => {
    const error = await refusal(verifier.verify(event as unknown as string, await signer.sign(body)));
    expect(error.reason).toBe("not_raw_body");
    expect(error.message).toMatch(/^The webhook body is of type object, parsed already, so the bytes Flatpeak signed are lost\. Pass the raw body exactly as received/);
    expect((await refusal(verifier.verify(42 as unknown as string, await signer.sign(body)))).message).toMatch(/^The webhook body is of type number, so/);
    expect((await refusal(verifier.verify(null as unknown as string, await signer.sign(body)))).message).toMatch(/^The webhook body is null, so/);
    expect(error.message).toMatch(/express\.raw/);
    expect(error.message).toMatch(/request\.text\(\)/);
    expect(error.message).toMatch(/c\.req\.text\(\)/);
  });

  it("refuses a signed body that is not a Flatpeak event", async () => {
    for (const payload of ["not json", "[]", JSON.stringify({ id: "evt_1", object: "list", type: "x", data: {} })]) {
      expect((await refusal(verifier.verify(payload, await signer.sign(payload)))).reason).toBe("invalid_payload");
    }
  });

  it("delivers an event of a type added later, as an unknown event", async () => {
    const later = JSON.stringify({ id: "evt_later", object: "event", type: "battery.update", data: { id: "bat_1" } });
    expect((await verifier.verify(later, await signer.sign(later))).type).toBe("battery.update");
  });

  it("verifies a 10 MB body", async () => {
    const big = JSON.stringify({ ...event, data: { ...event.data, padding: "x".repeat(10 * 1024 * 1024) } });
    expect((await verifier.verify(big, await signer.sign(big))).id).toBe(event.id);
  });

  it("never puts the body or key material in an error", async () => {
    const secretBody = JSON.stringify({ ...event, data: { ...event.data, note: "SECRET_PAYLOAD" } });
    const headers = await signer.sign(body);
    const errors = [await refusal(verifier.verify(secretBody, headers)), await refusal(verifier.verify("SECRET_PAYLOAD", await signer.sign("SECRET_PAYLOAD")))];
    for (const error of errors) {
      const text = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
      expect(text).not.toContain("SECRET_PAYLOAD");
      expect(text).not.toContain(signer.keys[0]?.n ?? "-");
      expect(text).not.toContain(headers["Flatpeak-Signature"]?.slice(3, 40) ?? "-");
    }
  });
});


describe("bounded verification work", () => {
  /** Counts crypto.subtle.verify calls, the most at once, and the signed bytes each got. */
  function watchVerify() {
    const seen = { calls: 0, concurrent: 0, mostConcurrent: 0, data: new Set<unknown>() };
    const original = crypto.subtle.verify.bind(crypto.subtle);
    const spy = vi.spyOn(crypto.subtle, "verify").mockImplementation(async (...args: Parameters<SubtleCrypto["verify"]>) => {
      seen.calls++;
      seen.data.add(args[3]);
      seen.mostConcurrent = Math.max(seen.mostConcurrent, ++seen.concurrent);
      try {
        return await original(...args);
      } finally {
        seen.concurrent--;
      }
    });
    onTestFinished(() => spy.mockRestore());
    return seen;
  }

  const bogus = () => `v1=${encodeBase64Url(crypto.getRandomValues(new Uint8Array(256)))}`;

  it("refuses more than four v1= signatures without checking any", async () => {
    const seen = watchVerify();
    const headers = await signer.sign(body);
    const many = { ...headers, "Flatpeak-Signature": [...Array.from({ length: 499 }, bogus), headers["Flatpeak-Signature"]].join(", ") };
    const error = await refusal(verifier.verify(body, many));
    expect([error.reason, error.message]).toEqual(["missing_header", "Flatpeak-Signature holds 500 v1= signatures; a delivery carries at most 4 (one per signing key in rotation)."]);
    expect(seen.calls).toBe(0);
  });

  it("checks up to four signatures of a 10 MB body one at a time, over one copy of the signed bytes", async () => {
    const big = JSON.stringify({ ...event, data: { ...event.data, padding: "x".repeat(10 * 1024 * 1024) } });
    const headers = await signer.sign(big);
    const seen = watchVerify();
    const four = { ...headers, "Flatpeak-Signature": [bogus(), bogus(), bogus(), headers["Flatpeak-Signature"]].join(", ") };
    expect((await verifier.verify(big, four)).id).toBe(event.id);
    expect([seen.calls, seen.mostConcurrent, seen.data.size]).toEqual([4, 1, 1]);
    seen.calls = 0;
    expect((await refusal(verifier.verify(big, { ...headers, "Flatpeak-Signature": [bogus(), bogus(), bogus(), bogus()].join(", ") }))).reason).toBe("bad_signature");
    expect([seen.calls, seen.mostConcurrent]).toEqual([4, 1]);
  });

  it("stops at the first signature that matches", async () => {
    const headers = await signer.sign(body);
    const seen = watchVerify();
    await verifier.verify(body, { ...headers, "Flatpeak-Signature": `${headers["Flatpeak-Signature"]}, ${bogus()}, ${bogus()}` });
    expect(seen.calls).toBe(1);
  });

  it("does not check a signature whose length is not the key's", async () => {
    const headers = await signer.sign(body);
    const seen = watchVerify();
    const short = `v1=${encodeBase64Url(new Uint8Array(255))}`;
    const long = `v1=${encodeBase64Url(new Uint8Array(257))}`;
    expect((await refusal(verifier.verify(body, { ...headers, "Flatpeak-Signature": `${short}, ${long}` }))).reason).toBe("bad_signature");
    expect(seen.calls).toBe(0);
  });
});

describe("checkHeaders", () => {
  it("refuses a stale or forged delivery from its headers alone, before any body", async () => {
    const stale = await signer.sign(body, { timestamp: now() - 3_600 });
    expect((await refusal(verifier.checkHeaders(stale))).reason).toBe("stale");
    expect((await refusal(verifier.checkHeaders({ ...(await signer.sign(body)), "Flatpeak-Key-ID": "wsk_forged" }))).reason).toBe("unknown_key");
    expect((await refusal(verifier.checkHeaders({}))).reason).toBe("missing_header");
  });

  it("verifies the body afterwards, as verify does", async () => {
    const delivery = await verifier.checkHeaders(await signer.sign(body));
    expect((await delivery.verifyBody(new TextEncoder().encode(body))).id).toBe(event.id);
    expect((await refusal(delivery.verifyBody(`${body} `))).reason).toBe("bad_signature");
    expect((await refusal(delivery.verifyBody({} as never))).reason).toBe("not_raw_body");
  });

  it("passes an unsigned delivery's body through only when unsigned ones are allowed", async () => {
    expect((await refusal(verifier.checkHeaders({ "Flatpeak-Signature": "none" }))).reason).toBe("unsigned");
    const lenient = createWebhookVerifier({ keys: signer.jwks, allowUnsigned: true });
    const delivery = await lenient.checkHeaders({ "Flatpeak-Signature": "none" });
    expect((await delivery.verifyBody(body)).id).toBe(event.id);
    expect((await refusal(delivery.verifyBody("[]"))).reason).toBe("invalid_payload");
  });
});
