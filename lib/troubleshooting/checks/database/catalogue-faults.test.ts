// Catalog-level faults created for real: replication slots pinning WAL, forgotten prepared
// transactions, disabled triggers and NOT VALID constraints, foreign keys without an index,
// tables without a primary key; and the whole database catalogue on brand-new databases.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../../../../scripts/lib/embedded-postgres";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { type Session, asAppRole, eventually, issuesOf, runCheck, session } from "../../../../fixtures/test/checks";
import type { IssueDraft } from "../../catalogue";
import { closeProbeSessions } from "../../probes/database";
import { checksFor } from "../index";
import { dbForeignKeyWithoutIndex } from "./foreign-key-without-index";
import { dbIntegrityDisabled } from "./integrity-disabled";
import { dbPreparedTransactions } from "./prepared-transactions";
import { dbReplicationSlots } from "./replication-slots";
import { dbTablesWithoutPrimaryKey } from "./tables-without-primary-key";

let url: string;
let sql: Session;
const suffix = Math.random().toString(36).slice(2, 8);
const slots: string[] = [];
const prepared: string[] = [];

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  sql = await session(url, "fault-maker");
});
afterAll(async () => {
  // Slots and prepared transactions outlive sessions and databases: leave none for other files.
  for (const gid of prepared) await sql.query(`ROLLBACK PREPARED '${gid}'`).catch(() => {});
  for (const slot of slots) await sql.query("SELECT pg_drop_replication_slot($1)", [slot]).catch(() => {});
  await sql.end();
});

const about = (issues: IssueDraft[], key: string, value: unknown) => issues.filter((i) => i.evidence[key] === value);
const issuesOrNone = (outcome: Awaited<ReturnType<typeof runCheck>>) => (outcome.status === "issues" ? outcome.issues : []);

describe("replication slots", () => {
  it("finds a forgotten physical slot that reserves WAL, measures what it retains, and advises dropping it by its quoted name", async () => {
    const name = `forgotten_${suffix}`;
    const mine = async () => about(issuesOrNone(await runCheck(dbReplicationSlots, url)), "slot", name);
    expect(await mine()).toEqual([]);
    await sql.query("SELECT pg_create_physical_replication_slot($1, true)", [name]);
    slots.push(name);
    await sql.query("CREATE TABLE wal_filler (id int, body text); INSERT INTO wal_filler SELECT g, repeat('w', 200) FROM generate_series(1, 20000) g");
    await sql.query("SELECT pg_switch_wal()");

    const [slot] = await mine();
    expect(slot).toMatchObject({
      severity: "low", // inactive for under an hour, well under 1 GiB
      subject: `slot:${name}`,
      evidence: { slotType: "physical", active: false, walStatus: "reserved", measuredFrom: "pg_current_wal_lsn()", maxSlotWalKeepSize: "-1" },
    });
    expect(slot?.evidence.retainedBytes).toBeGreaterThan(4_000_000);
    expect(slot?.evidence.inactiveSince).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/)); // PostgreSQL 17+
    expect(slot?.recommendation).toContain(`SELECT pg_drop_replication_slot('${name}');`);
    expect(slot?.recommendation).toContain("max_slot_wal_keep_size");

    // Its retained WAL past the byte thresholds (1 GiB of WAL is too slow to write in a test).
    const [big] = about(issuesOf(await runCheck(dbReplicationSlots, url, { mediumBytes: 1_000_000, highBytes: 2_000_000 })), "slot", name);
    expect(big?.severity).toBe("high");
    expect(big?.description).toContain("of WAL");

    // The app role sees slots too (pg_replication_slots is readable by all).
    const [seen] = about(issuesOf(await runCheck(dbReplicationSlots, await asAppRole(url))), "slot", name);
    expect(seen?.evidence.retainedBytes).toBeGreaterThan(0);

    await sql.query("SELECT pg_drop_replication_slot($1)", [name]);
    expect(await mine()).toEqual([]);
  });

  it("reports logical slots of this database only, with their catalog_xmin; physical ones from every database", async () => {
    // The shared test server runs wal_level = replica; logical slots need a server of their own.
    const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-slots-"));
    const server: EmbeddedServer = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "slots-pw", database: "shop", persistent: false, settings: { wal_level: "logical" } });
    try {
      await server.createDatabase("other");
      const shop = await session(server.url, "fault-maker");
      const other = await session(server.urlFor("other"), "fault-maker");
      await shop.query("SELECT pg_create_logical_replication_slot('cdc_shop', 'pgoutput')");
      await other.query("SELECT pg_create_logical_replication_slot('cdc_other', 'pgoutput')");
      await other.query("SELECT pg_create_physical_replication_slot('standby_1', true)");
      await shop.query("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000)");
      const found = issuesOf(await runCheck(dbReplicationSlots, server.url));
      expect(found.map((i) => i.evidence.slot).sort()).toEqual(["cdc_shop", "standby_1"]);
      expect(about(found, "slot", "cdc_shop")[0]).toMatchObject({ severity: "low", evidence: { slotType: "logical", database: "shop", plugin: "pgoutput" } });
      expect(about(found, "slot", "cdc_shop")[0]?.evidence.catalogXminAge).toBeGreaterThan(0);
      // A catalog_xmin past the age threshold holds back vacuum of the catalogs: medium.
      await shop.query("SELECT txid_current()"); // one more transaction: catalog_xmin ages
      const aged = about(issuesOf(await runCheck(dbReplicationSlots, server.url, { mediumXminAge: 1 })), "slot", "cdc_shop")[0];
      expect(aged?.severity).toBe("medium");
      expect(aged?.description).toContain("catalog_xmin");
      await shop.end();
      await other.end();
    } finally {
      await closeProbeSessions();
      await server.stop();
    }
  });
});

