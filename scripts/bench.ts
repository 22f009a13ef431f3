// npm run bench: (1) full troubleshooting runs against a healthy loopback target; (2) the whole
// database catalogue on a database of 200 tables and 1,000,000 rows, healthy and then with
// faults injected; (3) the web and network bots on a 10-page site, with and without Chromium,
// against a Lighthouse audit. Prints each sample and the medians (ms). BENCH_RUNS sets the
// sample count; BENCH_ONLY=runs|database|site|dashboard|pages runs one part.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { createPrismaClient } from "../lib/db";
import { databaseDiagnosticBot } from "../lib/troubleshooting/bots";
import { CHECKS } from "../lib/troubleshooting/checks";
import { closeEngine, createEngine } from "../lib/troubleshooting/engine";
import { FIX_ACTIONS } from "../lib/troubleshooting/fixes";
import { ruleReasoner } from "../lib/troubleshooting/reasoner";
import { PHASES } from "../lib/troubleshooting/report";
import { buildReport } from "../lib/troubleshooting/report-builder";
import { createRun, executeRun } from "../lib/troubleshooting/run-service";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "./lib/embedded-postgres";
import { applyMigrations } from "./lib/migrations";
import { benchDashboard } from "./bench/dashboard";
import { benchPages } from "./bench/pages";
import { benchSite } from "./bench/site";
import { table } from "./bench/table";
import { startTargetServer } from "./test/target-server";

const runs = z.coerce.number().int().min(1).max(50).default(5).parse(process.env.BENCH_RUNS);
async function benchFullRuns(server: EmbeddedServer) {
  const url = server.urlFor("bench");
  await applyMigrations(url);
  const site = await startTargetServer();
  const engine = await createEngine(
    {
      prisma: createPrismaClient(url),
      reasoner: ruleReasoner,
      settings: { checkTimeoutMs: 10_000, diagnosticTimeoutMs: 30_000, fixTimeoutMs: 60_000, breakerThreshold: 5, thresholdOverrides: {} },
      checks: CHECKS,
      fixes: FIX_ACTIONS,
    },
    url,
  );
  const rows: Record<string, number>[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const { runId, config } = await createRun(engine, { trigger: "cli" }, { baseUrl: site.url, databaseUrl: url, endpoints: [], browser: false });
      await executeRun(engine, runId, config);
      const total = performance.now() - started;
      const report = await buildReport(engine.deps.prisma, runId);
      if (report?.status !== "completed") throw new Error(`run ${runId} ended ${report?.status}`);
      rows.push({ total, ...Object.fromEntries(report.phases.map((p) => [p.name, p.durationMs])) });
    }
  } finally {
    await closeEngine(engine);
    await site.close();
  }
  table(`Full run, healthy loopback target, embedded PostgreSQL, ${runs} runs (ms)`, ["total", ...PHASES], rows);
}

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
  table(`Database catalogue (${CHECKS.filter((c) => c.domain === "database").length} checks), 200 tables / 1,000,000 rows, healthy (ms, issues found)`, ["ms", "issues"], healthy);
  table("Database catalogue, same database with faults injected (ms, issues found)", ["ms", "issues"], faulty);
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-bench-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "bench", database: "bench", persistent: false });
  try {
    const only = process.env.BENCH_ONLY;
    if (!only || only === "runs") await benchFullRuns(server);
    if (!only || only === "database") await benchDatabaseCatalogue(server);
    if (!only || only === "site") await benchSite(runs);
    if (!only || only === "dashboard") await benchDashboard(server, runs);
    if (!only || only === "pages") await benchPages(server, runs);
  } finally {
    await server.stop();
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
