const REQUEST = Symbol("flatpeak.request");

/**
 * Method and URL of a request, as remembered on its response.
 *
 * @example
 * const sent: SentRequest = { method: "GET", url: "https://api.flatpeak.com/customers" };
 */
export interface SentRequest {
  method: string;
  url: string;
}

/**
 * Remembers on `response` which request it answers, for helpers that only
 * get the result (such as `unwrap`).
 *
 * @example
 * rememberRequest(response, request);
 */
export function rememberRequest(response: Response, request: Request): void {
  Object.defineProperty(response, REQUEST, { value: { method: request.method, url: request.url }, configurable: true });
}

/**
 * The request a response answers, when the client sent it.
 *
 * @example
 * const { method, url } = requestOf(result.response) ?? { method: "GET", url: "" };
 */
export function requestOf(response: Response): SentRequest | undefined {
  return (response as Response & { [REQUEST]?: SentRequest })[REQUEST];
}
