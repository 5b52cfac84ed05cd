const SENT = new WeakMap<Response, SentRequest>();

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
  SENT.set(response, { method: request.method, url: request.url });
}

/**
 * The request a response answers: as the client sent it, or, for a response
 * that did not come through the client, its URL and an unknown method.
 *
 * @example
 * const { method, url } = requestOf(result.response);
 */
export function requestOf(response: Response): SentRequest {
  return SENT.get(response) ?? { method: "HTTP", url: response.url || "https://api.flatpeak.com/" };
}
