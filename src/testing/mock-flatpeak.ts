import { defaultCode, defaultType, type FlatpeakErrorCodes, type UnprocessableCode } from "../errors/error-body.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import { createMockMemory } from "./answer-context.js";
import { DEFAULT_ANSWERS } from "./default-answers.js";
import { basePathOf, findRoute, nearestOperation, type MockRoute } from "./mock-routes.js";
import { fault, invalid, isFault, notFound, parseBody, queryOf, respond, typedQuery, type Answer, type Query } from "./mock-answers.js";
import type { MockCall, MockFault, MockHandler, MockHandlers, MockOnce, MockOperationKey, MockRequest } from "./mock-types.js";

/**
 * Options of {@link createMockFlatpeak}.
 *
 * @example
 * const options: MockFlatpeakOptions = { tokenLifetimeSeconds: 60, handlers: { "GET /customers": () => ({ status: 200, body: emptyList }) } };
 */
export interface MockFlatpeakOptions {
  /** Handlers to start with; every other operation answers its documented example. */
  handlers?: MockHandlers | undefined;
  /** `expires_in` of the tokens `GET /login` hands out; default 3600. */
  tokenLifetimeSeconds?: number | undefined;
}

const MOCK_KEYS: EveryKey<MockFlatpeakOptions> = { handlers: true, tokenLifetimeSeconds: true };

/**
 * A Flatpeak error answer, for handlers: `mock.error(404)`, `mock.error(422, "pending_connect")`.
 *
 * @example
 * const answer: MockErrorAnswer<404> = mock.error(404);
 */
export type MockErrorAnswer<S extends number> = {
  status: S;
  body: {
    object: "error";
    type: S extends 409 ? "conflict" : S extends 429 ? "rate_limit" : S extends 500 | 502 | 503 | 504 ? "api_error" : "invalid_request";
    code: S extends keyof FlatpeakErrorCodes ? FlatpeakErrorCodes[S] : string;
    message: string;
    live_mode: boolean;
    time_created: string;
  };
};

/**
 * An in-process, typed mock of the whole Flatpeak API. Pass `mock.fetch` as
 * the client's `fetch`.
 *
 * @example
 * const mock = createMockFlatpeak();
 * const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
 */
export interface MockFlatpeak {
  /** The `fetch` to give the client: it answers every request in-process. */
  fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Every request received, in order, the logins included. */
  readonly calls: readonly MockCall[];
  /** Answers every later call of `operation` with `handler`. */
  on<K extends MockOperationKey>(operation: K, handler: NoInfer<MockHandler<K>>): MockFlatpeak;
  /** Answers the next `times` calls of `operation` (default 1) with `answer`, before any `on` handler. */
  once<K extends MockOperationKey>(operation: K, answer: NoInfer<MockOnce<K>>, times?: number): MockFlatpeak;
  /** A Flatpeak error body for `status`; 422 needs its code. */
  error<S extends number>(status: S, ...code: S extends 422 ? [code: UnprocessableCode] : [code?: string]): MockErrorAnswer<S>;
  /** Failures any operation can meet, for testing retries and error paths. */
  readonly faults: {
    /** The connection fails. */
    network(): MockFault;
    /** No answer comes until the request is aborted. */
    timeout(): MockFault;
    /** 429 `rate_limit` with `Retry-After: seconds` (default 1). */
    rateLimit(seconds?: number): MockFault;
    /** A 5xx answer (default 503), as Flatpeak or a gateway gives it. */
    serverError(status?: 500 | 502 | 503 | 504): MockFault;
  };
  /** Makes every token handed out or seen so far invalid: the next call with one gets 403 `access_denied`. */
  expireTokens(): void;
  /** Forgets calls, `once` answers, expired tokens and `on` handlers (back to the options' handlers). */
  reset(): void;
}

const PUBLIC_OPERATIONS = new Set(["GET /login", "GET /jwks.json"]);

/**
 * Creates a {@link MockFlatpeak}. Every operation answers its documented
 * example unless a handler says otherwise; `GET /login` hands out tokens; a
 * request the API would refuse (unknown path, missing required parameter,
 * missing or non-JSON body, missing or expired token) is refused the same way.
 *
 * @example
 * import { createMockFlatpeak } from "flatpeak-client/testing";
 *
 * const mock = createMockFlatpeak().on("GET /customers/{id}", ({ params }) =>
 *   params.path.id === "cus_gone" ? mock.error(404) : { status: 200, body: { ...customer, id: params.path.id } },
 * );
 * const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
 */
