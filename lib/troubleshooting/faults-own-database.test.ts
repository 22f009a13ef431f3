// The add-on's own database drops its connections under a running run. The run must still end
// with a final status, with every event stored and none twice, and nothing hangs.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { contiguous, eventsOf, waitForEvent } from "../../fixtures/test/faults";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import type { Engine } from "./workflow/engine";
import { buildReport } from "./queries/report";
import { runReportSchema } from "./report";
import { createRun, executeRun } from "./runs/run-service";

let databaseUrl: string;
let engine: Engine;
let site: TargetServer;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  engine = await createTestEngine(databaseUrl);
  site = await startTargetServer({ delayMs: 200 });
});
afterAll(async () => {
  await closeEngine(engine);
  await site.close();
});

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function uniqueIssues(runId: string) {
  const issues = await engine.deps.prisma.issue.findMany({ where: { runId }, select: { code: true, evidence: true } });
  return new Set(issues.map((i) => `${i.code}|${(i.evidence as { subject?: string }).subject}`)).size === issues.length;
}

describe("the add-on's own database drops its connections mid-run", () => {
  it("pg_terminate_backend of every other session while events are being written: the run completes, every event stored once", async () => {
    // Our own database is the target too (the default set-up), so the bots' sessions go as well.
    const { runId, config } = await createRun(engine, { trigger: "api" }, testTarget(site.url, databaseUrl));
    const running = executeRun(engine, runId, config);
    await waitForEvent(engine.deps.prisma, runId, (e) => e.type === "check_completed");
    const seqBefore = (await eventsOf(engine.deps.prisma, runId)).length;
    // Hold the run's row so that the next event's transaction is in flight (waiting) when the
    // connections go: the fault then hits a write for certain, not only idle connections. (Nothing
    // here may use the engine's pool while the row is held: its connections all wait for it.)
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM troubleshooter."TroubleshootingRun" WHERE id = $1 FOR UPDATE`, [runId]);
    let waiting = 0;
    for (let i = 0; i < 500 && waiting === 0; i++) {
      const { rows } = await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      waiting = rows[0]?.n ?? 0;
      if (waiting === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(waiting).toBeGreaterThan(0);
    const [terminated] = await holder.query<{ n: number }>(
      "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    ).then((r) => r.rows);
    await holder.query("ROLLBACK");
    await holder.end();
    expect(terminated?.n).toBeGreaterThan(1);
    await running;

    const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    expect([report.status, report.statusReason]).toEqual(["completed", null]);
    const events = await eventsOf(engine.deps.prisma, runId);
    expect(events.map((e) => e.seq)).toEqual(contiguous(events));
    expect(events.length).toBeGreaterThan(seqBefore);
    expect(events.at(-1)?.type).toBe("run_completed");
    expect(await uniqueIssues(runId)).toBe(true);
  });

  it("a connection that drops at every try of a write: the run goes on from its last checkpoint, and says so", async () => {
    // The first three inserts of an issue end their own session (a drop exactly mid-write), more
    // times than a write is retried, so the bot's step fails and must be redone from the checkpoint.
    await sql("CREATE SEQUENCE drop_budget");
    await sql(`CREATE FUNCTION drop_my_connection() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('drop_budget') <= 3 THEN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); END IF; RETURN NEW; END $$`);
    await sql(`CREATE TRIGGER drop_on_issue BEFORE INSERT ON troubleshooter."Issue" FOR EACH ROW EXECUTE FUNCTION drop_my_connection()`);
    site.behaviour = { ...site.behaviour, status: 500 };
    try {
      const { runId, config } = await createRun(engine, { trigger: "api", domains: ["web", "network"] }, testTarget(site.url, databaseUrl));
      await executeRun(engine, runId, config);

      const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
      expect(report.status).toBe("completed");
      const events = await eventsOf(engine.deps.prisma, runId);
      expect(events.map((e) => e.seq)).toEqual(contiguous(events));
      expect(events.filter((e) => e.type === "run_resumed").map((e) => e.payload)).toEqual([
        { reason: "the add-on's database connection dropped; continued from the last checkpoint" },
      ]);
      expect((await sql<{ n: string }>("SELECT last_value::text AS n FROM drop_budget"))[0]?.n).not.toBe("1");
      // The 500 page was found once, after the redo; nothing of the cut-off attempt is counted twice.
      expect(report.issues.filter((i) => i.code === "web.page_error_status")).toHaveLength(1);
      expect(await uniqueIssues(runId)).toBe(true);
      expect(report.degradedDomains).toEqual([]);
    } finally {
      site.behaviour = { ...site.behaviour, status: 200 };
      await sql(`DROP TRIGGER drop_on_issue ON troubleshooter."Issue"`);
    }
  });
});
