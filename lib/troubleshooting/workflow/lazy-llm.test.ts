import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
const deps = pathToFileURL(path.resolve(import.meta.dirname, "deps.ts")).href;

// Loader hooks that report every module URL node loads to the main thread (module.register).
const HOOKS = `let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`;

/** Loads deps.ts in a fresh node (through tsx, as the commands' code is loaded), builds the engine's
 * deps with `env`, optionally asks the reasoner once, and returns every module URL node loaded. */
async function modulesLoaded(env: Record<string, string>, ask: boolean): Promise<string[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-lazy-llm-"));
  await writeFile(path.join(work, "hooks.mjs"), HOOKS);
  const script = `import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
const seen = [];
port1.on("message", (url) => seen.push(url));
register(${JSON.stringify(pathToFileURL(path.join(work, "hooks.mjs")).href)}, { data: { port: port2 }, transferList: [port2] });
const { parseEnv } = await import(${JSON.stringify(pathToFileURL(path.resolve(import.meta.dirname, "../../env.ts")).href)});
const { depsFromConfig } = await import(${JSON.stringify(deps)});
const built = depsFromConfig(parseEnv(${JSON.stringify({ DATABASE_URL: "postgresql://x@localhost/x", AUTH_SECRET: "s".repeat(32), ...env })}), {});
if (${ask}) await built.reasoner.triage("pages are slow", ["web", "database"]);
await new Promise((resolve) => setTimeout(resolve, 200));
port1.close();
process.stdout.write(JSON.stringify(seen));
`;
  await writeFile(path.join(work, "probe.mjs"), script);
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsx, path.join(work, "probe.mjs")], { env: { ...process.env, LOG_LEVEL: "warn" } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`probe exited ${code}: ${err}`))));
  });
  return JSON.parse(stdout) as string[];
}

const openai = (urls: string[]) => urls.filter((u) => u.includes("/@langchain/openai/"));

describe("the LLM client is loaded only when it is configured and asked", () => {
  it("without OPENAI_API_KEY: @langchain/openai is never loaded", async () => {
    const seen = await modulesLoaded({}, true);
    expect(seen.some((u) => u.endsWith("/workflow/deps.ts"))).toBe(true);
    expect(openai(seen)).toEqual([]);
  });

  it("with OPENAI_API_KEY: not loaded by building the deps, loaded by the first question", async () => {
    // The base URL leads nowhere (port 9): the call fails fast and the reasoner falls back.
    const env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", LLM_TIMEOUT_MS: "2000" };
    expect(openai(await modulesLoaded(env, false))).toEqual([]);
    expect(openai(await modulesLoaded(env, true)).length).toBeGreaterThan(0);
  });
});