describe("prepared transactions", () => {
  it("finds a prepared transaction left behind, with its locks and the session waiting on it, and names the statements to finish it", async () => {
    await sql.query("CREATE TABLE payments (id int PRIMARY KEY, amount int); INSERT INTO payments VALUES (1, 10)");
    const gid = `pay-${suffix}-o'brien`;
    const coordinator = await session(url, "xa-coordinator");
    await coordinator.query("BEGIN; UPDATE payments SET amount = 20 WHERE id = 1; INSERT INTO payments VALUES (2, 5)");
    await coordinator.query(`PREPARE TRANSACTION '${gid.replaceAll("'", "''")}'`);
    prepared.push(gid.replaceAll("'", "''"));
    await coordinator.end(); // the session is gone; the transaction is not
    expect((await runCheck(dbPreparedTransactions, url)).status).toBe("passed"); // younger than 5 min

    const [found] = issuesOf(await eventually(() => runCheck(dbPreparedTransactions, url, { mediumSeconds: 1 }), (o) => o.status === "issues"));
    expect(found).toMatchObject({ severity: "medium", evidence: { gid, owner: "postgres", waitingSessions: 0, locks: expect.arrayContaining([{ relation: "payments", mode: "RowExclusiveLock" }]) } });
    expect(found?.evidence.locksHeld).toBeGreaterThanOrEqual(2);
    expect(found?.recommendation).toContain(`COMMIT PREPARED 'pay-${suffix}-o''brien';`);
    expect(found?.recommendation).toContain(`ROLLBACK PREPARED 'pay-${suffix}-o''brien';`);

    const waiter = await session(url, "waiter");
    const waited = waiter.query("UPDATE payments SET amount = 30 WHERE id = 1").then(() => "done", (e: Error) => e.message);
    const blocking = await eventually(() => runCheck(dbPreparedTransactions, url, { mediumSeconds: 1 }), (o) => o.status === "issues" && o.issues[0]?.evidence.waitingSessions === 1);
    expect(issuesOf(blocking)[0]).toMatchObject({ severity: "high", evidence: { waitingSessions: 1 } });

    await sql.query(`ROLLBACK PREPARED '${gid.replaceAll("'", "''")}'`);
    expect(await waited).toBe("done");
    await waiter.end();
    expect((await runCheck(dbPreparedTransactions, url, { mediumSeconds: 0 })).status).toBe("passed");
  });
});

