// Full troubleshooting runs, deterministic (rule reasoner, no LLM), web + database + network with
// Chromium: against a healthy 10-page site (https, a certificate from a CA the target trusts) with
// the add-on's own database as the target database, and against the same site with every fault
// switched on and a database with faults. Wall time, each phase and each bot (from the run's
// phase_completed events), and the orchestration overhead over the slowest bot. BENCH_TIMELINE=1
// prints each run's events as they were stored, with their times.
import { createPrismaClient } from "../../lib/db";
import { closeEngine, createEngine, type Engine } from "../../lib/troubleshooting/workflow/engine";
import { CHECKS } from "../../lib/troubleshooting/checks";
import { FIX_ACTIONS } from "../../lib/troubleshooting/fixes";
import { ruleReasoner } from "../../lib/troubleshooting/workflow/reasoner";
import type { Target } from "../../lib/troubleshooting/catalogue";
import { PHASES, type RunReport } from "../../lib/troubleshooting/report";
import { buildReport } from "../../lib/troubleshooting/queries/report";
import { decideAction } from "../../lib/troubleshooting/runs/run-control";
import { createRun, executeRun, resumeRun } from "../../lib/troubleshooting/runs/run-service";
import type { EmbeddedServer } from "../lib/embedded-postgres";
import { applyMigrations } from "../lib/migrations";
import { makeCertificates } from "../../fixtures/test/certificates";
import type { Faults } from "../../fixtures/test/fault-site";
import { siteTarget } from "../../fixtures/test/site-bots";
import { ALL_FAULTS, detectionTables } from "./detection";
import { DATABASE_FAULT_THRESHOLDS, startFaultyDatabase } from "./faulty-database";
import { startSiteProcess } from "./site-process";
import { record, table, target } from "./table";

const BOTS = ["web-diagnostic", "database-diagnostic", "network-diagnostic"] as const;

interface Measured {
  report: RunReport;
  row: Record<string, number>;
}

/** One run to its end; pending approvals are all approved at once, and the time spent waiting
 * for them (a person's time) is not counted. */
export async function measure(engine: Engine, admin: { id: string; email: string }, runTarget: Target): Promise<Measured> {
  const { prisma } = engine.deps;
  const started = performance.now();
  const { runId, config } = await createRun(engine, { trigger: "cli", autoApprove: "safe" }, runTarget);
  await executeRun(engine, runId, config);
  let wall = performance.now() - started;
  const paused = await prisma.fixAction.findMany({ where: { runId, status: "pending_approval" }, select: { id: true } });
  if (paused.length > 0) {
    for (const { id } of paused) await decideAction(engine, runId, admin, { actionId: id, decision: "approve" });
    const resumed = performance.now();
    await resumeRun(engine, runId);
    wall += performance.now() - resumed;
  }
  const report = await buildReport(prisma, runId);
  if (report?.status !== "completed") throw new Error(`run ${runId} ended ${report?.status}: ${report?.statusReason ?? ""}`);
  const events = await prisma.runEvent.findMany({ where: { runId, type: "phase_completed" }, select: { payload: true } });
  // Phases as the report spans them (first start to last end: resolution is three nodes, and
  // diagnostics three bots in parallel); each bot from its own phase_completed event.
  const row: Record<string, number> = { wall, ...Object.fromEntries(report.phases.map((p) => [p.name, p.durationMs])) };
  for (const { payload } of events) {
    const { durationMs, bot } = payload as { durationMs: number; bot?: string };
    if (bot) row[bot.replace("-diagnostic", "")] = durationMs;
  }
  if (process.env.BENCH_TIMELINE) {
    const all = await prisma.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    const t0 = all[0]?.createdAt.getTime() ?? 0;
    for (const e of all) console.log(`${String(e.createdAt.getTime() - t0).padStart(6)} ${e.phase} ${e.type} ${JSON.stringify(e.payload).slice(0, 160)}`);
    for (const c of report.checks.filter((c) => c.status === "error" || c.status === "skipped")) console.log(`check ${c.code} ${c.status} ${c.durationMs} ${c.reason}`);
  }
  row.errors = report.checks.filter((c) => c.status === "error").length; // could not run: timed out, failed, breaker open
  const slowest = Math.max(...BOTS.map((b) => row[b.replace("-diagnostic", "")] ?? 0));
  row.slowestBot = slowest;
  row["overhead%"] = (100 * (wall - slowest)) / slowest;
  // What is left once the fix work (resolution, verification) is taken out as well.
  row["noFixes%"] = (100 * (wall - slowest - (row.resolution ?? 0) - (row.verification ?? 0))) / slowest;
  return { report, row };
}

