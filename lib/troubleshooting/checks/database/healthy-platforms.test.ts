// Healthy databases of the kinds our users run, built for real on a server of their own: a Prisma
// SaaS schema with Auth.js's tables, the same with pg-boss and LangGraph's checkpointer beside it,
// and one with extensions, monthly partitions, materialized views and a busy-but-healthy workload.
// The whole database bot runs on each with its default thresholds, as the owner (superuser), as
// the application's own role and as a pg_monitor role: nothing of medium or worse, no error, and
// none of the false findings these databases once drew.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import PgBoss from "pg-boss";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../../../../scripts/lib/embedded-postgres";
import { asAppRole, asLoginRole } from "../../../../fixtures/test/checks";
import { withClient } from "../../../../fixtures/test/databases";
import { databaseDiagnosticBot } from "../../workflow/bots";
import type { Finding } from "../../workflow/bots/diagnostic-bot";
import type { CheckResult } from "../../report";
import { closeProbeSessions } from "../../probes/database";

let server: EmbeddedServer;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "db-healthy-"));
  server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "healthy-pw", persistent: false });
}, 120_000);
afterAll(async () => {
  await closeProbeSessions();
  await server?.stop();
});


/** The SQL `prisma migrate dev` generates for Auth.js's models (as @auth/prisma-adapter's docs
 * define them: Account keyed by (provider, providerAccountId), Session by its unique
 * sessionToken, no @@index on userId) and a SaaS's own: organizations, memberships, projects,
 * invoices, enums, and an implicit m:n relation. Prisma 6+ gives the implicit m:n table a
 * composite primary key; Prisma 5 and older gave it a unique index on (A, B). */
function prismaSaasSql(joinTable: "primary key" | "unique index"): string {
  return `
CREATE TYPE "Role" AS ENUM ('OWNER', 'ADMIN', 'MEMBER');
CREATE TYPE "InvoiceStatus" AS ENUM ('draft', 'open', 'paid', 'void');
CREATE TABLE "User" ("id" TEXT NOT NULL, "name" TEXT, "email" TEXT NOT NULL, "emailVerified" TIMESTAMP(3), "image" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Account" ("userId" TEXT NOT NULL, "type" TEXT NOT NULL, "provider" TEXT NOT NULL, "providerAccountId" TEXT NOT NULL,
  "refresh_token" TEXT, "access_token" TEXT, "expires_at" INTEGER, "token_type" TEXT, "scope" TEXT, "id_token" TEXT, "session_state" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL,
  CONSTRAINT "Account_pkey" PRIMARY KEY ("provider","providerAccountId"));
CREATE TABLE "Session" ("sessionToken" TEXT NOT NULL, "userId" TEXT NOT NULL, "expires" TIMESTAMP(3) NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL);
CREATE TABLE "VerificationToken" ("identifier" TEXT NOT NULL, "token" TEXT NOT NULL, "expires" TIMESTAMP(3) NOT NULL,
  CONSTRAINT "VerificationToken_pkey" PRIMARY KEY ("identifier","token"));
CREATE TABLE "Authenticator" ("credentialID" TEXT NOT NULL, "userId" TEXT NOT NULL, "providerAccountId" TEXT NOT NULL,
  "credentialPublicKey" TEXT NOT NULL, "counter" INTEGER NOT NULL, "credentialDeviceType" TEXT NOT NULL, "credentialBackedUp" BOOLEAN NOT NULL, "transports" TEXT,
  CONSTRAINT "Authenticator_pkey" PRIMARY KEY ("userId","credentialID"));
CREATE TABLE "Organization" ("id" TEXT NOT NULL, "name" TEXT NOT NULL, "slug" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "Organization_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Membership" ("id" TEXT NOT NULL, "role" "Role" NOT NULL DEFAULT 'MEMBER', "userId" TEXT NOT NULL, "organizationId" TEXT NOT NULL,
  CONSTRAINT "Membership_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Project" ("id" TEXT NOT NULL, "name" TEXT NOT NULL, "organizationId" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "Project_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Invoice" ("id" SERIAL NOT NULL, "number" TEXT NOT NULL, "status" "InvoiceStatus" NOT NULL DEFAULT 'draft', "amountCents" INTEGER NOT NULL,
  "organizationId" TEXT NOT NULL, "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id"));
CREATE TABLE "_ProjectToUser" ("A" TEXT NOT NULL, "B" TEXT NOT NULL${joinTable === "primary key" ? `, CONSTRAINT "_ProjectToUser_AB_pkey" PRIMARY KEY ("A","B")` : ""});
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");
CREATE UNIQUE INDEX "Authenticator_credentialID_key" ON "Authenticator"("credentialID");
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");
CREATE UNIQUE INDEX "Membership_userId_organizationId_key" ON "Membership"("userId", "organizationId");
CREATE INDEX "Project_organizationId_idx" ON "Project"("organizationId");
CREATE UNIQUE INDEX "Invoice_number_key" ON "Invoice"("number");
CREATE INDEX "Invoice_organizationId_issuedAt_idx" ON "Invoice"("organizationId", "issuedAt");
${joinTable === "unique index" ? `CREATE UNIQUE INDEX "_ProjectToUser_AB_unique" ON "_ProjectToUser"("A", "B");` : ""}
CREATE INDEX "_ProjectToUser_B_index" ON "_ProjectToUser"("B");
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Authenticator" ADD CONSTRAINT "Authenticator_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Project" ADD CONSTRAINT "Project_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "_ProjectToUser" ADD CONSTRAINT "_ProjectToUser_A_fkey" FOREIGN KEY ("A") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_ProjectToUser" ADD CONSTRAINT "_ProjectToUser_B_fkey" FOREIGN KEY ("B") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;`;
}