describe("integrity rules not enforced", () => {
  it("finds a foreign key whose triggers DISABLE TRIGGER ALL turned off (high), a disabled user trigger (medium) and NOT VALID constraints (low)", async () => {
    await sql.query(`CREATE TABLE authors (id int PRIMARY KEY);
      CREATE TABLE "Books" (id int PRIMARY KEY, author_id int REFERENCES authors (id), pages int);
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER "audit ""books""" BEFORE UPDATE ON "Books" FOR EACH ROW EXECUTE FUNCTION touch()`);
    expect((await runCheck(dbIntegrityDisabled, url)).status).toBe("passed");

    await sql.query(`ALTER TABLE "Books" DISABLE TRIGGER ALL`);
    await sql.query(`INSERT INTO "Books" VALUES (1, 999, 10)`); // an orphan: the foreign key is off
    const found = issuesOf(await runCheck(dbIntegrityDisabled, url));
    const fk = about(found, "kind", "constraint_triggers_disabled");
    expect(fk).toHaveLength(1);
    expect(fk[0]).toMatchObject({ severity: "high", evidence: { table: "Books", constraint: "Books_author_id_fkey", constraintType: "foreign key", referencedTable: "public.authors" } });
    expect(fk[0]?.evidence.triggers).toHaveLength(2); // the insert and update checks
    expect(fk[0]?.recommendation).toContain(`ALTER TABLE "public"."Books" ENABLE TRIGGER ALL;`);
    const user = about(found, "kind", "trigger_disabled");
    expect(user).toEqual([expect.objectContaining({ severity: "medium", evidence: expect.objectContaining({ trigger: 'audit "books"' }) })]);
    expect(user[0]?.recommendation).toContain(`ENABLE TRIGGER "audit ""books""";`);

    await sql.query(`ALTER TABLE "Books" ENABLE TRIGGER ALL`);
    await sql.query(`ALTER TABLE "Books" ADD CONSTRAINT pages_positive CHECK (pages > 0) NOT VALID;
      ALTER TABLE "Books" DROP CONSTRAINT "Books_author_id_fkey";
      ALTER TABLE "Books" ADD CONSTRAINT books_author FOREIGN KEY (author_id) REFERENCES authors (id) NOT VALID;
      ALTER TABLE "Books" ADD CONSTRAINT pages_not_null NOT NULL pages NOT VALID`);
    const notValid = issuesOf(await runCheck(dbIntegrityDisabled, url));
    expect(notValid.every((i) => i.severity === "low" && i.evidence.kind === "not_valid")).toBe(true);
    expect(notValid.map((i) => [i.evidence.constraint, i.evidence.constraintType]).sort()).toEqual([
      ["books_author", "foreign key"],
      ["pages_not_null", "NOT NULL constraint"],
      ["pages_positive", "check constraint"],
    ]);
    expect(notValid.find((i) => i.evidence.constraint === "pages_positive")?.recommendation).toContain(`ALTER TABLE "public"."Books" VALIDATE CONSTRAINT "pages_positive";`);

    await sql.query(`ALTER TABLE "Books" VALIDATE CONSTRAINT pages_positive; ALTER TABLE "Books" VALIDATE CONSTRAINT pages_not_null`);
    await sql.query(`DELETE FROM "Books" WHERE author_id = 999; ALTER TABLE "Books" VALIDATE CONSTRAINT books_author`);
    expect((await runCheck(dbIntegrityDisabled, url)).status).toBe("passed");
  });
});