function print(name: string, label: string, rows: Record<string, number>[]) {
  const medians = table("runs", `${name}Timing`, `Full run, ${label}, ${rows.length} runs (ms; overhead% = (wall - slowest bot) / slowest bot; noFixes% leaves out resolution and verification; errors = checks that could not run)`, ["wall", "web", "database", "network", "slowestBot", "overhead%", "noFixes%", "errors"], rows);
  table("runs", `${name}Phases`, `Phases of those runs (ms, from the phase events as the report spans them; resolution includes the approvals)`, [...PHASES], rows);
  return medians;
}

/** The engine the bench's runs use: the product's defaults (deterministic: the rule reasoner), its
 * store in the bench server's "bench" database, and an admin who approves. */
export async function createBenchEngine(server: EmbeddedServer): Promise<{ engine: Engine; storeUrl: string; admin: { id: string; email: string } }> {
  const storeUrl = server.urlFor("bench");
  await applyMigrations(storeUrl);
  const engine = await createEngine(
    {
      prisma: createPrismaClient(storeUrl),
      reasoner: ruleReasoner,
      settings: { checkTimeoutMs: 10_000, diagnosticTimeoutMs: 30_000, fixTimeoutMs: 60_000, breakerThreshold: 5, thresholdOverrides: DATABASE_FAULT_THRESHOLDS, site: { credentials: null } },
      checks: CHECKS,
      fixes: FIX_ACTIONS,
    },
    storeUrl,
  );
  const email = "bench-approver@example.com";
  const admin = await engine.deps.prisma.user.upsert({ where: { email }, create: { email, role: "ADMIN" }, update: {}, select: { id: true, email: true } });
  return { engine, storeUrl, admin };
}

export async function benchFullRuns(server: EmbeddedServer, runs: number): Promise<void> {
  const { engine, storeUrl, admin } = await createBenchEngine(server);
  const certs = await makeCertificates();
  const startSite = (faults: Faults) => startSiteProcess({ faults, tls: certs.valid, host: "localhost" });
  // The add-on's own database is the default target database; its migrations are checked too.
  const targetFor = (url: string, databaseUrl: string): Target =>
    siteTarget(url, { databaseUrl, browser: true, caCertificates: certs.ca.cert, migrationsDir: databaseUrl === storeUrl ? "prisma/migrations" : null });
  const healthy: Measured[] = [];
  const faulty: Measured[] = [];
  try {
    // Each run gets a site of its own (a new port): the circuit breakers are per host and per
    // process, so a run that timed out would otherwise make the next one skip its checks.
    const onSite = async <T>(faults: Faults, work: (url: string) => Promise<T>): Promise<T> => {
      const site = await startSite(faults);
      try {
        return await work(site.url);
      } finally {
        await site.close();
      }
    };
    // Warm-up: Chromium unpacks once per machine, queries compile.
    const warm = await onSite({}, (url) => measure(engine, admin, targetFor(url, storeUrl)));
    if (warm.row.errors) console.warn(`warm-up run: ${warm.row.errors} checks could not run (${warm.report.degradedDomains.join(", ") || "no bot degraded"})`);
    for (let i = 0; i < runs; i++) healthy.push(await onSite({}, (url) => measure(engine, admin, targetFor(url, storeUrl))));
    for (let i = 0; i < runs; i++) {
      // Fresh faults each time: the fixes of a run remove some, and some wear off (flaky endpoint).
      const database = await startFaultyDatabase(server, `faulty_${i}`);
      try {
        faulty.push(await onSite(ALL_FAULTS, (url) => measure(engine, admin, targetFor(url, database.url))));
      } finally {
        await database.close();
      }
    }
  } finally {
    await closeEngine(engine);
  }
  const good = print("healthy", "deterministic (rule reasoner), web + database + network, Chromium on, healthy 10-page https site", healthy.map((m) => m.row));
  const bad = print("faulty", "same, every site fault and the database faults injected at once", faulty.map((m) => m.row));
  record("runs", "reports", { healthy: healthy.map((m) => m.report.runId), faulty: faulty.map((m) => m.report.runId) });
  target("full run with the browser, healthy 10-page target (median wall)", Math.round(good.wall ?? 0), "ms", { below: 8_000 });
  target("orchestration overhead, healthy target (median)", good["overhead%"] ?? 0, "%", { below: 15 });
  target("checks that could not run on the healthy target (all runs)", healthy.reduce((n, m) => n + (m.row.errors ?? 0), 0), "checks", { equals: 0 });
  console.log(`(faulty target: overhead ${Math.round(bad["overhead%"] ?? 0)} % including resolution and verification, ${Math.round(bad["noFixes%"] ?? 0)} % without them)`);
  // Issue 18 item 7: the admin waits for this report during an incident. The ratio to the healthy
  // run of the same bench tells a change from a loaded machine.
  target("full run with every fault at once (median wall)", Math.round(bad.wall ?? 0), "ms", { below: 20_000 });
  console.log(`(faulty / healthy median wall: ${((bad.wall ?? 0) / (good.wall || 1)).toFixed(1)}x)`);
  detectionTables(healthy.map((m) => m.report), faulty.map((m) => m.report));
}