/** _prisma_migrations as the schema engine creates it, with every migration finished. */
const PRISMA_MIGRATIONS = `
CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0);
INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES
  ('5b1c0e2a-0000-4000-8000-000000000001', repeat('a', 64), '20250101000000_init', now() - interval '90 days', now() - interval '90 days', 1),
  ('5b1c0e2a-0000-4000-8000-000000000002', repeat('b', 64), '20250301000000_invoices', now() - interval '30 days', now() - interval '30 days', 1);`;

/** A few thousand rows, a day of sign-ins and edits (updates and deletes), then ANALYZE. */
const SAAS_ROWS = `
INSERT INTO "User" SELECT 'u' || g, 'User ' || g, 'user' || g || '@example.com', now(), NULL, now() - g * interval '1 hour', now() FROM generate_series(1, 3000) g;
INSERT INTO "Account" SELECT 'u' || g, 'oauth', 'github', 'gh' || g, NULL, md5(g::text), NULL, 'bearer', 'read:user', NULL, NULL, now(), now() FROM generate_series(1, 3000) g;
INSERT INTO "Session" SELECT md5('s' || g), 'u' || (g % 3000 + 1), now() + interval '30 days', now(), now() FROM generate_series(1, 5000) g;
INSERT INTO "VerificationToken" SELECT 'user' || g || '@example.com', md5('v' || g), now() + interval '1 day' FROM generate_series(1, 200) g;
INSERT INTO "Organization" SELECT 'o' || g, 'Org ' || g, 'org-' || g, now() FROM generate_series(1, 500) g;
INSERT INTO "Membership" SELECT 'm' || g, CASE WHEN g <= 500 THEN 'OWNER'::"Role" ELSE 'MEMBER'::"Role" END, 'u' || g, 'o' || (g % 500 + 1) FROM generate_series(1, 3000) g;
INSERT INTO "Project" SELECT 'p' || g, 'Project ' || g, 'o' || (g % 500 + 1), now() FROM generate_series(1, 2000) g;
INSERT INTO "Invoice" ("number", "status", "amountCents", "organizationId", "issuedAt")
  SELECT 'INV-' || g, 'paid', 1000 + g, 'o' || (g % 500 + 1), now() - g * interval '1 hour' FROM generate_series(1, 6000) g;
INSERT INTO "_ProjectToUser" SELECT 'p' || (g % 2000 + 1), 'u' || g FROM generate_series(1, 3000) g;
UPDATE "Session" SET "expires" = "expires" + interval '1 day' WHERE random() < 0.1;
DELETE FROM "Session" WHERE random() < 0.05;
UPDATE "Invoice" SET "status" = 'open' WHERE id % 50 = 0;
DELETE FROM "VerificationToken" WHERE random() < 0.2;`;

