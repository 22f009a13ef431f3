// The database catalogue on a platform-sized database: 200 tables and 1,000,000 rows with a
// Prisma migration history, healthy and then with every real fault of the fault catalogue
// (fixtures/test/database-faults.ts) at once; and a brand-new database. Prints timings, issues,
// detection per fault and the slowest checks; checks the issue's targets.
import pg from "pg";
import { databaseDiagnosticBot } from "../../lib/troubleshooting/workflow/bots";
import type { DiagnosticResult } from "../../lib/troubleshooting/workflow/bots/diagnostic-bot";
import { CHECKS } from "../../lib/troubleshooting/checks";
import type { EmbeddedServer } from "../lib/embedded-postgres";
import { DATABASE_FAULT_CATALOGUE, DATABASE_FAULT_THRESHOLDS, createHealthyPrismaHistory, explainedBy, injectDatabaseFaults } from "../../fixtures/test/database-faults";
import { median, table, target, textTable } from "./table";

const TABLES = 200;
const ROWS_PER_TABLE = 5_000;

export async function benchDatabaseCatalogue(server: EmbeddedServer, runs: number): Promise<void> {
  const catalogueSize = CHECKS.filter((c) => c.domain === "database").length;
  const url = await platformDatabase(server);
  await server.createDatabase("brand_new");

  const diagnose = async (databaseUrl: string) => {
    const started = performance.now();
    const result = await databaseDiagnosticBot.runDiagnostics(
      { baseUrl: "http://127.0.0.1:9", databaseUrl, endpoints: [], browser: false },
      { checkTimeoutMs: 10_000, botTimeoutMs: 30_000, breakerThreshold: 100, thresholdOverrides: DATABASE_FAULT_THRESHOLDS },
    );
    return { ms: performance.now() - started, result };
  };
  const sample = async (databaseUrl: string) => {
    await diagnose(databaseUrl); // warm-up: connection setup, plan caches
    const samples: { ms: number; result: DiagnosticResult }[] = [];
    for (let i = 0; i < runs; i++) samples.push(await diagnose(databaseUrl));
    return samples;
  };
  const serious = (r: DiagnosticResult) => r.findings.filter((f) => f.draft.severity !== "low");
  const row = (s: { ms: number; result: DiagnosticResult }) => ({ ms: s.ms, issues: s.result.findings.length, mediumOrWorse: serious(s.result).length });

  const brandNew = await sample(server.urlFor("brand_new"));
  const healthy = await sample(url);
  const faults = await injectDatabaseFaults(url);
  const faulty = await sample(url).finally(() => faults.remove());

  const title = `Database catalogue (${catalogueSize} checks)`;
  table("database", "brandNew", `${title}, a brand-new empty database (ms, issues found)`, ["ms", "issues", "mediumOrWorse"], brandNew.map(row));
  const healthyMedian = table("database", "healthy", `${title}, ${TABLES} tables / ${(TABLES * ROWS_PER_TABLE).toLocaleString("en")} rows, healthy (ms, issues found)`, ["ms", "issues", "mediumOrWorse"], healthy.map(row));
  const faultyMedian = table(
    "database",
    "faulty",
    `${title}, same database with the ${DATABASE_FAULT_CATALOGUE.length} real faults of the fault catalogue (ms, issues found, faults found)`,
    ["ms", "issues", "faultsFound"],
    faulty.map((s) => ({ ms: s.ms, issues: s.result.findings.length, faultsFound: DATABASE_FAULT_CATALOGUE.filter((f) => found(s.result, f)).length })),
  );
  textTable(
    "database",
    "detection",
    `Detection per fault, ${faulty.length} runs`,
    DATABASE_FAULT_CATALOGUE.map((fault) => {
      const hits = faulty.filter((s) => found(s.result, fault)).length;
      const severities = [...new Set(faulty.flatMap((s) => s.result.findings.filter((f) => f.code === fault.check && fault.subject.test(f.draft.subject)).map((f) => f.draft.severity)))];
      return { fault: fault.name, check: fault.check, severity: severities.join("/"), result: hits === faulty.length ? "found" : hits === 0 ? "MISSED" : `found in ${hits}/${faulty.length}` };
    }),
  );
  const unexplained = [...new Set(faulty.flatMap((s) => s.result.findings.filter((f) => !explainedBy(DATABASE_FAULT_CATALOGUE, { code: f.code, subject: f.draft.subject })).map((f) => `${f.code} ${f.draft.subject}`)))];
  const healthyIssues = [...new Set([...brandNew, ...healthy].flatMap((s) => s.result.findings.map((f) => `${f.draft.severity} ${f.code} ${f.draft.subject}`)))];
  textTable("database", "healthyIssues", "Issues on the healthy and brand-new databases (all runs)", healthyIssues.length ? healthyIssues.map((issue) => ({ issue })) : [{ issue: "none" }]);
  textTable("database", "notPassed", "Checks that did not pass or report on the healthy database", notPassed(healthy.map((s) => s.result)));
  textTable("database", "slowest", "Slowest checks, median ms (healthy / faulty)", slowest(healthy.map((s) => s.result), faulty.map((s) => s.result)));

  target("database catalogue, healthy 200 tables / 1M rows (median)", healthyMedian.ms ?? 0, "ms", { below: 1_000 });
  target("database catalogue, with every fault (median)", faultyMedian.ms ?? 0, "ms", { below: 1_000 });
  target("issues of medium or worse on the healthy and brand-new databases (all runs)", [...brandNew, ...healthy].reduce((n, s) => n + serious(s.result).length, 0), "issues", { equals: 0 });
  target("real faults found in every faulty run", (100 * DATABASE_FAULT_CATALOGUE.filter((f) => faulty.every((s) => found(s.result, f))).length) / DATABASE_FAULT_CATALOGUE.length, "%", { atLeast: 100 });
  target("issues on the faulty database that no fault explains", unexplained.length, "issues", { equals: 0 });
  if (unexplained.length) console.log(`Unexplained: ${unexplained.join("; ")}`);
}

