// npm run bench: wall time of full troubleshooting runs against a healthy loopback target and a
// throwaway embedded PostgreSQL; prints each run's phase times and the medians.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { createPrismaClient } from "../lib/db";
import { CHECKS } from "../lib/troubleshooting/checks";
import { closeEngine, createEngine } from "../lib/troubleshooting/engine";
import { FIX_ACTIONS } from "../lib/troubleshooting/fixes";
import { ruleReasoner } from "../lib/troubleshooting/reasoner";
import { PHASES } from "../lib/troubleshooting/report";
import { buildReport } from "../lib/troubleshooting/report-builder";
import { createRun, executeRun } from "../lib/troubleshooting/run-service";
import { freePort, startEmbeddedPostgres } from "./lib/embedded-postgres";
import { applyMigrations } from "./lib/migrations";
import { startTargetServer } from "./test/target-server";

const runs = z.coerce.number().int().min(1).max(50).default(5).parse(process.env.BENCH_RUNS);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-bench-"));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "bench", database: "bench", persistent: false });
  const site = await startTargetServer();
  await applyMigrations(pg.url);
  const engine = await createEngine(
    {
      prisma: createPrismaClient(pg.url),
      reasoner: ruleReasoner,
      settings: { checkTimeoutMs: 10_000, diagnosticTimeoutMs: 30_000, fixTimeoutMs: 60_000, breakerThreshold: 5, thresholdOverrides: {} },
      checks: CHECKS,
      fixes: FIX_ACTIONS,
    },
    pg.url,
  );
  const rows: Record<string, number>[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const { runId, config } = await createRun(engine, { trigger: "cli" }, { baseUrl: site.url, databaseUrl: pg.url, endpoints: [], browser: false });
      await executeRun(engine, runId, config);
      const total = performance.now() - started;
      const report = await buildReport(engine.deps.prisma, runId);
      if (report?.status !== "completed") throw new Error(`run ${runId} ended ${report?.status}`);
      rows.push({ total, ...Object.fromEntries(report.phases.map((p) => [p.name, p.durationMs])) });
    }
  } finally {
    await closeEngine(engine);
    await site.close();
    await pg.stop();
  }
  const columns = ["total", ...PHASES];
  const fmt = (v: number | undefined) => (v === undefined ? "-" : String(Math.round(v))).padStart(10);
  console.log(`Full run, healthy loopback target, embedded PostgreSQL, ${runs} runs (ms)`);
  console.log(["run".padEnd(8), ...columns.map((c) => c.slice(0, 10).padStart(10))].join(" "));
  rows.forEach((row, i) => console.log([`#${i + 1}`.padEnd(8), ...columns.map((c) => fmt(row[c]))].join(" ")));
  console.log(["median".padEnd(8), ...columns.map((c) => fmt(median(rows.map((r) => r[c] ?? 0))))].join(" "));
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
