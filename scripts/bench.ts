// npm run bench: (1) full troubleshooting runs with Chromium against a healthy 10-page target and
// the same with every fault injected (timings, detection, false positives, fixes); (2) the whole
// database catalogue on a database of 200 tables and 1,000,000 rows, healthy and then with the
// real faults of the fault catalogue, and on a brand-new database; (3) the web and network bots on a 10-page site, with and without Chromium,
// against a Lighthouse audit; (4) the dashboard's queries and (5) its pages and first SSE event
// over 10,000 runs; (6) truth on the platform twin, a real Next.js platform (recall per fault,
// precision per check, healthy quiet and under load, full runs). Prints each sample and the
// medians (ms), and the targets; writes every figure to bench/results.json. BENCH_RUNS sets the
// sample count; BENCH_ONLY=runs|truth|database|site|dashboard|pages|cli|scale runs one part (scale: scripts/bench/scale.ts); (7) the CLI's
// wall time against its diagnostics time (what starting costs).
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { freePort, startEmbeddedPostgres } from "./lib/embedded-postgres";
import { benchCli } from "./bench/cli";
import { benchDashboard } from "./bench/dashboard";
import { benchDatabaseCatalogue } from "./bench/database";
import { benchPages } from "./bench/pages";
import { benchSite } from "./bench/site";
import { benchFullRuns } from "./bench/full-run";
import { benchScale } from "./bench/scale";
import { benchTruth } from "./bench/truth";
import { results, writeResults } from "./bench/table";

const runs = z.coerce.number().int().min(1).max(50).default(5).parse(process.env.BENCH_RUNS);

const SECTIONS = ["runs", "truth", "database", "site", "dashboard", "pages", "cli", "scale"];

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-bench-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "bench", database: "bench", persistent: false, settings: { max_prepared_transactions: 10 } });
  // A valid configuration for what reads env() (alert settings after each run), and quiet logs.
  Object.assign(process.env, { DATABASE_URL: process.env.DATABASE_URL ?? server.url, AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-auth-secret-".repeat(2), LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" });
  try {
    const only = process.env.BENCH_ONLY;
    if (only && !SECTIONS.includes(only)) throw new Error(`BENCH_ONLY must be one of ${SECTIONS.join(", ")}`);
    results.runs = runs;
    if (!only || only === "runs") await benchFullRuns(server, runs);
    if (!only || only === "truth") await benchTruth(server, runs);
    if (!only || only === "database") await benchDatabaseCatalogue(server, runs);
    if (!only || only === "site") await benchSite(runs);
    if (!only || only === "dashboard") await benchDashboard(server, runs);
    if (!only || only === "pages") await benchPages(server, runs);
    if (!only || only === "cli") await benchCli(runs);
    if (!only || only === "scale") await benchScale(runs); // its own cached database (scale-data.ts)
  } finally {
    await server.stop();
  }
  console.log(`\nResults written to ${path.relative(process.cwd(), await writeResults())}`);
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
