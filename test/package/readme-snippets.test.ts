/**
 * Every `ts` block of the README compiles as a module under the strictest
 * settings (`strict`, `exactOptionalPropertyTypes`,
 * `noUncheckedIndexedAccess`, no DOM: a Node backend's), against the
 * declarations the package ships, given only the app's own names the
 * snippets leave to the reader (`accountId`, `locationId`, `router`, …,
 * declared below). No snippet waits for ever for a Redis: each connects
 * through the production client's `connectedRedis`, which this file runs
 * against a real Redis and against none.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { describeWithRedis, startRedis } from "../helpers/redis.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** What the snippets take from the app around them. */
const CONTEXT = `import type { FlatpeakClient, components } from "flatpeak-client";
import type { EventRouter } from "flatpeak-client/webhooks";
import type { createClient } from "redis";
declare global {
  const accountId: string;
  const apiKey: string;
  const flatpeak: FlatpeakClient;
  const id: string;
  /** A request body of the operation at hand. */
  const body: never;
  const locationId: string;
  const sevenAm: Date;
  const router: EventRouter;
  const origin: string;
  const customer: components["schemas"]["Customer"];
  function notifyCustomer(locationId: string): Promise<void>;
  function POST(request: Request): Promise<Response>;
  function myAppCode(flatpeak: FlatpeakClient): Promise<void>;
  function saveLocation(customer: string, locationId: string): Promise<void>;
  function appRouter(flatpeak: FlatpeakClient): EventRouter;
  function connectedRedis(url: string): Promise<ReturnType<typeof createClient>>;
}
export {};
`;

interface Snippet {
  line: number;
  code: string;
}

async function snippets(): Promise<Snippet[]> {
  const lines = (await readFile(join(ROOT, "README.md"), "utf8")).split("\n");
  const found: Snippet[] = [];
  for (let at = 0; at < lines.length; at++) {
    const indent = /^(\s*)```ts\s*$/.exec(lines[at] ?? "")?.[1];
    if (indent === undefined) continue;
    const end = lines.findIndex((line, index) => index > at && /^\s*```\s*$/.test(line));
    found.push({ line: at + 2, code: lines.slice(at + 1, end).map((line) => line.slice(indent.length)).join("\n") });
    at = end;
  }
  return found;
}

async function scratch(name: string): Promise<string> {
  await mkdir(join(ROOT, ".tmp"), { recursive: true });
  return mkdtemp(join(ROOT, ".tmp", `${name}-`));
}

describe("the README's ts blocks", () => {
  it("compile, each as a module, under the strictest settings and without DOM, against the shipped declarations", { timeout: 120_000 }, async () => {
    const all = await snippets();
    expect(all.length).toBeGreaterThan(15);
    const dir = await scratch("readme-snippets");
    try {
      await promisify(execFile)(process.execPath, [TSC, "-p", join(ROOT, "tsconfig.build.json"), "--emitDeclarationOnly", "--outDir", join(dir, "dts")]);
      await writeFile(join(dir, "context.d.ts"), CONTEXT);
      for (const { line, code } of all) await writeFile(join(dir, `readme-line-${line}.ts`), `${code}\nexport {};\n`);
      const compilerOptions = {
        target: "ES2022",
        lib: ["ES2022"],
        types: ["node"],
        module: "ESNext",
        moduleResolution: "Bundler",
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        skipLibCheck: true,
        paths: { "flatpeak-client": [join(dir, "dts", "src", "index.d.ts")], "flatpeak-client/*": [join(dir, "dts", "src", "*", "index.d.ts")] },
      };
      await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["*.ts"] }));
      const checked = await promisify(execFile)(process.execPath, [TSC, "-p", join(dir, "tsconfig.json")]).then(
        () => "",
        (error: { stdout: string }) => error.stdout,
      );
      expect(checked.replaceAll(`${dir}/`, "")).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("connect to Redis only through connectedRedis, which bounds the wait", async () => {
    const redisBlocks = (await snippets()).filter(({ code }) => /redis/i.test(code) && /connect/.test(code));
    expect(redisBlocks.length).toBeGreaterThanOrEqual(3);
    for (const { line, code } of redisBlocks) {
      const outsideHelper = code.replace(/export async function connectedRedis[\s\S]*?\n}\n/, "");
      expect(outsideHelper, `README line ${line}`).not.toMatch(/createClient\(|\.connect\(\)/);
      expect(outsideHelper, `README line ${line}`).toMatch(/connectedRedis\(/);
    }
  });
});

/** The production client's snippet, bundled to run: the package from src/, its own dependencies as they are installed. */
async function productionClient(dir: string): Promise<string> {
  const snippet = (await snippets()).find(({ code }) => code.includes("export async function connectedRedis"));
  expect(snippet).toBeDefined();
  const source = join(dir, "production.ts");
  await writeFile(source, `${snippet?.code ?? ""}\nconsole.log("started");\nprocess.exit(0);\n`);
  const program = join(dir, "production.mjs");
  await build({
    entryPoints: [source],
    outfile: program,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    alias: { "flatpeak-client": join(ROOT, "src", "index.ts"), "flatpeak-client/otel": join(ROOT, "src", "otel", "index.ts"), "flatpeak-client/redis": join(ROOT, "src", "redis", "index.ts") },
    logLevel: "silent",
  });
  return program;
}

/** Runs `program` with `env`; its exit code, output and how long it took, or a failure past `limitMs`. */
function run(program: string, env: Record<string, string>, limitMs: number): Promise<{ code: number | null; output: string; tookMs: number }> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [program], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`still running after ${limitMs} ms: ${output}`));
    }, limitMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output, tookMs: performance.now() - startedAt });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the production client's snippet", () => {
  it("fails its start within seconds when no Redis answers, instead of waiting for ever", { timeout: 60_000 }, async () => {
    const dir = await scratch("production-client");
    try {
      const program = await productionClient(dir);
      const { code, output, tookMs } = await run(program, { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` }, 30_000);
      expect(code).not.toBe(0);
      expect(output).toContain("ECONNREFUSED");
      expect(output).not.toContain("started");
      expect(tookMs).toBeLessThan(15_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describeWithRedis("the production client's snippet, on a real Redis", () => {
  it("starts", { timeout: 60_000 }, async () => {
    const redis = await startRedis();
    const dir = await scratch("production-client");
    try {
      const program = await productionClient(dir);
      const { code, output } = await run(program, { REDIS_URL: redis.url, FLATPEAK_ACCOUNT_ID: "acc_readme", FLATPEAK_API_KEY: "readme-key" }, 30_000);
      expect([code, output.trim()]).toEqual([0, "started"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await redis.stop();
    }
  });
});
