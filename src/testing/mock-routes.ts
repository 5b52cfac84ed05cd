import { MOCK_OPERATIONS, type MockOperation } from "../../generated/mock-answers.js";

/**
 * One operation the mock serves, with the pattern of its path.
 *
 * @example
 * const route = findRoute("GET", "/customers/cus_1");
 */
export interface MockRoute extends MockOperation {
  key: string;
  method: string;
  template: string;
  pattern: RegExp;
}

const ROUTES: MockRoute[] = Object.entries(MOCK_OPERATIONS).map(([key, operation]) => {
  // Stryker disable next-line StringLiteral: every key is a method and a path, so the defaults are never used
  const [method = "", template = ""] = key.split(" ");
  const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "([^/]+)");
  return { ...operation, key, method, template, pattern: new RegExp(`^${source}$`) };
});

/**
 * The operation a request is for, with its path parameters; `undefined` when
 * no operation has that method and path, `"malformed"` when one has but a
 * parameter holds a percent-escape that decodes to nothing.
 *
 * @example
 * findRoute("PATCH", "/customers/cus_1"); // { route, params: { id: "cus_1" } }
 * findRoute("GET", "/customers/%E0%A4%A"); // "malformed"
 */
export function findRoute(method: string, path: string): { route: MockRoute; params: Record<string, string> } | "malformed" | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    try {
      // Stryker disable next-line StringLiteral: the pattern has a group for every path parameter, so the fallback is never used
      const params = Object.fromEntries(route.pathParams.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]));
      return { route, params };
    } catch {
      return "malformed";
    }
  }
  return undefined;
}

/** A step in the path weighs more than the whole distance between two methods, so the path counts first. */
const PATH_WEIGHT = 8;
/** How much of a path is compared: enough to tell any two operations apart, and a bound on the work for a path of any length. */
const COMPARED_LENGTH = 64;

/**
 * The documented operation closest to a method and path, for the message of
 * a request the mock does not know: the nearest path, then the nearest method.
 *
 * @example
 * nearestOperation("GET", "/customer"); // "GET /customers"
 * nearestOperation("GET", "/prices"); // "POST /prices/{id}"
 */
export function nearestOperation(method: string, path: string): string {
  // Stryker disable next-line all: every route is nearer than the starting distance, so this first guess is always replaced
  let best = ROUTES[0]?.key ?? "";
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const route of ROUTES) {
    const distance = editDistance(path.slice(0, COMPARED_LENGTH), filledIn(route.template, path).slice(0, COMPARED_LENGTH)) * PATH_WEIGHT + editDistance(method, route.method);
    if (distance < bestDistance) [best, bestDistance] = [route.key, distance];
  }
  return best;
}

/**
 * The leading segments of a path the mock does not know (at most three)
 * after which it is a path of the API: the client's `baseUrl` has a path
 * (`https://api.flatpeak.com/v1`), which the API's paths do not have.
 *
 * @example
 * basePathOf("GET", "/v1/customers/cus_1"); // { basePath: "/v1", operation: "GET /customers/{id}" }
 */
export function basePathOf(method: string, path: string): { basePath: string; operation: string } | undefined {
  const segments = path.split("/");
  for (let cut = 2; cut <= Math.min(4, segments.length - 1); cut++) {
    const found = findRoute(method, `/${segments.slice(cut).join("/")}`);
    if (found !== undefined && found !== "malformed") return { basePath: segments.slice(0, cut).join("/"), operation: found.route.key };
  }
  return undefined;
}

/**
 * `template` with each `{parameter}` replaced by the request's segment at
 * that place, so ids do not count as differences, and by nothing where the
 * request has no segment there, so a path that only lacks its id is near.
 */
function filledIn(template: string, path: string): string {
  const segments = path.split("/");
  return template
    .split("/")
    .map((part, i) => (part.startsWith("{") ? (segments[i] ?? "") : part))
    .join("/");
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] ?? 0;
}
