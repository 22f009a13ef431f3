// npm run bench: (1) full troubleshooting runs with Chromium against a healthy 10-page target and
// the same with every fault injected (timings, detection, false positives, fixes); (2) the whole
// database catalogue on a database of 200 tables and 1,000,000 rows, healthy and then with
// faults injected; (3) the web and network bots on a 10-page site, with and without Chromium,
// against a Lighthouse audit; (4) the dashboard's queries and (5) its pages and first SSE event
// over 10,000 runs; (6) truth on the platform twin, a real Next.js platform (recall per fault,
// precision per check, healthy quiet and under load, full runs). Prints each sample and the
// medians (ms), and the targets; writes every figure to bench/results.json. BENCH_RUNS sets the
// sample count; BENCH_ONLY=runs|truth|database|site|dashboard|pages runs one part.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { databaseDiagnosticBot } from "../lib/troubleshooting/bots";
import { CHECKS } from "../lib/troubleshooting/checks";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "./lib/embedded-postgres";
import { benchDashboard } from "./bench/dashboard";
import { benchPages } from "./bench/pages";
import { benchSite } from "./bench/site";
import { benchFullRuns } from "./bench/full-run";
import { benchTruth } from "./bench/truth";
import { results, table, writeResults } from "./bench/table";

const runs = z.coerce.number().int().min(1).max(50).default(5).parse(process.env.BENCH_RUNS);

async function benchDatabaseCatalogue(server: EmbeddedServer) {
  await server.createDatabase("catalogue");
  const url = server.urlFor("catalogue");
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  await sql.query(`DO $$ BEGIN FOR i IN 1..200 LOOP
      EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, account int, note text)', i);
      EXECUTE format('INSERT INTO t%s SELECT g, g %% 97, ''n'' FROM generate_series(1, 5000) g', i);
    END LOOP; END $$`);
  await sql.query("ANALYZE");
  const measure = async () => {
    const started = performance.now();
    const result = await databaseDiagnosticBot.runDiagnostics(
      { baseUrl: "http://127.0.0.1:9", databaseUrl: url, endpoints: [], browser: false },
      { checkTimeoutMs: 10_000, botTimeoutMs: 30_000, breakerThreshold: 100 },
    );
    return { ms: performance.now() - started, issues: result.findings.length };
  };
  const sample = async () => {
    const rows: Record<string, number>[] = [];
    await measure(); // warm-up: connection setup, plan caches
    for (let i = 0; i < runs; i++) rows.push(await measure());
    return rows;
  };
  const healthy = await sample();
  // Faults: dead rows in 20 tables, a big table scanned by an unindexed column, a long query,
  // a transaction left open holding a lock, a sequence near its end.
  await sql.query(`DO $$ BEGIN FOR i IN 1..20 LOOP EXECUTE format('ALTER TABLE t%s SET (autovacuum_enabled = false); DELETE FROM t%s WHERE id <= 2000', i, i); END LOOP; END $$`);
  await sql.query("CREATE TABLE big (id int PRIMARY KEY, customer int); INSERT INTO big SELECT g, g % 1000 FROM generate_series(1, 50000) g");
  for (let i = 0; i < 12; i++) await sql.query("SELECT count(*) FROM big WHERE customer = $1", [i]);
  await sql.query("CREATE SEQUENCE nearly_done AS integer; SELECT setval('nearly_done', 2100000000)");
  await sql.query("SELECT pg_stat_force_next_flush()");
  const busy = new pg.Client({ connectionString: url, application_name: "bench-busy" });
  const idle = new pg.Client({ connectionString: url, application_name: "bench-idle" });
  await busy.connect();
  await idle.connect();
  void busy.query("SELECT pg_sleep(120)").catch(() => {});
  await idle.query("BEGIN; UPDATE t1 SET note = 'x' WHERE id = 3000");
  await new Promise((r) => setTimeout(r, 1_500));
  const faulty = await sample();
  await sql.query("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name IN ('bench-busy', 'bench-idle')");
  await Promise.all([busy.end(), idle.end(), sql.end()].map((p) => p.catch(() => {})));
  table("database", "healthy", `Database catalogue (${CHECKS.filter((c) => c.domain === "database").length} checks), 200 tables / 1,000,000 rows, healthy (ms, issues found)`, ["ms", "issues"], healthy);
  table("database", "faulty", "Database catalogue, same database with faults injected (ms, issues found)", ["ms", "issues"], faulty);
}

const SECTIONS = ["runs", "truth", "database", "site", "dashboard", "pages"];

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
    if (!only || only === "database") await benchDatabaseCatalogue(server);
    if (!only || only === "site") await benchSite(runs);
    if (!only || only === "dashboard") await benchDashboard(server, runs);
    if (!only || only === "pages") await benchPages(server, runs);
  } finally {
    await server.stop();
  }
  console.log(`\nResults written to ${path.relative(process.cwd(), await writeResults())}`);
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
