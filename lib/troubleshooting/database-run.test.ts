// The database bots end to end: a database with many real faults, one run that finds each,
// applies the safe fixes at once, the others after approval, and verifies them; advice stays open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { type Session, asAppRole, session, sleep } from "../../fixtures/test/checks";
import { createStaleTable } from "../../fixtures/test/stale-table";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import type { Engine } from "./workflow/engine";
import { runReportSchema } from "./report";
import { buildReport } from "./queries/report";
import { decideAction } from "./runs/run-control";
import { createRun, executeRun, resumeRun } from "./runs/run-service";

let site: TargetServer;
let engine: Engine;
let target: string;
const sessions: Session[] = [];

beforeAll(async () => {
  site = await startTargetServer();
  target = await createTestDatabase();
  engine = await createTestEngine(await createTestDatabase(), {
    settings: {
      checkTimeoutMs: 10_000, diagnosticTimeoutMs: 30_000, fixTimeoutMs: 20_000, breakerThreshold: 5,
      thresholdOverrides: { "db.long_running_query": { mediumSeconds: 1 }, "db.idle_in_transaction": { idleSeconds: 1 }, "db.advisory_locks": { idleSeconds: 1 } },
    },
  });
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.end().catch(() => {})));
  await closeEngine(engine);
  await site.close();
});

async function injectFaults() {
  const app = await asAppRole(target);
  const setup = await session(target, "setup");
  // dead rows on a table autovacuum skips; a table scanned by an unindexed column; a sequence near its end
  await setup.query("CREATE TABLE events (id int PRIMARY KEY, body text) WITH (autovacuum_enabled = false)");
  await setup.query("INSERT INTO events SELECT g, 'x' FROM generate_series(1, 40000) g; DELETE FROM events WHERE id <= 25000");
  await setup.query("CREATE TABLE purchases (id serial PRIMARY KEY, customer_id int); INSERT INTO purchases (customer_id) SELECT g % 700 FROM generate_series(1, 30000) g");
  for (let i = 0; i < 12; i++) await setup.query("SELECT * FROM purchases WHERE customer_id = $1", [i]);
  await setup.query("CREATE SEQUENCE invoice_no AS integer; SELECT setval('invoice_no', 2100000000)");
  // The platform's own Prisma history, in public (the add-on's, in its own schema, is left out of a diagnosis).
  await setup.query(`CREATE TABLE public._prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL,
    logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`);
  await setup.query(`INSERT INTO public._prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('x', 'x', '20261201000000_broken', now() - interval '1 hour', 0)`);
  await setup.query("GRANT ALL ON ALL TABLES IN SCHEMA public TO app_user");
  await setup.query("SELECT pg_stat_force_next_flush()");
  await setup.end();
  await createStaleTable(target);
  // a long query, and a transaction left open holding a lock, from the application's role
  const busy = await session(app, "busy-app");
  sessions.push(busy);
  void busy.query("SELECT pg_sleep(60)").catch(() => {});
  const idle = await session(app, "idle-app");
  sessions.push(idle);
  await idle.query("BEGIN; UPDATE purchases SET customer_id = customer_id WHERE id = 1");
  // a deploy that died holding Prisma Migrate's lock: its session sits idle, no transaction open
  const deadDeploy = await session(app, "dead-deploy");
  sessions.push(deadDeploy);
  await deadDeploy.query("SELECT pg_advisory_lock(72707369)");
  await sleep(1_600);
}

describe("a run against a database full of faults", () => {
  it("finds each, fixes the safe ones, the others after approval, verifies, and leaves advice open", async () => {
    await injectFaults();
    const { runId, config } = await createRun(engine, { trigger: "api", domains: ["database"] }, testTarget(site.url, target));
    await executeRun(engine, runId, config);
    let report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    expect(report.status).toBe("awaiting_approval");
    const found = new Set(report.issues.map((i) => i.code));
    for (const code of ["db.table_bloat", "db.vacuum_overdue", "db.stale_statistics", "db.missing_index", "db.sequence_exhaustion",
      "db.prisma_migrations_failed", "db.long_running_query", "db.idle_in_transaction", "db.advisory_locks"]) {
      expect(found, code).toContain(code);
    }
    const byCode = (code: string) => report.actions.filter((a) => a.code === code);
    expect(byCode("db.vacuum_table").every((a) => a.status === "applied")).toBe(true); // safe: already done
    expect(byCode("db.analyze_table").length).toBeGreaterThan(0);
    expect(byCode("db.analyze_table").every((a) => a.status === "applied")).toBe(true);
    for (const code of ["db.cancel_query", "db.terminate_idle_in_transaction", "db.create_index_concurrently", "db.terminate_lock_holder"]) {
      expect(byCode(code).map((a) => a.status), code).toContain("pending_approval");
    }
    expect(byCode("db.advise_widen_sequence").map((a) => a.status)).toEqual(["advice"]);

    const admin = await engine.deps.prisma.user.create({ data: { email: "dba@example.com", role: "ADMIN" } });
    let resume = false;
    for (const action of report.actions.filter((a) => a.status === "pending_approval")) {
      resume = (await decideAction(engine, runId, admin, { actionId: action.id, decision: "approve" })).resume;
    }
    expect(resume).toBe(true);
    await resumeRun(engine, runId);

    report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    expect(report.status).toBe("completed");
    const status = (code: string) => [...new Set(report.issues.filter((i) => i.code === code).map((i) => i.status))];
    for (const code of ["db.table_bloat", "db.stale_statistics", "db.missing_index", "db.idle_in_transaction", "db.advisory_locks"]) expect(status(code), code).toEqual(["resolved"]);
    expect(status("db.long_running_query")).toContain("resolved");
    for (const code of ["db.sequence_exhaustion", "db.prisma_migrations_failed"]) expect(status(code), code).toEqual(["open"]);
    expect(report.actions.filter((a) => a.risk === "advice").every((a) => a.status === "advice" && a.verified === null)).toBe(true);
    expect(report.recommendations.some((r) => r.includes("prisma migrate resolve --rolled-back 20261201000000_broken"))).toBe(true);
    expect(report.healthScore.after).toBeGreaterThan(report.healthScore.before ?? 100);
  });
});
