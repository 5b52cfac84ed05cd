/**
 * What the compiler says of a mock handler whose answer's body misses a
 * field: the field, for an answer written in the handler and for a fixture
 * typed as `MockAnswer` (as the README advises for answers built apart).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

async function diagnostics(source: string): Promise<string[]> {
  await mkdir(join(ROOT, ".tmp"), { recursive: true });
  const dir = await mkdtemp(join(ROOT, ".tmp", "handler-messages-"));
  try {
    const file = join(dir, "handlers.ts");
    await writeFile(file, source);
    const program = ts.createProgram([file], { strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"] });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const HEADER = `import { createMockFlatpeak, type MockAnswer } from "../../src/testing/index.js";
const mock = createMockFlatpeak();
const partial = { id: "cus_1", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z" };
`;

describe("a handler's answer that misses a field", () => {
  it("is reported by that field, in the handler and in a fixture typed as MockAnswer", { timeout: 60_000 }, async () => {
    const messages = await diagnostics(`${HEADER}
mock.on("GET /customers/{id}", () => ({ status: 200, body: partial }));
mock.on("GET /customers/{id}", async ({ params }) => (params.path.id === "cus_gone" ? mock.error(404) : { status: 200, body: { ...partial, id: params.path.id } }));
export const found: MockAnswer<"GET /customers/{id}"> = { status: 200, body: partial };
`);
    expect(messages).toHaveLength(3);
    for (const message of messages) {
      expect(message).toContain("Property 'account_id' is missing");
      expect(message).not.toContain("Property 'fault' is missing");
    }
  });
});
