// The CLI as a user runs it: `npm run -s troubleshoot -- --no-browser --json` against a healthy
// 10-page site (in a process of its own), with the embedded store (a data folder of its own).
// Two modes, in one run: one-shot (each command starts and stops its PostgreSQL as a first
// command of the day would) and resident (`troubleshoot serve` started before the samples: each
// command hands its run to the warm server). Wall time of the whole command against the run's
// own diagnostics phase (from its report): the difference is what starting costs (npm, node,
// loading the code, the store, migrations, stopping). The runs' results (status, issues by check)
// must be the same in both modes and in a run made in this process through the add-on's API.
// A third table runs the resident mode without npm (`./troubleshoot`, the same command): the
// difference is npm's own start.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { createAddonContext } from "../../lib/mount/context";
import { buildReport } from "../../lib/troubleshooting/queries/report";
import { createRun, defaultTarget, executeRun } from "../../lib/troubleshooting/runs/run-service";
import { freePort } from "../lib/embedded-postgres";
import { localConfig } from "../lib/local-database";
import { startSiteProcess } from "./site-process";
import { median, record, table, target } from "./table";

/** What the bench reads of the CLI's --json report. */
const reportShape = z.object({
  status: z.string(),
  issues: z.array(z.object({ severity: z.string(), code: z.string() })),
  phases: z.array(z.object({ name: z.string(), durationMs: z.number().nullable() })),
});

interface CliSample {
  wall: number;
  diagnostics: number;
  ratio: number;
  issues: number;
}

const COLUMNS = ["wall", "diagnostics", "ratio x100", "issues"];
/** A table row: the ratio in hundredths (the table prints whole numbers). */
const row = (s: CliSample) => ({ wall: s.wall, diagnostics: s.diagnostics, "ratio x100": s.ratio * 100, issues: s.issues });

/** A run's result as the modes must agree on it: its status and its issues' checks. */
const resultOf = (report: { status: string; issues: { code: string }[] }) => `${report.status}: ${report.issues.map((i) => i.code).sort().join(",") || "no issues"}`;

/** How the command is started: through npm, or without it (`./troubleshoot`). */
type Via = "npm" | "direct";
const COMMAND: Record<Via, (args: string[]) => [string, string[]]> = {
  npm: (args) => ["npm", ["run", "-s", "troubleshoot", "--", ...args]],
  direct: (args) => [path.resolve(import.meta.dirname, "../../troubleshoot"), args],
};

/** Runs `npm run -s troubleshoot -- args` (or `./troubleshoot args`); its exit code and output. */
function npmTroubleshoot(args: string[], env: NodeJS.ProcessEnv, via: Via = "npm"): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [command, argv] = COMMAND[via](args);
    const child = spawn(command, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
}

/** Runs the CLI once; rejects with its stderr when it fails or prints no report. Exit 3 (findings
 * open) is a completed run: a fresh cluster's first run can find its own cache hit ratio low. */
async function runCli(args: string[], env: NodeJS.ProcessEnv, via: Via = "npm"): Promise<CliSample & { status: string; result: string }> {
  const started = performance.now();
  const { code, stdout, stderr } = await npmTroubleshoot(args, env, via);
  const wall = performance.now() - started;
  const parsed = reportShape.safeParse((() => { try { return JSON.parse(stdout) as unknown; } catch { return null; } })());
  if ((code !== 0 && code !== 3) || !parsed.success) throw new Error(`the CLI exited ${code} without a report:\n${stderr.slice(-2_000)}`);
  const diagnostics = parsed.data.phases.find((p) => p.name === "diagnostics")?.durationMs ?? 0;
  return { wall, diagnostics, ratio: diagnostics > 0 ? wall / diagnostics : Infinity, issues: parsed.data.issues.length, status: parsed.data.status, result: resultOf(parsed.data) };
}

/** The same run made in this process through the add-on's API, on the store the resident server
 * keeps running (the CLI's configuration: its data folder's store and secret, the site). */
async function inProcessResult(env: NodeJS.ProcessEnv, baseUrl: string): Promise<string> {
  const local = await localConfig(env);
  const addon = createAddonContext({ databaseUrl: local.databaseUrl, secret: local.state?.authSecret ?? "", authorize: async () => null, settings: { ...env, DATABASE_URL: local.databaseUrl } });
  try {
    const engine = await addon.engine();
    const { runId, config } = await createRun(engine, { trigger: "cli" }, defaultTarget(addon.config(), { baseUrl, browser: false }));
    await executeRun(engine, runId, config);
    const report = await buildReport(engine.deps.prisma, runId);
    if (!report) throw new Error(`in-process run ${runId}: no report`);
    return resultOf(report);
  } finally {
    await addon.close();
  }
}