async function prismaSaas(url: string, joinTable: "primary key" | "unique index"): Promise<void> {
  await withClient(url, async (sql) => {
    await sql.query(PRISMA_MIGRATIONS);
    await sql.query(prismaSaasSql(joinTable));
    await sql.query(SAAS_ROWS);
    await sql.query("ANALYZE");
  });
}

/** pg-boss in its own schema, as an app uses it: a queue, jobs sent and worked, stopped. */
async function withPgBoss(url: string): Promise<void> {
  const boss = new PgBoss({ connectionString: url, schema: "pgboss", max: 2, schedule: false, supervise: false });
  boss.on("error", () => {});
  await boss.start();
  await boss.createQueue("emails");
  await boss.createQueue("emails-dead");
  await boss.updateQueue("emails", { deadLetter: "emails-dead" } as PgBoss.Queue);
  for (let i = 0; i < 20; i++) await boss.send("emails", { to: `user${i}@example.com` });
  const done = new Promise<void>((resolve) => {
    let worked = 0;
    void boss.work("emails", { batchSize: 5, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      worked += jobs.length;
      if (worked >= 20) resolve();
    });
  });
  await done;
  await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
}

/** LangGraph's Postgres checkpointer, set up where fromConnString puts it (public), with a thread. */
async function withLangGraph(url: string): Promise<void> {
  const saver = PostgresSaver.fromConnString(url);
  await saver.setup();
  const config = { configurable: { thread_id: "thread-1", checkpoint_ns: "" } };
  for (let step = 0; step < 3; step++) {
    const checkpoint = { v: 1, id: `00000000-0000-4000-8000-00000000000${step}`, ts: new Date().toISOString(), channel_values: { messages: [`m${step}`] }, channel_versions: { messages: step + 1 }, versions_seen: {}, pending_sends: [] };
    await saver.put(config, checkpoint, { source: "loop", step, parents: {} }, { messages: step + 1 });
  }
  await saver.end();
}

/** Extensions, monthly partitions, a materialized view, a view, an identity column, and a busy
 * but healthy workload (updates, deletes, autovacuum on, ANALYZE done). */
async function platformObjects(url: string): Promise<void> {
  await withClient(url, async (sql) => {
    await sql.query(`
CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email citext NOT NULL UNIQUE, name text NOT NULL, token uuid NOT NULL DEFAULT gen_random_uuid());
CREATE INDEX customers_name_trgm ON customers USING gin (name gin_trgm_ops);
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, customer_id bigint NOT NULL REFERENCES customers (id), at timestamptz NOT NULL, kind text NOT NULL,
  PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX events_customer_id_idx ON events (customer_id);
DO $$ DECLARE m date; BEGIN
  FOR i IN 0..5 LOOP
    m := date_trunc('month', now())::date - make_interval(months => i);
    EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', 'events_' || to_char(m, 'YYYY_MM'), m, m + interval '1 month');
  END LOOP;
END $$;
CREATE TABLE events_default PARTITION OF events DEFAULT;
INSERT INTO customers (email, name) SELECT 'c' || g || '@example.com', 'Customer ' || g FROM generate_series(1, 4000) g;
INSERT INTO events (customer_id, at, kind) SELECT g % 4000 + 1, now() - (g % 150) * interval '1 day', 'view' FROM generate_series(1, 30000) g;
CREATE MATERIALIZED VIEW daily_events AS SELECT date_trunc('day', at) AS day, count(*) AS n FROM events GROUP BY 1;
CREATE UNIQUE INDEX daily_events_day ON daily_events (day);
CREATE VIEW recent_customers AS SELECT * FROM customers WHERE id > 3000;
UPDATE customers SET name = name || ' (vip)' WHERE id % 10 = 0;
DELETE FROM events WHERE customer_id % 97 = 0;
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_events;
CREATE PUBLICATION customers_pub FOR TABLE customers;`);
    await sql.query("VACUUM ANALYZE");
  });
}

