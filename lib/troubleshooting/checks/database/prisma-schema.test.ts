// Prisma in the schema the app really uses (?schema= in its database URL), and a failed
// CREATE UNIQUE INDEX CONCURRENTLY migration reported once, with the invalid index it left.
import { cp, mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HOST_MIGRATIONS_DIR, createHostDatabase } from "../../../../fixtures/test/host-database";
import { issuesOf, runCheck, session } from "../../../../fixtures/test/checks";
import { candidateFixes } from "../../fixes";
import { dbAdviseFailedMigration } from "../../fixes/database/advice";
import { dbInvalidIndexes } from "./invalid-indexes";
import { dbPrismaMigrationsDrift } from "./prisma-migrations-drift";
import { dbPrismaMigrationsFailed } from "./prisma-migrations-failed";

let url: string;
const withSchema = (schema: string) => {
  const u = new URL(url);
  u.searchParams.set("schema", schema);
  return u.toString();
};

/** A copy of Prisma's own table (the host's migrations created it in public) in another schema. */
async function prismaTableIn(schema: string) {
  const sql = await session(url, "deploy");
  const quoted = `"${schema.replaceAll('"', '""')}"`;
  await sql.query(`CREATE SCHEMA ${quoted}; CREATE TABLE ${quoted}._prisma_migrations (LIKE public._prisma_migrations INCLUDING ALL)`);
  await sql.end();
}

/** A row as Prisma Migrate leaves it when a migration's script fails: started, never finished, the error in logs. */
async function failedRow(schema: string, name: string, logs: string) {
  const sql = await session(url, "deploy");
  await sql.query(
    `INSERT INTO "${schema.replaceAll('"', '""')}"._prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count, logs)
     VALUES (gen_random_uuid()::text, 'x', $1, now(), 0, $2)`,
    [name, logs],
  );
  await sql.end();
}

beforeAll(async () => {
  url = await createHostDatabase(); // a host's migrations: public._prisma_migrations, all applied
  await prismaTableIn("app");
});

describe("Prisma migrations in the URL's schema", () => {
  it("finds a failed migration in the schema named by ?schema= (pg connects with the parameter), and says which schema it read", async () => {
    await failedRow("app", "20261201000000_add_orders", 'Database error code: 42P07\n\nDatabase error:\nERROR: relation "orders" already exists\n');
    expect(await runCheck(dbPrismaMigrationsFailed, url)).toMatchObject({ status: "passed", evidence: { schema: "public" } });
    const [issue] = issuesOf(await runCheck(dbPrismaMigrationsFailed, withSchema("app")));
    expect(issue).toMatchObject({ severity: "critical", subject: "20261201000000_add_orders", evidence: { migration: "20261201000000_add_orders", schema: "app", finished: false, errorCode: "42P07" } });
  });

  it("reads the drift from the same schema", async () => {
    const folder = path.join(await mkdtemp(path.join(os.tmpdir(), "drift-schema-")), "migrations");
    await cp(HOST_MIGRATIONS_DIR, folder, { recursive: true });
    const target = { migrationsDir: folder };
    expect(await runCheck(dbPrismaMigrationsDrift, url, {}, undefined, target)).toMatchObject({ status: "passed", evidence: { schema: "public" } });
    // app's history has no finished migration: every migration in the folder is pending there
    const [pending] = issuesOf(await runCheck(dbPrismaMigrationsDrift, withSchema("app"), {}, undefined, target));
    expect(pending).toMatchObject({ severity: "medium", subject: "pending", evidence: { schema: "app" } });
    const local = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(pending?.evidence.pending).toEqual(local);
  });

  it("says so when the URL's schema has no _prisma_migrations but another schema has one", async () => {
    const outcome = await runCheck(dbPrismaMigrationsFailed, withSchema("elsewhere"));
    expect(outcome).toMatchObject({ status: "skipped", reason: expect.stringContaining('no _prisma_migrations table in schema "elsewhere"') });
    expect(outcome).toMatchObject({ reason: expect.stringContaining('schema "app", "public" has one') });
    expect(await runCheck(dbPrismaMigrationsDrift, withSchema("elsewhere"), {}, undefined, { migrationsDir: HOST_MIGRATIONS_DIR })).toMatchObject({
      status: "skipped",
      reason: expect.stringContaining('no _prisma_migrations table in schema "elsewhere"'),
    });
  });

  it("quotes a schema name the URL controls instead of running it", async () => {
    const hostile = 'x"; DROP TABLE public._prisma_migrations; --';
    await prismaTableIn(hostile);
    await failedRow(hostile, "20261203000000_odd", "Database error code: 42601\n");
    const [issue] = issuesOf(await runCheck(dbPrismaMigrationsFailed, withSchema(hostile)));
    expect(issue?.evidence).toMatchObject({ schema: hostile, migration: "20261203000000_odd" });
    const sql = await session(url, "inspect");
    expect((await sql.query("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present")).rows).toEqual([{ present: true }]);
    await sql.end();
  });
});

