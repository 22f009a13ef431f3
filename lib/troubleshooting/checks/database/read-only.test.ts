// Diagnostics never write: the whole database catalogue runs as a role that can only read and
// monitor (pg_monitor), on a database with faults, and every check completes.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { asLoginRole, session } from "../../../../fixtures/test/checks";
import { testTarget } from "../../../../fixtures/test/engine";
import { createDiagnosticBot } from "../../workflow/bots/diagnostic-bot";
import { CHECKS } from "..";

describe("read-only diagnostics", () => {
  it("runs every database check as a read-and-monitor role without a permission error", async () => {
    const url = await createTestDatabase();
    const admin = await session(url, "setup");
    const watcher = await asLoginRole(url, "watcher", "watcher-pw", "IN ROLE pg_monitor", "GRANT CONNECT ON DATABASE {db} TO watcher; GRANT SELECT ON ALL TABLES IN SCHEMA public TO watcher");
    await admin.query("CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT g, 'n' FROM generate_series(1, 2000) g");
    const rights = await admin.query<{ write: boolean; create: boolean }>(
      "SELECT has_table_privilege('watcher', 'notes', 'INSERT,UPDATE,DELETE,TRUNCATE') AS write, has_schema_privilege('watcher', 'public', 'CREATE') AS create",
    );
    expect(rights.rows[0]).toEqual({ write: false, create: false });
    await admin.end();

    const bot = createDiagnosticBot("database");
    const result = await bot.runDiagnostics(
      testTarget("http://127.0.0.1:9", watcher),
      { checkTimeoutMs: 10_000, botTimeoutMs: 30_000, breakerThreshold: 100 },
    );
    const errors = result.checks.filter((c) => c.status === "error");
    expect(errors).toEqual([]);
    expect(result.checks.map((c) => c.code).sort()).toEqual(CHECKS.filter((c) => c.domain === "database").map((c) => c.code).sort());
    expect(result.checks.filter((c) => c.status === "passed").length).toBeGreaterThan(10);
  });
});