/** A role with pg_monitor only, as a monitoring user would be given. */
const asMonitorRole = (url: string) => asLoginRole(url, "monitor_user", "monitor-pw", "IN ROLE pg_monitor");

interface Run {
  findings: Finding[];
  checks: CheckResult[];
}

async function diagnose(databaseUrl: string): Promise<Run> {
  const result = await databaseDiagnosticBot.runDiagnostics(
    { baseUrl: "http://127.0.0.1:9", databaseUrl, endpoints: [], browser: false },
    { checkTimeoutMs: 10_000, botTimeoutMs: 30_000, breakerThreshold: 100, thresholdOverrides: {} },
  );
  return { findings: result.findings, checks: result.checks };
}

/** Every role a user connects the bot with: the owner, the app's own role, a pg_monitor role. */
async function diagnoseAsEveryRole(url: string): Promise<Record<string, Run>> {
  const app = await asAppRole(url);
  const monitor = await asMonitorRole(url);
  return { superuser: await diagnose(url), "app role": await diagnose(app), pg_monitor: await diagnose(monitor) };
}

const line = (f: Finding) => `${f.code} [${f.draft.severity}] ${f.draft.subject}: ${f.draft.title}`;
const serious = (run: Run) => run.findings.filter((f) => f.draft.severity !== "low").map(line);
const errors = (run: Run) => run.checks.filter((c) => c.status === "error").map((c) => `${c.code}: ${"reason" in c ? c.reason : ""}`);
const skipReason = (run: Run, code: string) => {
  const check = run.checks.find((c) => c.code === code);
  return check?.status === "skipped" && "reason" in check ? check.reason : "";
};

/** A database built by `build` as the application's own role (the owner of its tables, as an app
 * that runs its own migrations is), with extensions the superuser made, and ANALYZE done. While
 * the bot runs, another session of the app holds a temporary table with a foreign key. */
async function platform(name: string, build: (appUrl: string) => Promise<void>): Promise<Record<string, Run>> {
  await server.createDatabase(name);
  const url = server.urlFor(name);
  const app = await asAppRole(url);
  await withClient(url, (sql) => sql.query(`ALTER DATABASE ${name} OWNER TO app_user; ALTER SCHEMA public OWNER TO app_user`));
  await build(app);
  await withClient(url, (sql) => sql.query("ANALYZE"));
  const other = new pg.Client({ connectionString: app, application_name: "app-worker" });
  await other.connect();
  try {
    await other.query("CREATE TEMP TABLE scratch_parent (id int PRIMARY KEY); CREATE TEMP TABLE scratch (a int, parent int REFERENCES scratch_parent (id)); INSERT INTO scratch_parent VALUES (1); INSERT INTO scratch SELECT g, 1 FROM generate_series(1, 2000) g");
    return await diagnoseAsEveryRole(url);
  } finally {
    await other.end();
  }
}