describe("foreign keys without an index", () => {
  it("finds an unindexed foreign key (low when small, medium when large or its parent sees deletes) and passes once an index leads with its columns", async () => {
    await sql.query(`CREATE TABLE customers (id int PRIMARY KEY, region int, UNIQUE (id, region));
      INSERT INTO customers SELECT g, g % 5 FROM generate_series(1, 2000) g;
      CREATE TABLE invoices (id int PRIMARY KEY, customer_id int REFERENCES customers, region int,
        FOREIGN KEY (customer_id, region) REFERENCES customers (id, region));
      INSERT INTO invoices SELECT g, g % 2000 + 1, (g % 2000 + 1) % 5 FROM generate_series(1, 50) g`);
    await sql.query("SELECT pg_stat_force_next_flush()");
    const mine = async (thresholds = {}) => (await runCheck(dbForeignKeyWithoutIndex, url, thresholds).then(issuesOrNone)).filter((i) => i.evidence.table === "invoices");
    const small = await mine();
    expect(small.map((i) => [i.evidence.columns, i.severity]).sort()).toEqual([
      [["customer_id"], "low"],
      [["customer_id", "region"], "low"],
    ]);
    expect(small[0]).toMatchObject({ evidence: { referencedTable: "customers", rows: 50 } });
    expect(small.find((i) => (i.evidence.columns as string[]).length === 2)?.recommendation).toContain(`CREATE INDEX CONCURRENTLY ON "public"."invoices" ("customer_id", "region");`);

    // 10,000+ rows: medium.
    await sql.query("INSERT INTO invoices SELECT g, g % 2000 + 1, (g % 2000 + 1) % 5 FROM generate_series(51, 12000) g");
    await sql.query("SELECT pg_stat_force_next_flush()");
    expect((await eventually(mine, (f) => f.every((i) => i.severity === "medium"))).map((i) => i.severity)).toEqual(["medium", "medium"]);

    // An index leading with (region, customer_id) covers both keys' lookups only for the two-column one.
    await sql.query("CREATE INDEX invoices_region_customer ON invoices (region, customer_id, id)");
    expect((await mine()).map((i) => i.evidence.columns)).toEqual([["customer_id"]]);
    // A partial index does not cover every row; a full one does.
    await sql.query("CREATE INDEX invoices_customer_some ON invoices (customer_id) WHERE id > 100");
    expect((await mine()).map((i) => i.evidence.columns)).toEqual([["customer_id"]]);
    await sql.query("CREATE INDEX invoices_customer ON invoices (customer_id)");
    expect(await mine()).toEqual([]);
  });

  it("calls a small referencing table medium when its parent sees deletes, each of which scans it", async () => {
    await sql.query(`CREATE TABLE sellers (id int PRIMARY KEY); INSERT INTO sellers SELECT generate_series(1, 3000);
      CREATE TABLE listings (id int PRIMARY KEY, seller_id int REFERENCES sellers);
      INSERT INTO listings SELECT g, g FROM generate_series(1, 1500) g;
      DELETE FROM sellers WHERE id > 2800`);
    await sql.query("SELECT pg_stat_force_next_flush()");
    const found = await eventually(
      async () => (await runCheck(dbForeignKeyWithoutIndex, url).then(issuesOrNone)).filter((i) => i.evidence.table === "listings"),
      (f) => f[0]?.severity === "medium",
    );
    expect(found[0]).toMatchObject({ severity: "medium", evidence: { referencedTable: "sellers", referencedDeletes: 200, rows: 1500 } });
  });
});

describe("tables without a primary key", () => {
  it("finds keyless tables (low), judges partitioned tables once, and leaves tables keyed by a unique NOT NULL index out unless a publication makes their writes fail (high)", async () => {
    await sql.query(`CREATE TABLE audit_log (at timestamptz, line text);
      CREATE TABLE tags (slug text NOT NULL, label text, CONSTRAINT tags_slug UNIQUE (slug));
      CREATE TABLE metrics (at date NOT NULL, v int) PARTITION BY RANGE (at);
      CREATE TABLE metrics_2026 PARTITION OF metrics FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE TABLE keyed (id int PRIMARY KEY);
      CREATE TABLE labels (code text NOT NULL); CREATE UNIQUE INDEX labels_code ON labels (code)`);
    const mine = ["audit_log", "tags", "metrics", "metrics_2026", "keyed", "labels"];
    const quiet = await runCheck(dbTablesWithoutPrimaryKey, url);
    const found = issuesOrNone(quiet).filter((i) => mine.includes(String(i.evidence.table)));
    expect(found.map((i) => i.evidence.table).sort()).toEqual(["audit_log", "metrics"]);
    expect(found.every((i) => i.severity === "low")).toBe(true);
    expect("note" in quiet ? quiet.note : "").toMatch(/public\.labels by labels_code.*public\.tags by tags_slug|public\.tags by tags_slug.*public\.labels by labels_code/);
    expect(found.find((i) => i.evidence.table === "audit_log")?.description).toContain("Logical replication cannot publish its UPDATEs and DELETEs");
    expect(found.find((i) => i.evidence.table === "metrics")?.evidence.partitioned).toBe(true);

    // Published with its UPDATEs: PostgreSQL refuses them on a table with no replica identity.
    await sql.query("CREATE PUBLICATION keyless_pub FOR TABLE tags, labels, audit_log");
    await sql.query("INSERT INTO tags VALUES ('a', 'A')");
    await expect(sql.query("UPDATE tags SET label = 'B'")).rejects.toThrow(/does not have a replica identity/);
    const published = issuesOrNone(await runCheck(dbTablesWithoutPrimaryKey, url)).filter((i) => mine.includes(String(i.evidence.table)));
    expect(published.map((i) => [i.evidence.table, i.severity]).sort()).toEqual([["audit_log", "high"], ["labels", "high"], ["metrics", "low"], ["tags", "high"]]);
    const tags = published.find((i) => i.evidence.table === "tags");
    const labels = published.find((i) => i.evidence.table === "labels");
    expect(tags?.evidence).toMatchObject({ primaryKeyCandidate: { index: "tags_slug", constraint: "tags_slug", columns: ["slug"] }, replicaIdentity: "default", publications: ["keyless_pub"] });
    // The index of a UNIQUE constraint cannot become the key itself: the advice builds a twin.
    expect(tags?.recommendation).toContain(`CREATE UNIQUE INDEX CONCURRENTLY "tags_pkey" ON "public"."tags" ("slug"); ALTER TABLE "public"."tags" ADD PRIMARY KEY USING INDEX "tags_pkey"; ALTER TABLE "public"."tags" REPLICA IDENTITY DEFAULT; ALTER TABLE "public"."tags" DROP CONSTRAINT "tags_slug";`);
    expect(labels?.recommendation).toContain(`ALTER TABLE "public"."labels" ADD PRIMARY KEY USING INDEX "labels_code";`);

    // Run the advice as given: the identity at once, then the key; updates work at each step.
    for (const statement of String(tags?.recommendation).match(/(CREATE UNIQUE INDEX|ALTER TABLE)[^;]+;/g) ?? []) {
      await sql.query(statement);
      await sql.query("UPDATE tags SET label = 'C'");
    }
    for (const statement of String(labels?.recommendation).match(/ALTER TABLE[^;]+;/g) ?? []) await sql.query(statement);
    await sql.query("ALTER TABLE audit_log REPLICA IDENTITY FULL");
    const after = issuesOrNone(await runCheck(dbTablesWithoutPrimaryKey, url));
    expect(after.filter((i) => i.evidence.table === "tags" || i.evidence.table === "labels")).toEqual([]);
    expect(after.find((i) => i.evidence.table === "audit_log")).toMatchObject({ severity: "low", evidence: { replicaIdentity: "full" } });
    await sql.query("DROP PUBLICATION keyless_pub");
  });
});