export function createMockFlatpeak(options: MockFlatpeakOptions = {}): MockFlatpeak {
  checkKeys("createMockFlatpeak", options, MOCK_KEYS);
  let handlers = new Map<string, MockHandler<never>>(Object.entries(options.handlers ?? {}) as Array<[string, MockHandler<never>]>);
  const queued = new Map<string, Array<MockHandler<never>>>();
  const calls: MockCall[] = [];
  const seenTokens = new Set<string>();
  const expired = new Set<string>();
  let memory = createMockMemory();
  let issued = 0;

  async function answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const found = findRoute(request.method, url.pathname);
    if (found === "malformed") return respond(invalid("The path has a malformed percent-escape."));
    if (!found) return unknownOperation(request.method, url.pathname);
    const { route, params } = found;
    const query = typedQuery(route, queryOf(url));
    if (typeof query === "string") return respond(invalid(query));
    const text = await request.text();
    const body = parseBody(text);
    calls.push({ operation: route.key, method: request.method, url: `${url.pathname}${url.search}`, params: { path: params, query }, body: body.value } as MockCall);
    const refusal = refuse(route, request, query, text, body.ok);
    if (refusal) return refusal;
    const handler = queued.get(route.key)?.shift() ?? handlers.get(route.key);
    if (!handler) return respond(route.key === "GET /login" ? newToken() : defaultAnswer(route, params, query, body.value));
    const result = await (handler as unknown as (input: MockRequest<MockOperationKey>) => unknown)({ params: { path: params, query } as never, body: body.value as never, request });
    return isFault(result) ? fault(result, request) : respond(result as Answer);
  }

  /**
   * A path under a base path is answered 404, as the API would, naming the
   * base path; any other unknown operation fails loudly, naming the nearest.
   */
  function unknownOperation(method: string, path: string): Response {
    const based = basePathOf(method, path);
    const shown = `${method} ${path.slice(0, 200)}`;
    if (based) return respond(notFound(`flatpeak-client/testing: ${shown} has a path before the API's own, ${based.operation}: the client's baseUrl ends in ${based.basePath.slice(0, 100)}; give it a baseUrl without a path, such as https://api.flatpeak.com.`));
    throw new Error(`flatpeak-client/testing: the Flatpeak API has no operation ${shown}; the nearest is ${nearestOperation(method, path)}.`);
  }

  /** The documented example, or for the operations whose flows it would stop, an answer built from the request. */
  function defaultAnswer(route: MockRoute, path: Record<string, string>, query: Query, body: unknown): Answer {
    const example = structuredClone(route.body);
    const build = DEFAULT_ANSWERS[route.key];
    return { status: route.status, body: build === undefined ? example : build({ path, query, body, example, memory }) };
  }

  function newToken(): Answer {
    return { status: 200, body: { bearer_token: `mock_token_${++issued}`, expires_in: options.tokenLifetimeSeconds ?? 3600, live_mode: false } };
  }

  function refuse(route: MockRoute, request: Request, query: Query, text: string, parsed: boolean): Response | undefined {
    if (!PUBLIC_OPERATIONS.has(route.key)) {
      const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
      if (token !== undefined) seenTokens.add(token);
      if (token === undefined || expired.has(token)) return respond(mock.error(403, "access_denied"));
    } else if (route.key === "GET /login" && !/^Basic /.test(request.headers.get("authorization") ?? "")) {
      return respond(mock.error(403, "access_denied"));
    }
    const missing = route.requiredQuery.find((name) => query[name] === undefined);
    if (missing) return respond(invalid(`Query parameter ${missing} is required.`));
    if (route.requestBody === "required" && text === "") return respond(invalid("A JSON request body is required."));
    if (!parsed) return respond(invalid("The request body is not valid JSON."));
    return undefined;
  }

  const mock: MockFlatpeak = {
    fetch: (input, init) => answer(new Request(input, init)),
    calls,
    on(operation, handler) {
      handlers.set(operation, handler as MockHandler<never>);
      return mock;
    },
    once(operation, given, times = 1) {
      const handler = (typeof given === "function" ? given : () => given) as MockHandler<never>;
      queued.set(operation, [...(queued.get(operation) ?? []), ...Array.from({ length: times }, () => handler)]);
      return mock;
    },
    error(status, ...code) {
      const body = { object: "error" as const, type: defaultType(status), code: code[0] ?? defaultCode(status), message: `Mock answer ${status}`, live_mode: false, time_created: new Date().toISOString() };
      return { status, body } as MockErrorAnswer<typeof status>;
    },
    faults: {
      network: () => ({ fault: "network" }),
      // Stryker disable next-line StringLiteral: any fault other than an answer or a network failure never answers
      timeout: () => ({ fault: "timeout" }),
      rateLimit: (seconds = 1) => ({ fault: "answer", ...mock.error(429), headers: { "Retry-After": String(seconds) } }),
      serverError: (status = 503) => ({ fault: "answer", ...mock.error(status) }),
    },
    expireTokens() {
      for (const token of seenTokens) expired.add(token);
      for (let n = 1; n <= issued; n++) expired.add(`mock_token_${n}`);
    },
    reset() {
      handlers = new Map(Object.entries(options.handlers ?? {}) as Array<[string, MockHandler<never>]>);
      queued.clear();
      calls.length = 0;
      expired.clear();
      memory = createMockMemory();
    },
  };
  return mock;
}
