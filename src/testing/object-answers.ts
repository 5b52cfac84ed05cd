import { objectOf, pick, type AnswerContext, type DefaultAnswer } from "./answer-context.js";

/**
 * The answer to a create (`POST /customers`, `/locations`, `/devices`,
 * `/tariffs`): the example with an id of its own (`cus_mock_1`, with the
 * example id's prefix) and the `reference_id` and the other ids and texts
 * the request sent.
 *
 * @example
 * const customer = created({ path: {}, query: {}, body: { reference_id: "CUS-42" }, example, memory }); // { id: "cus_mock_1", reference_id: "CUS-42", … }
 */
export const created: DefaultAnswer = (context) => {
  const answer = objectOf(context.example);
  // Stryker disable next-line StringLiteral: the last fallback is never used, since split gives at least one part
  const prefix = String(answer.id ?? "obj").split("_")[0] ?? "obj";
  return { ...answer, id: context.memory.nextId(prefix), ...sentTexts(context, answer) };
};

/**
 * The answer to an edit (`PATCH /customers/{id}` and the like): the example
 * with the id of the path and the `reference_id` and the other ids and texts
 * the request sent.
 *
 * @example
 * const customer = edited({ path: { id: "cus_1" }, query: {}, body: { reference_id: "CUS-42" }, example, memory }); // { id: "cus_1", reference_id: "CUS-42", … }
 */
export const edited: DefaultAnswer = (context) => {
  const answer = objectOf(context.example);
  return { ...answer, id: context.path.id, ...sentTexts(context, answer) };
};

/** The fields of the request the answer has too, where the request sent a string (an id, a reference, a name). */
function sentTexts({ body }: AnswerContext, answer: Record<string, unknown>): Record<string, unknown> {
  const sent = objectOf(body);
  return pick(sent, Object.keys(sent).filter((key) => key !== "id" && typeof answer[key] === "string"));
}