describe("the database bot on healthy platforms", () => {
  let saas7: Record<string, Run>;
  let saas5: Record<string, Run>;
  let objects: Record<string, Run>;

  beforeAll(async () => {
    saas7 = await platform("saas_prisma7", (url) => prismaSaas(url, "primary key"));
    saas5 = await platform("saas_prisma5_queue_agent", async (url) => {
      await prismaSaas(url, "unique index");
      await withPgBoss(url);
      await withLangGraph(url);
    });
    objects = await platform("partitions_extensions", platformObjects);
  }, 240_000);

  it("reports nothing of medium or worse and no error on any of them, as the owner, the app's role or a pg_monitor role", () => {
    for (const [kind, runs] of Object.entries({ "Prisma 7 SaaS": saas7, "Prisma 5 SaaS + pg-boss + LangGraph": saas5, "partitions and extensions": objects })) {
      for (const [role, run] of Object.entries(runs)) {
        expect(serious(run), `${kind} as ${role}`).toEqual([]);
        expect(errors(run), `${kind} as ${role}`).toEqual([]);
      }
    }
  });

  it("leaves pg-boss's and LangGraph's own tables to those libraries, and says so", () => {
    for (const run of Object.values(saas5)) {
      expect(run.findings.filter((f) => /^pgboss\.|checkpoint/.test(f.draft.subject)).map(line)).toEqual([]);
      const fk = run.checks.find((c) => c.code === "db.foreign_key_without_index");
      expect(fk && "note" in fk ? fk.note : "").toMatch(/pg-boss: 4 \(.*pgboss\.queue\.queue_dead_letter_fkey/);
    }
  });

  it("does not call Auth.js's Session or Prisma 5's implicit m:n table keyless: a unique NOT NULL index keys them, and no publication needs more", () => {
    for (const runs of [saas7, saas5]) {
      for (const run of Object.values(runs)) expect(run.findings.filter((f) => f.code === "db.tables_without_primary_key").map(line)).toEqual([]);
    }
    const pk = saas5.superuser?.checks.find((c) => c.code === "db.tables_without_primary_key");
    expect(pk && "note" in pk ? pk.note : "").toMatch(/public\.Session by Session_sessionToken_key.*public\._ProjectToUser by _ProjectToUser_AB_unique|public\._ProjectToUser by _ProjectToUser_AB_unique.*public\.Session by Session_sessionToken_key/);
  });

  it("gives Prisma's advice for unindexed foreign keys of Prisma-managed tables (Auth.js's Account.userId), plain SQL elsewhere, and skips other sessions' temporary tables", () => {
    const account = saas7.superuser?.findings.find((f) => f.draft.subject === "public.Account.Account_userId_fkey");
    expect(account?.draft).toMatchObject({ severity: "low", evidence: { prismaManaged: true } });
    expect(account?.draft.recommendation).toMatch(/^Prisma Migrate manages this schema.*@@index\(\[userId\]\)/);
    expect(account?.draft.recommendation).not.toMatch(/^Index the referencing columns/);
    for (const runs of [saas7, saas5, objects]) {
      for (const run of Object.values(runs)) expect(run.findings.filter((f) => /scratch|pg_temp/.test(f.draft.subject)).map(line)).toEqual([]);
    }
    // Partitions, the extensions' objects, the materialized view, the identity column: nothing.
    for (const run of Object.values(objects)) expect(run.findings.map(line)).toEqual([]);
  });

  it("names the grant a pg_monitor role lacks: SELECT on _prisma_migrations and on the sequences, which pg_monitor does not give", () => {
    const monitor = saas7.pg_monitor;
    if (!monitor) throw new Error("no pg_monitor run");
    const migrations = skipReason(monitor, "db.prisma_migrations_failed");
    expect(migrations).toContain("SQLSTATE 42501: permission denied for table _prisma_migrations");
    expect(migrations).toContain(`GRANT SELECT ON TABLE "_prisma_migrations" TO "monitor_user";`);
    expect(migrations).not.toMatch(/grant it pg_monitor/);
    const sequences = skipReason(monitor, "db.sequence_exhaustion");
    expect(sequences).toContain(`public."Invoice_id_seq"`);
    expect(sequences).toContain(`GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO "monitor_user";`);
    // The app's own role owns its tables and sequences: nothing of this is hidden from it.
    expect(saas7["app role"]?.checks.filter((c) => c.status === "skipped" && /42501|not readable/.test(c.reason ?? "")).map((c) => c.code)).toEqual([]);
  });
});