describe("a failed CREATE UNIQUE INDEX CONCURRENTLY migration and the invalid index it left", () => {
  it("is one finding, owned by db.prisma_migrations_failed, with the steps in the order that works", async () => {
    const sql = await session(url, "deploy");
    await sql.query("CREATE TABLE app.members (id int PRIMARY KEY, email text)");
    await sql.query("INSERT INTO app.members VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x'), (4, 'c@x'), (5, 'c@x'), (6, 'c@x')");
    // The migration's script, run as Prisma runs it; it fails and leaves the index invalid.
    const error = await sql.query('CREATE UNIQUE INDEX CONCURRENTLY "members_email_key" ON app.members (email)').then(
      () => null,
      (err: { code: string; message: string; detail: string }) => err,
    );
    expect(error).toMatchObject({ code: "23505", message: 'could not create unique index "members_email_key"' });
    const logs =
      `Database error code: ${error!.code}\n\nDatabase error:\nERROR: ${error!.message}\nDETAIL: ${error!.detail}\n\n` +
      `DbError { severity: "ERROR", parsed_severity: Some(Error), code: SqlState(E${error!.code}), message: ${JSON.stringify(error!.message)}, ` +
      `detail: Some(${JSON.stringify(error!.detail)}), hint: None, position: None, where_: None, schema: Some("app"), table: Some("members"), column: None, ` +
      `datatype: None, constraint: Some("members_email_key"), file: Some("tuplesort.c"), line: Some(4297), routine: Some("comparetup_index_btree") }\n\n`;
    await failedRow("app", "20261202000000_unique_member_email", logs);

    const issues = issuesOf(await runCheck(dbPrismaMigrationsFailed, withSchema("app")));
    const linked = issues.find((i) => i.subject === "20261202000000_unique_member_email");
    expect(linked).toMatchObject({
      severity: "critical",
      title: expect.stringContaining("left index app.members_email_key invalid"),
      evidence: {
        migration: "20261202000000_unique_member_email",
        schema: "app",
        errorCode: "23505",
        invalidIndexes: [
          {
            schema: "app",
            index: "members_email_key",
            table: "members",
            definition: "CREATE UNIQUE INDEX members_email_key ON app.members USING btree (email)",
            unique: true,
            duplicateKeyGroups: 2,
            duplicateRows: 5,
          },
        ],
      },
    });
    expect(linked?.evidence.logsExcerpt).toContain("Key (email)=(…) is duplicated");
    expect(JSON.stringify(linked)).not.toContain("a@x"); // the application's data stays out of the evidence

    // Reported once: db.invalid_indexes leaves this index to the migration's finding and says so.
    const invalid = await runCheck(dbInvalidIndexes, withSchema("app"));
    expect(invalid).toMatchObject({ status: "skipped", reason: expect.stringContaining("app.members_email_key (20261202000000_unique_member_email)") });
    expect(invalid).toMatchObject({ reason: expect.stringContaining("db.prisma_migrations_failed") });

    // The advice is the only action, with the steps in order.
    const view = { id: "i", code: "db.prisma_migrations_failed", subject: linked!.subject, evidence: linked!.evidence };
    expect(candidateFixes(view).map((f) => f.action.code)).toEqual(["db.advise_resolve_migration"]);
    const steps = dbAdviseFailedMigration.plan(view)?.steps ?? "";
    const order = [
      '1. Remove the duplicate rows the unique index forbids: 2 key value(s) are held by 5 rows with SELECT "email", count(*) FROM "app"."members" GROUP BY "email" HAVING count(*) > 1;',
      '2. Drop the invalid index the failed migration left: DROP INDEX CONCURRENTLY "app"."members_email_key";',
      "3. Mark the migration rolled back: npx prisma migrate resolve --rolled-back 20261202000000_unique_member_email",
      "4. Redeploy: npx prisma migrate deploy",
    ];
    const positions = order.map((step) => steps.indexOf(step));
    expect(positions.every((p) => p >= 0), steps).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    // Why that order: with the duplicates gone but the invalid index still there, the migration's
    // statement fails again, now on the name; dropped first, it succeeds.
    await sql.query("DELETE FROM app.members WHERE id IN (2, 5, 6)");
    await expect(sql.query('CREATE UNIQUE INDEX CONCURRENTLY "members_email_key" ON app.members (email)')).rejects.toThrow('relation "members_email_key" already exists');
    await sql.query('DROP INDEX CONCURRENTLY "app"."members_email_key"');
    await sql.query('CREATE UNIQUE INDEX CONCURRENTLY "members_email_key" ON app.members (email)');
    await sql.end();

    const after = issuesOf(await runCheck(dbPrismaMigrationsFailed, withSchema("app"))).find((i) => i.subject === "20261202000000_unique_member_email");
    expect(after?.evidence).not.toHaveProperty("invalidIndexes"); // the index is valid now; the row waits for migrate resolve
    expect((await runCheck(dbInvalidIndexes, withSchema("app"))).status).toBe("passed");
  });

  it("leaves an invalid index with no failed migration behind it to db.invalid_indexes", async () => {
    const sql = await session(url, "deploy");
    await sql.query("CREATE TABLE app.tags (id int PRIMARY KEY, label text); INSERT INTO app.tags VALUES (1, 'x'), (2, 'x')");
    await expect(sql.query("CREATE UNIQUE INDEX CONCURRENTLY tags_label_key ON app.tags (label)")).rejects.toThrow(/could not create unique index/);
    await sql.end();
    const [issue] = issuesOf(await runCheck(dbInvalidIndexes, withSchema("app")));
    expect(issue).toMatchObject({ subject: "app.tags_label_key", evidence: { duplicateKeyGroups: 1, duplicateRows: 2 } });
    const linked = issuesOf(await runCheck(dbPrismaMigrationsFailed, withSchema("app")));
    expect(linked.some((i) => JSON.stringify(i.evidence).includes("tags_label_key"))).toBe(false);
  });
});