describe("the database catalogue on brand-new databases", () => {
  it("finds nothing of medium or worse on the product's migrated schema or on an empty database", async () => {
    const databases = { migrated: await createTestDatabase(), empty: await createTestDatabase({ migrate: false }) };
    for (const [label, database] of Object.entries(databases)) {
      const outcomes = await Promise.all(checksFor("database").map(async (check) => [check.code, await runCheck(check, database)] as const));
      const serious = outcomes.flatMap(([code, o]) => (o.status === "issues" ? o.issues.filter((i) => i.severity !== "low" && i.severity !== "info").map((i) => `${code}: ${i.title}`) : []));
      expect(serious, label).toEqual([]);
      const errors = outcomes.filter(([, o]) => o.status === "error").map(([code, o]) => `${code}: ${"reason" in o ? o.reason : ""}`);
      expect(errors, label).toEqual([]);
    }
  });

  it("runs the new catalog checks in well under a second on 200 tables and 1,000,000 rows", async () => {
    const big = await createTestDatabase({ migrate: false });
    const setup = await session(big, "fault-maker");
    await setup.query(`DO $$ BEGIN
      CREATE TABLE parent0 (id int PRIMARY KEY);
      INSERT INTO parent0 SELECT generate_series(1, 5000);
      FOR i IN 1..199 LOOP
        EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, parent_id int REFERENCES parent0, v int CHECK (v >= 0))', i);
        EXECUTE format('INSERT INTO t%s SELECT g, g %% 5000 + 1, g FROM generate_series(1, 5025) g', i);
      END LOOP; END $$`);
    await setup.query("ANALYZE");
    await setup.end();
    const checks = [dbReplicationSlots, dbPreparedTransactions, dbIntegrityDisabled, dbForeignKeyWithoutIndex, dbTablesWithoutPrimaryKey];
    await runCheck(dbForeignKeyWithoutIndex, big); // the pooled session is opened once
    const started = performance.now();
    const outcomes = await Promise.all(checks.map((check) => runCheck(check, big)));
    const elapsed = performance.now() - started;
    expect(outcomes.map((o) => o.status)).toEqual(["passed", "passed", "passed", "issues", "passed"]);
    expect(issuesOf(outcomes[3]!)).toHaveLength(50); // 199 unindexed foreign keys, the 50 largest reported
    expect(elapsed).toBeLessThan(1_000);
  });
});
