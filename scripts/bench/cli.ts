// The CLI as a user runs it: `npm run -s troubleshoot -- --no-browser --json` against a healthy
// 10-page site (in a process of its own), with the embedded store (a data folder of its own, so
// each run starts and stops its PostgreSQL as a first command of the day would). Wall time of the
// whole command against the run's own diagnostics phase (from its report): the difference is what
// starting costs (loading the code, the store, migrations, stopping).
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { freePort } from "../lib/embedded-postgres";
import { startSiteProcess } from "./site-process";
import { median, record, table, target } from "./table";

/** What the bench reads of the CLI's --json report. */
const reportShape = z.object({
  status: z.string(),
  issues: z.array(z.object({ severity: z.string() })),
  phases: z.array(z.object({ name: z.string(), durationMs: z.number().nullable() })),
});

interface CliSample {
  wall: number;
  diagnostics: number;
  ratio: number;
  issues: number;
}

/** Runs the CLI once; rejects with its stderr when it fails or prints no report. Exit 3 (findings
 * open) is a completed run: a fresh cluster's first run can find its own cache hit ratio low. */
async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliSample & { status: string }> {
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "troubleshoot", "--", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  const wall = performance.now() - started;
  // The report is the JSON document on stdout (a log line before it, issue 18 item 1, is skipped).
  const json = stdout.slice(Math.max(0, stdout.indexOf("{\n")));
  const parsed = reportShape.safeParse((() => { try { return JSON.parse(json) as unknown; } catch { return null; } })());
  if ((code !== 0 && code !== 3) || !parsed.success) throw new Error(`the CLI exited ${code} without a report:\n${stderr.slice(-2_000)}`);
  const diagnostics = parsed.data.phases.find((p) => p.name === "diagnostics")?.durationMs ?? 0;
  return { wall, diagnostics, ratio: diagnostics > 0 ? wall / diagnostics : Infinity, issues: parsed.data.issues.length, status: parsed.data.status };
}

export async function benchCli(runs: number): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-bench-cli-"));
  const site = await startSiteProcess({ faults: {}, host: "localhost" });
  // The embedded store, as for a user without DATABASE_URL (bench.ts sets one for its own work).
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: "warn", NO_COLOR: "1" };
  delete env.DATABASE_URL;
  delete env.AUTH_SECRET;
  const args = ["--base-url", site.url, "--no-browser", "--json"];
  const samples: CliSample[] = [];
  const statuses: string[] = [];
  try {
    await runCli(args, env); // warm-up: creates the data folder's cluster and migrates it once
    for (let i = 0; i < runs; i++) {
      const { status, ...sample } = await runCli(args, env);
      statuses.push(status);
      samples.push(sample);
    }
  } finally {
    await site.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const medians = table("cli", "healthy", "npm run troubleshoot -- --no-browser --json, healthy 10-page site, embedded store (ms; ratio = wall / diagnostics)", ["wall", "diagnostics", "ratio", "issues"], samples.map((s) => ({ ...s })));
  const ratio = median(samples.map((s) => s.ratio));
  record("cli", "statuses", statuses);
  target("CLI wall time over its diagnostics time, healthy target, --no-browser (median)", Number(ratio.toFixed(2)), "x", { below: 2 });
  target("issues the CLI finds on the healthy target (median)", medians.issues ?? 0, "issues", { equals: 0 });
  target("CLI runs that did not complete", statuses.filter((s) => s !== "completed").length, "runs", { equals: 0 });
}
