// The database bot's truth, on a server of its own (replication slots and prepared transactions
// are server-wide and would show in other tests' runs): every real fault of the catalogue found by
// its check on its object, nothing reported that no fault explains, and no issue of medium or
// worse on healthy databases, including brand-new ones.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { DATABASE_FAULT_CATALOGUE, DATABASE_FAULT_THRESHOLDS, createHealthyPrismaHistory, explainedBy, injectDatabaseFaults } from "../../fixtures/test/database-faults";
import { databaseDiagnosticBot } from "./workflow/bots";
import { closeProbeSessions } from "./probes/database";

let server: EmbeddedServer;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "db-truth-"));
  server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "truth-pw", persistent: false, settings: { max_prepared_transactions: 5 } });
});
afterAll(async () => {
  await closeProbeSessions();
  await server?.stop();
});

async function database(name: string, setup?: (url: string) => Promise<void>): Promise<string> {
  await server.createDatabase(name);
  const url = server.urlFor(name);
  await setup?.(url);
  return url;
}

/** A platform's tables: each with its primary key, rows, statistics, and a finished migration. */
async function platformTables(url: string): Promise<void> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  await sql.query(`DO $$ BEGIN FOR i IN 1..20 LOOP
      EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, account int, note text)', i);
      EXECUTE format('INSERT INTO t%s SELECT g, g %% 97, ''n'' FROM generate_series(1, 2000) g', i);
    END LOOP; END $$; ANALYZE`).finally(() => sql.end());
  await createHealthyPrismaHistory(url);
}

const diagnose = (databaseUrl: string) =>
  databaseDiagnosticBot.runDiagnostics(
    { baseUrl: "http://127.0.0.1:9", databaseUrl, endpoints: [], browser: false },
    { checkTimeoutMs: 10_000, botTimeoutMs: 30_000, breakerThreshold: 100, thresholdOverrides: DATABASE_FAULT_THRESHOLDS },
  );

describe("the database bot's truth", () => {
  it("reports nothing of medium or worse on healthy databases: brand-new, migrated with Prisma, and a platform's", async () => {
    const healthy = {
      "brand-new": await database("brand_new"),
      "migrated by Prisma Migrate": await database("migrated", async (url) => void (await applyMigrations(url))),
      platform: await database("platform", platformTables),
    };
    for (const [kind, url] of Object.entries(healthy)) {
      const result = await diagnose(url);
      const serious = result.findings.filter((f) => f.draft.severity !== "low").map((f) => `${f.code} ${f.draft.subject}: ${f.draft.title}`);
      expect(serious, kind).toEqual([]);
      expect(result.checks.filter((c) => c.status === "error").map((c) => `${c.code}: ${c.reason}`), kind).toEqual([]);
    }
  });

  it("finds every fault of the catalogue on its object, and nothing the faults do not explain", async () => {
    const url = await database("faulty", platformTables);
    const faults = await injectDatabaseFaults(url);
    try {
      const { findings, checks } = await diagnose(url);
      const issues = findings.map((f) => ({ code: f.code, subject: f.draft.subject, severity: f.draft.severity }));
      const missed = DATABASE_FAULT_CATALOGUE.filter((fault) => !issues.some((i) => i.code === fault.check && fault.subject.test(i.subject))).map((f) => `${f.name} (${f.check})`);
      expect(missed).toEqual([]);
      expect(issues.filter((i) => !explainedBy(DATABASE_FAULT_CATALOGUE, i))).toEqual([]);
      expect(checks.filter((c) => c.status === "error").map((c) => `${c.code}: ${c.reason}`)).toEqual([]);
    } finally {
      await faults.remove();
    }
  });
});
