// An index left invalid by a failed CREATE UNIQUE INDEX CONCURRENTLY, created for real; and its fix,
// offered only once nothing in the table blocks the rebuild, and checked again right before it runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { type Session, issuesOf, planAndApply, runCheck, session } from "../../../../fixtures/test/checks";
import type { FixActionDef, IssueDraft } from "../../catalogue";
import { candidateFixes } from "../../fixes";
import { dbAdviseInvalidIndex } from "../../fixes/database/advice";
import { dbReindexConcurrently } from "../../fixes/database/reindex-concurrently";
import { dbInvalidIndexes } from "./invalid-indexes";

let url: string;
let sql: Session;

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  sql = await session(url, "fault-maker");
});
afterAll(() => sql.end());

const view = (issue: IssueDraft) => ({ id: "issue", code: "db.invalid_indexes", subject: issue.subject, evidence: issue.evidence });
const reindex = dbReindexConcurrently as FixActionDef<never>;

describe("invalid indexes", () => {
  it("finds the index a failed CREATE UNIQUE INDEX CONCURRENTLY left invalid; REINDEX is not offered while duplicates remain, then rebuilds it", async () => {
    await sql.query("CREATE TABLE users (id int PRIMARY KEY, email text)");
    await sql.query("INSERT INTO users VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x'), (4, 'b@x'), (5, 'b@x'), (6, 'c@x'), (7, NULL), (8, NULL)");
    await expect(sql.query("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)")).rejects.toThrow(/could not create unique index/);
    const [invalid] = issuesOf(await runCheck(dbInvalidIndexes, url));
    // two key values held by five rows; the NULLs are distinct for a unique index and do not count
    expect(invalid).toMatchObject({
      severity: "medium",
      evidence: { index: "users_email_key", table: "users", unique: true, keyColumns: ["email"], duplicateKeyGroups: 2, duplicateRows: 5, duplicatesNotCounted: null },
    });

    expect(dbReindexConcurrently.plan(view(invalid!))).toBeNull();
    const offered = candidateFixes(view(invalid!)).map((f) => f.action.code);
    expect(offered).toEqual(["db.advise_invalid_index"]);
    const steps = dbAdviseInvalidIndex.plan(view(invalid!))?.steps ?? "";
    expect(steps).toContain('2 key value(s) are held by 5 rows with SELECT "email", count(*) FROM "public"."users" GROUP BY "email" HAVING count(*) > 1;');
    expect(steps.indexOf("1. Remove the duplicate rows")).toBeLessThan(steps.indexOf('2. Rebuild it: REINDEX INDEX CONCURRENTLY "public"."users_email_key"'));

    await sql.query("DELETE FROM users WHERE id IN (2, 4, 5)");
    const [clean] = issuesOf(await runCheck(dbInvalidIndexes, url));
    expect(clean?.evidence).toMatchObject({ duplicateKeyGroups: 0, duplicateRows: 0 });
    expect(dbAdviseInvalidIndex.plan(view(clean!))).toBeNull();
    expect(await planAndApply(reindex, "db.invalid_indexes", clean!, url)).toMatchObject({ ok: true, detail: expect.stringContaining("completed") });
    expect((await runCheck(dbInvalidIndexes, url)).status).toBe("passed");
  });

  it("re-checks the duplicates right before REINDEX: rows that came back after planning stop it, without running it", async () => {
    await sql.query("CREATE TABLE accounts (id int PRIMARY KEY, handle text)");
    await sql.query("INSERT INTO accounts VALUES (1, 'x'), (2, 'x')");
    await expect(sql.query("CREATE UNIQUE INDEX CONCURRENTLY accounts_handle_key ON accounts (handle)")).rejects.toThrow(/could not create unique index/);
    await sql.query("DELETE FROM accounts WHERE id = 2");
    const [issue] = issuesOf(await runCheck(dbInvalidIndexes, url)).filter((i) => i.evidence.index === "accounts_handle_key");
    const params = dbReindexConcurrently.plan(view(issue!));
    expect(params).toEqual({ schema: "public", index: "accounts_handle_key" });

    await sql.query("INSERT INTO accounts VALUES (3, 'x')"); // between approval and apply
    // REINDEX CONCURRENTLY would wait for this lock (and the apply run into its 5 s signal);
    // counting duplicates does not: a prompt answer shows REINDEX was never sent.
    const locker = await session(url, "lock-holder");
    await locker.query("BEGIN; LOCK TABLE accounts IN SHARE UPDATE EXCLUSIVE MODE");
    try {
      const result = await dbReindexConcurrently.apply(params!, {
        target: { baseUrl: "http://127.0.0.1:9", databaseUrl: url, endpoints: [], browser: false },
        signal: AbortSignal.timeout(5_000),
        integrations: {},
        credentials: null,
      });
      expect(result).toMatchObject({ ok: false, detail: expect.stringContaining("1 key value(s) are held by more than one row (2 rows) again") });
      expect(result.detail).toContain("not run");
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
    const { rows } = await sql.query<{ valid: boolean }>("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'accounts_handle_key'::regclass");
    expect(rows).toEqual([{ valid: false }]);
    const invalidCopies = await sql.query("SELECT 1 FROM pg_class WHERE relname LIKE 'accounts_handle_key_ccnew%'");
    expect(invalidCopies.rowCount).toBe(0);
  });

  it("does not count duplicates in a table too large to read within the statement timeout, and does not offer REINDEX then", { timeout: 60_000 }, async () => {
    // A real table past the 1,000,000-row limit (about 40 MB, written in a few seconds), two of its rows sharing a code.
    await sql.query("CREATE TABLE big (code int) WITH (autovacuum_enabled = false)");
    await sql.query("INSERT INTO big SELECT g FROM generate_series(1, 1100000) g; INSERT INTO big VALUES (1); ANALYZE big");
    await expect(sql.query("CREATE UNIQUE INDEX CONCURRENTLY big_code_key ON big (code)")).rejects.toThrow(/could not create unique index/);
    const [issue] = issuesOf(await runCheck(dbInvalidIndexes, url)).filter((i) => i.evidence.index === "big_code_key");
    expect(issue?.evidence).toMatchObject({ duplicateKeyGroups: null, duplicatesNotCounted: expect.stringContaining("too large to count duplicates") });
    expect(dbReindexConcurrently.plan(view(issue!))).toBeNull();
    expect(dbAdviseInvalidIndex.plan(view(issue!))?.steps).toContain("Duplicates were not counted");
  });
});
