// The database bot on a host's database that the add-on shares (mounted: its tables in schema
// troubleshooter, LangGraph's in troubleshooter_checkpoints, pg-boss's in troubleshooter_queue):
// faults in the add-on's schemas are not the host's to fix, and are left out by name.
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import PgBoss from "pg-boss";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../../../fixtures/test/databases";
import { createHostDatabase } from "../../../../fixtures/test/host-database";
import { applyMigrations } from "../../../../scripts/lib/migrations";
import { APP_SCHEMA, CHECKPOINT_SCHEMA, QUEUE_SCHEMA } from "../../../own-schemas";
import { closeProbeSessions } from "../../probes/database";
import type { CheckResult } from "../../report";
import { databaseDiagnosticBot } from "../../workflow/bots";
import type { Finding } from "../../workflow/bots/diagnostic-bot";

let findings: Finding[];
let checks: CheckResult[];

/** Faults the bot reports wherever they are: a duplicate index, disabled foreign-key triggers, a
 * sequence near its end, an invalid index and a keyless table with rows. */
function faultsIn(schema: string, table: string, column: string, sequence: string): string {
  return `
    CREATE INDEX "dup_${table}" ON ${schema}."${table}" ("${column}");
    CREATE INDEX "dup_${table}_again" ON ${schema}."${table}" ("${column}");
    ALTER TABLE ${schema}."${table}" DISABLE TRIGGER ALL;
    SELECT setval('${schema}."${sequence}"', (SELECT (max_value * 0.95)::bigint FROM pg_sequences WHERE schemaname = '${schema}' AND sequencename = '${sequence}'));
    CREATE TABLE ${schema}.keyless_${table} (a int, b text);
    INSERT INTO ${schema}.keyless_${table} SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
    CREATE TABLE ${schema}.unique_fault_${table} (a int);
    INSERT INTO ${schema}.unique_fault_${table} VALUES (1), (1);`;
}

beforeAll(async () => {
  const url = await createHostDatabase();
  await applyMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await new PostgresSaver(pool, undefined, { schema: CHECKPOINT_SCHEMA }).setup();
  } finally {
    await pool.end();
  }
  const boss = new PgBoss({ connectionString: url, schema: QUEUE_SCHEMA, max: 2, schedule: false, supervise: false });
  await boss.start();
  await boss.createQueue("host-like-queue");
  await boss.stop({ graceful: false, wait: true });
  await withClient(url, async (sql) => {
    await sql.query(`INSERT INTO ${APP_SCHEMA}."AuditLog" (action) VALUES ('seed')`);
    await sql.query(faultsIn(APP_SCHEMA, "FixAction", "runId", "AuditLog_id_seq"));
    await sql.query(faultsIn("public", "order_items", "order_id", "order_items_id_seq"));
    // invalid indexes: a unique index over duplicates, built concurrently, fails and stays invalid
    for (const schema of [APP_SCHEMA, "public"]) {
      await sql.query(`CREATE UNIQUE INDEX CONCURRENTLY "broken_${schema}" ON ${schema}.unique_fault_${schema === "public" ? "order_items" : "FixAction"} (a)`).catch(() => undefined);
    }
    await sql.query("ANALYZE");
  });
  const result = await databaseDiagnosticBot.runDiagnostics(
    { baseUrl: "http://127.0.0.1:9", databaseUrl: url, endpoints: [], browser: false },
    { checkTimeoutMs: 20_000, botTimeoutMs: 60_000, breakerThreshold: 100, thresholdOverrides: {} },
  );
  findings = result.findings;
  checks = result.checks;
}, 180_000);
afterAll(() => closeProbeSessions());

const mentionsOwn = (text: string) => /troubleshooter/i.test(text);

describe("the database bot on a host database the add-on shares", () => {
  it("still finds the host's faults in public", () => {
    const codes = new Set(findings.filter((f) => f.draft.subject.includes("public.")).map((f) => f.code));
    for (const code of ["db.duplicate_indexes", "db.integrity_disabled", "db.sequence_exhaustion", "db.tables_without_primary_key", "db.invalid_indexes"]) {
      expect(codes, code).toContain(code);
    }
  });

  it("reports nothing about the add-on's own schemas: no finding, note or reason names them", () => {
    const about = findings.filter((f) => mentionsOwn(JSON.stringify(f.draft))).map((f) => `${f.code} ${f.draft.subject}`);
    expect(about).toEqual([]);
    const notes = checks.filter((c) => mentionsOwn(JSON.stringify(c))).map((c) => `${c.code}: ${JSON.stringify(c)}`);
    expect(notes).toEqual([]);
  });
});