export async function benchCli(runs: number): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-bench-cli-"));
  const site = await startSiteProcess({ faults: {}, host: "localhost" });
  // The embedded store, as for a user without DATABASE_URL (bench.ts sets one for its own work).
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: "warn", NO_COLOR: "1" };
  delete env.DATABASE_URL;
  delete env.AUTH_SECRET;
  const args = ["--base-url", site.url, "--no-browser", "--json"];
  const oneShot: CliSample[] = [];
  const resident: CliSample[] = [];
  const direct: CliSample[] = [];
  const statuses: string[] = [];
  const results = { oneShot: new Set<string>(), resident: new Set<string>(), direct: new Set<string>(), inProcess: new Set<string>() };
  let serving = false;
  try {
    // One-shot (no server: TROUBLESHOOT_RESIDENT=0 makes sure of it).
    const oneShotEnv = { ...env, TROUBLESHOOT_RESIDENT: "0" };
    await runCli(args, oneShotEnv); // warm-up: creates the data folder's cluster and migrates it once
    for (let i = 0; i < runs; i++) {
      const { status, result, ...sample } = await runCli(args, oneShotEnv);
      statuses.push(status);
      results.oneShot.add(result);
      oneShot.push(sample);
    }
    // Resident: the server is started (and its first worker warm) before the samples.
    const started = await npmTroubleshoot(["serve"], env);
    if (started.code !== 0) throw new Error(`serve exited ${started.code}:\n${started.stderr.slice(-2_000)}`);
    serving = true;
    await runCli(args, env); // warm-up, as for one-shot
    // Through npm and without it, alternately: the machine's load drifts alike for both.
    for (let i = 0; i < runs; i++) {
      for (const [via, samples, seen] of [["npm", resident, results.resident], ["direct", direct, results.direct]] as const) {
        const { status, result, ...sample } = await runCli(args, env, via);
        statuses.push(status);
        seen.add(result);
        samples.push(sample);
      }
    }
    results.inProcess.add(await inProcessResult(env, site.url));
  } finally {
    if (serving) await npmTroubleshoot(["serve", "--stop"], env);
    await site.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const title = (mode: string) => `npm run troubleshoot -- --no-browser --json, ${mode}, healthy 10-page site, embedded store (ms; ratio = wall / diagnostics)`;
  const medians = table("cli", "healthy", title("one-shot"), COLUMNS, oneShot.map(row));
  const residentMedians = table("cli", "resident", title("resident (troubleshoot serve)"), COLUMNS, resident.map(row));
  table("cli", "residentWithoutNpm", "./troubleshoot --no-browser --json (the same command without npm), resident (troubleshoot serve) (ms; ratio = wall / diagnostics)", COLUMNS, direct.map(row));
  record("cli", "statuses", statuses);
  record("cli", "results", { oneShot: [...results.oneShot], resident: [...results.resident], direct: [...results.direct], inProcess: [...results.inProcess] });
  const ratio = (samples: CliSample[]) => Number(median(samples.map((s) => s.ratio)).toFixed(2));
  target("CLI wall time over its diagnostics time, one-shot, healthy target, --no-browser (median)", ratio(oneShot), "x", { below: 2 });
  target("CLI wall time over its diagnostics time, resident server, healthy target, --no-browser (median)", ratio(resident), "x", { below: 2 });
  target("the same, started as ./troubleshoot (without npm)", ratio(direct), "x", { below: 2 });
  console.log(`info    npm's own start: ${Math.round(median(resident.map((s) => s.wall)) - median(direct.map((s) => s.wall)))} ms (median wall, resident via npm minus ./troubleshoot)`);
  target("issues the CLI finds on the healthy target (median, one-shot)", medians.issues ?? 0, "issues", { equals: 0 });
  target("issues the CLI finds on the healthy target (median, resident)", residentMedians.issues ?? 0, "issues", { equals: 0 });
  target("CLI runs that did not complete", statuses.filter((s) => s !== "completed").length, "runs", { equals: 0 });
  const all = new Set([...results.oneShot, ...results.resident, ...results.direct, ...results.inProcess]);
  target("distinct run results across one-shot, resident (with and without npm) and in-process runs (status and issues by check)", all.size, "results", { equals: 1 });
}
