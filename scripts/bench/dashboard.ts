// Dashboard queries at scale: 10,000 stored runs with 100,000 issues and their phase events, then
// the overview, history and runs-list queries (the ones the pages and APIs run), median of N.
import pg from "pg";
import { createPrismaClient } from "../../lib/db";
import { overview } from "../../lib/troubleshooting/queries/overview";
import { history } from "../../lib/troubleshooting/queries/history";
import { PHASES } from "../../lib/troubleshooting/report";
import { rollUpEndedRuns } from "../../lib/troubleshooting/queries/rollup";
import { listRuns } from "../../lib/troubleshooting/queries/runs";
import { applyMigrations } from "../lib/migrations";
import type { EmbeddedServer } from "../lib/embedded-postgres";
import { record, table } from "./table";

export async function seedDashboard(url: string) {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    await sql.query(`
      INSERT INTO troubleshooter."TroubleshootingRun" (id, status, trigger, target, "targetKey", "healthScoreBefore", "healthScoreAfter", "healthByDomain", "startedAt", "finishedAt", "durationMs", "eventSeq")
      SELECT 'run' || lpad(g::text, 8, '0'), (CASE WHEN g % 20 = 0 THEN 'failed' ELSE 'completed' END)::"RunStatus", (ARRAY['manual','cron','api','cli'])[1 + g % 4]::"RunTrigger",
             '{"baseUrl":"http://bench","database":"x","endpoints":[]}', 'bench', 60 + g % 40, 70 + g % 30,
             jsonb_build_object('web', jsonb_build_object('after', 60 + g % 40), 'database', jsonb_build_object('after', 70 + g % 30), 'network', jsonb_build_object('after', 80 + g % 20)),
             now() - (g || ' minutes')::interval * 12, now() - (g || ' minutes')::interval * 12 + interval '3 seconds', 3000, 7
      FROM generate_series(1, 10000) g`);
    await sql.query(`
      INSERT INTO troubleshooter."Issue" (id, "runId", code, domain, severity, title, description, evidence, status, "detectedBy", "createdAt")
      SELECT 'iss' || g, 'run' || lpad((1 + g % 10000)::text, 8, '0'), 'code.' || (g % 40), (ARRAY['web','database','network'])[1 + g % 3]::"Domain",
             (ARRAY['critical','high','medium','low','info'])[1 + g % 5]::"Severity", 'Issue ' || g, 'bench', '{}', (ARRAY['open','resolved','unresolved'])[1 + g % 3]::"IssueStatus",
             'bench', now() - ((1 + g % 10000) || ' minutes')::interval * 12
      FROM generate_series(1, 100000) g`);
    await sql.query(`
      INSERT INTO troubleshooter."FixAction" (id, "runId", "issueId", code, risk, status, verified, "updatedAt", "createdAt")
      SELECT 'act' || g, 'run' || lpad((1 + g % 10000)::text, 8, '0'), 'iss' || g, 'fix.x', 'safe', 'applied', true, now() - ((1 + g % 10000) || ' minutes')::interval * 12 + interval '2 minutes', now()
      FROM generate_series(1, 100000, 5) g`);
    await sql.query(`
      INSERT INTO troubleshooter."RunEvent" ("runId", seq, phase, type, payload, "createdAt")
      SELECT 'run' || lpad(r::text, 8, '0'), p, ph, 'phase_completed', jsonb_build_object('phase', ph, 'durationMs', 10 + (r * p) % 500), now()
      FROM generate_series(1, 10000) r, unnest($1::text[]) WITH ORDINALITY AS t(ph, p)`, [PHASES]);
    await sql.query("ANALYZE");
  } finally {
    await sql.end();
  }
}

export async function benchDashboard(server: EmbeddedServer, runs: number): Promise<Record<string, number>> {
  await server.createDatabase("dashboard");
  const url = server.urlFor("dashboard");
  await applyMigrations(url);
  await seedDashboard(url);
  const prisma = createPrismaClient(url);
  const started = performance.now();
  const rolled = await rollUpEndedRuns(prisma);
  const rollupMs = performance.now() - started;
  console.log(`\nHistory rollup backfill of ${rolled} ended runs: ${Math.round(rollupMs)} ms`);
  record("dashboard", "rollupBackfill", { runs: rolled, ms: rollupMs });
  const rows: Record<string, number>[] = [];
  const time = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  try {
    await overview(prisma); // warm-up: connections and plans
    for (let i = 0; i < runs; i++) {
      rows.push({
        overview: await time(() => overview(prisma)),
        history7d: await time(() => history(prisma, "7d")),
        history90d: await time(() => history(prisma, "90d")),
        runsPage: await time(() => listRuns(prisma, { page: 3, pageSize: 20 })),
        runsFiltered: await time(() => listRuns(prisma, { severity: "critical", domain: "web", page: 1, pageSize: 20 })),
      });
    }
  } finally {
    await prisma.$disconnect();
  }
  return table("dashboard", "queries", "Dashboard queries with 10,000 runs, 100,000 issues, 20,000 verified fixes, 70,000 phase events (ms)", Object.keys(rows[0] ?? {}), rows);
}
