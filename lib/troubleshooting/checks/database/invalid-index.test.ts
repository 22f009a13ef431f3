// An index left invalid by a failed CREATE UNIQUE INDEX CONCURRENTLY, created for real; and its fix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../scripts/test/databases";
import { type Session, issuesOf, planAndApply, runCheck, session } from "../../../../scripts/test/checks";
import type { FixActionDef } from "../../catalogue";
import { dbReindexConcurrently } from "../../fixes/database/reindex-concurrently";
import { dbInvalidIndexes } from "./invalid-indexes";

let url: string;
let sql: Session;

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  sql = await session(url, "fault-maker");
});
afterAll(() => sql.end());

describe("invalid indexes", () => {
  it("finds the index a failed CREATE UNIQUE INDEX CONCURRENTLY left invalid; REINDEX fails while the cause remains, then rebuilds it", async () => {
    await sql.query("CREATE TABLE users (id int PRIMARY KEY, email text)");
    await sql.query("INSERT INTO users VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x')");
    await expect(sql.query("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)")).rejects.toThrow(/could not create unique index/);
    const [invalid] = issuesOf(await runCheck(dbInvalidIndexes, url));
    expect(invalid).toMatchObject({ severity: "medium", evidence: { index: "users_email_key", table: "users" } });

    expect(await planAndApply(dbReindexConcurrently as FixActionDef<never>, "db.invalid_indexes", invalid!, url)).toMatchObject({
      ok: false, detail: expect.stringContaining("duplicate values"),
    });
    expect((await runCheck(dbInvalidIndexes, url)).status).toBe("issues");

    await sql.query("DELETE FROM users WHERE id = 2");
    expect(await planAndApply(dbReindexConcurrently as FixActionDef<never>, "db.invalid_indexes", invalid!, url)).toMatchObject({ ok: true });
    expect((await runCheck(dbInvalidIndexes, url)).status).toBe("passed");
  });

});
