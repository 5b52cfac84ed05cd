/**
 * The `params` of an openapi-fetch call, as far as the guard looks at them.
 *
 * @example
 * const params: CallParams = { path: { id: "cus_1" }, query: { limit: 10 } };
 */
export type CallParams = { path?: Record<string, unknown>; query?: Record<string, unknown> } | undefined;

/**
 * Throws a `TypeError`, before anything is serialised or sent, for parameters
 * that cannot be sent as meant: path parameters that are empty or `.`/`..`
 * (which URL resolution would turn into another path), and path or query
 * strings holding unpaired UTF-16 surrogates (which cannot be
 * percent-encoded). Everything else, `/` and `?` included, is percent-encoded.
 *
 * @example
 * assertSendableParams("GET /customers/{id}", { path: { id: ".." } }); // throws TypeError
 */
export function assertSendableParams(where: string, params: CallParams): void {
  for (const [name, value] of Object.entries(params?.path ?? {})) {
    const problem = pathValueProblem(value);
    if (problem) throw new TypeError(`${where}: path parameter "${name}" ${problem}.`);
  }
  for (const [name, value] of Object.entries(params?.query ?? {})) {
    if (hasLoneSurrogate(value)) throw new TypeError(`${where}: query parameter "${name}" holds an unpaired UTF-16 surrogate.`);
  }
}

function pathValueProblem(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return `must be a Flatpeak id, got ${value === null ? "null" : typeof value}`;
  const text = String(value).trim();
  if (/^\.{0,2}$/.test(text)) return `is "${text}", which would address another path`;
  if (hasLoneSurrogate(value)) return "holds an unpaired UTF-16 surrogate";
  return undefined;
}

function hasLoneSurrogate(value: unknown): boolean {
  return typeof value === "string" && /\p{Cs}/u.test(value);
}