const found = (result: DiagnosticResult, fault: (typeof DATABASE_FAULT_CATALOGUE)[number]) => result.findings.some((f) => f.code === fault.check && fault.subject.test(f.draft.subject));

async function platformDatabase(server: EmbeddedServer): Promise<string> {
  await server.createDatabase("catalogue");
  const url = server.urlFor("catalogue");
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  await sql.query(`DO $$ BEGIN FOR i IN 1..${TABLES} LOOP
      EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, account int, note text)', i);
      EXECUTE format('INSERT INTO t%s SELECT g, g %% 97, ''n'' FROM generate_series(1, ${ROWS_PER_TABLE}) g', i);
    END LOOP; END $$`).finally(() => sql.query("ANALYZE").finally(() => sql.end()));
  await createHealthyPrismaHistory(url);
  return url;
}

function notPassed(results: DiagnosticResult[]): Record<string, string>[] {
  const lines = [...new Set(results.flatMap((r) => r.checks.filter((c) => c.status === "skipped" || c.status === "error").map((c) => `${c.code} ${c.status}: ${c.reason ?? ""}`)))];
  return lines.length ? lines.map((check) => ({ check })) : [{ check: "none" }];
}

function slowest(healthy: DiagnosticResult[], faulty: DiagnosticResult[]): Record<string, string>[] {
  const medianOf = (results: DiagnosticResult[], code: string) => median(results.flatMap((r) => r.checks.filter((c) => c.code === code).map((c) => c.durationMs)));
  const codes = CHECKS.filter((c) => c.domain === "database").map((c) => c.code);
  return codes
    .map((code) => ({ code, healthy: medianOf(healthy, code), faulty: medianOf(faulty, code) }))
    .sort((a, b) => Math.max(b.healthy, b.faulty) - Math.max(a.healthy, a.faulty))
    .slice(0, 6)
    .map((c) => ({ check: c.code, healthy: String(c.healthy), faulty: String(c.faulty) }));
}
