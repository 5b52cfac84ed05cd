import type { Middleware } from "openapi-fetch";

/**
 * Rejects, before anything is sent, path parameters that are empty or are
 * `.`/`..` (which URL resolution would turn into another path). Other
 * characters, `/` and `?` included, are percent-encoded by the serializer.
 *
 * @example
 * client.use(pathParamGuard);
 * await client.GET("/customers/{id}", { params: { path: { id: "" } } }); // throws TypeError
 */
export const pathParamGuard: Middleware = {
  onRequest({ request, schemaPath, params }) {
    for (const [name, value] of Object.entries(params.path ?? {})) {
      const problem = pathValueProblem(value);
      if (problem) {
        throw new TypeError(`${request.method} ${schemaPath}: path parameter "${name}" ${problem}. Pass the Flatpeak id of an existing object, such as "cus_65e421d1daa4a24082b4f590".`);
      }
    }
    return undefined;
  },
};

function pathValueProblem(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return `must be a string, got ${value === null ? "null" : typeof value}`;
  const text = String(value).trim();
  if (text === "") return "is empty";
  if (text === "." || text === "..") return `is "${text}", which would address another path`;
  return undefined;
}
