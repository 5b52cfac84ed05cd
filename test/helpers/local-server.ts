/**
 * A scripted HTTP server on a free loopback port, for tests that need answers
 * the spec mock cannot give: faults, timing, exact sequences.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  baseUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server whose every request goes to `handler`. */
export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request = { method: incoming.method ?? "", url: incoming.url ?? "", headers: incoming.headers, body: Buffer.concat(chunks).toString() };
      requests.push(request);
      void Promise.resolve(handler(request, response)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a JSON body. */
export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** Answers `GET /login` with a token; returns false for any other request. */
export function answerLogin(request: RecordedRequest, response: ServerResponse, token: string, expiresIn = 3600): boolean {
  if (request.url !== "/login") return false;
  json(response, 200, { bearer_token: token, expires_in: expiresIn, live_mode: false });
  return true;
}

/** The requests that were not logins. */
export function apiRequests(server: LocalServer): RecordedRequest[] {
  return server.requests.filter((request) => request.url !== "/login");
}

/** The login requests. */
export function loginRequests(server: LocalServer): RecordedRequest[] {
  return server.requests.filter((request) => request.url === "/login");
}
