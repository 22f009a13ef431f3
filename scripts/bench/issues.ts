// Issues across runs at the issue's scale: 50 targets × 2,000 final runs (100,000 runs) and
// 1,000,000 sightings in 10,000 issues, generated in SQL; then the medians (ms) of what the pages
// and the after-run step do: the open tab (all targets, one target), a page further on (keyset),
// one issue with its newest sightings, the ignored set of a run, a run's findings with their
// issues (the run report), and joining a new run's 50 findings to their issues.
// Standalone: npx tsx scripts/bench/issues.ts (BENCH_RUNS samples, default 5).
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrismaClient } from "../../lib/db";
import { groupRunIssues } from "../../lib/issues/grouping";
import { ignoredGroupsForRun } from "../../lib/issues/ignored";
import { cursorSchema, getIssueGroup, listIssueGroups } from "../../lib/issues/queries";
import { issueGroupsOfRun } from "../../lib/issues/run-groups";
import { freePort, startEmbeddedPostgres } from "../lib/embedded-postgres";
import { applyMigrations } from "../lib/migrations";

const SAMPLES = Number(process.env.BENCH_RUNS ?? 5);
const TARGETS = 50;
const RUNS_PER_TARGET = 2_000;
const FINDINGS_PER_RUN = 10;
const ISSUES_PER_TARGET = 200;

async function median(name: string, work: () => Promise<unknown>): Promise<void> {
  await work(); // warm
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(58)} median ${samples[Math.floor(samples.length / 2)]!.toFixed(1).padStart(7)} ms  (${samples.map((s) => s.toFixed(1)).join(", ")})`);
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "issues-bench-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "bench", database: "bench", persistent: false });
  try {
    await applyMigrations(server.url);
    const sql = new pg.Client({ connectionString: server.url });
    await sql.connect();
    const t0 = performance.now();
    // Runs: hourly per target, the newest now.
    await sql.query(`
      INSERT INTO troubleshooter."TroubleshootingRun" (id, status, trigger, target, "targetKey", "startedAt", "finishedAt", "buildId", checks)
      SELECT 'r' || t || '_' || n, 'completed', 'cron', jsonb_build_object('baseUrl', 'https://t' || t || '.example', 'database', 'db', 'endpoints', '[]'::jsonb),
             'target-' || t, now() - (n || ' hours')::interval, now() - (n || ' hours')::interval + interval '1 minute', 'build-' || (n / 100),
             '[{"code":"db.check_0","domain":"database","status":"issues","durationMs":5}]'::jsonb
      FROM generate_series(1, ${TARGETS}) t, generate_series(1, ${RUNS_PER_TARGET}) n`);
    // Sightings: each run sees 10 of its target's 200 issues (a sliding window).
    await sql.query(`
      INSERT INTO troubleshooter."Issue" (id, "runId", code, domain, severity, title, description, evidence, "detectedBy", "createdAt")
      SELECT 'i' || t || '_' || n || '_' || k, 'r' || t || '_' || n, 'db.check_' || ((n + k) % ${ISSUES_PER_TARGET} / 20), 'database', 'medium',
             'Issue ' || ((n + k) % ${ISSUES_PER_TARGET}), 'd', jsonb_build_object('subject', 'subject-' || ((n + k) % ${ISSUES_PER_TARGET})), 'bench',
             now() - (n || ' hours')::interval + interval '30 seconds'
      FROM generate_series(1, ${TARGETS}) t, generate_series(1, ${RUNS_PER_TARGET}) n, generate_series(1, ${FINDINGS_PER_RUN}) k`);
    // Their issues, as grouping leaves them (built in one statement here, not run by run).
    await sql.query(`
      INSERT INTO troubleshooter."IssueGroup" (id, "targetKey", code, subject, domain, severity, title, "firstSeenAt", "lastSeenAt", "firstRunId", "lastRunId", "runCount", state, "snoozedUntil", "ignoredReason")
      SELECT 'g' || md5(r."targetKey" || i.code || (i.evidence->>'subject')), r."targetKey", i.code, i.evidence->>'subject', 'database', 'medium', min(i.title),
             min(i."createdAt"), max(i."createdAt"), min(r.id), max(r.id), count(DISTINCT r.id),
             (ARRAY['open','acknowledged','snoozed','ignored','resolved'])[1 + abs(hashtext(i.evidence->>'subject')) % 5],
             now() + interval '1 day', 'bench'
      FROM troubleshooter."Issue" i JOIN troubleshooter."TroubleshootingRun" r ON r.id = i."runId"
      GROUP BY r."targetKey", i.code, i.evidence->>'subject'`);
    await sql.query(`
      UPDATE troubleshooter."Issue" i SET "groupId" = 'g' || md5(r."targetKey" || i.code || (i.evidence->>'subject'))
      FROM troubleshooter."TroubleshootingRun" r WHERE r.id = i."runId"`);
    await sql.query("VACUUM ANALYZE");
    const counts = (await sql.query<{ runs: string; issues: string; groups: string }>(`SELECT (SELECT count(*) FROM troubleshooter."TroubleshootingRun") AS runs,
      (SELECT count(*) FROM troubleshooter."Issue") AS issues, (SELECT count(*) FROM troubleshooter."IssueGroup") AS groups`)).rows[0]!;
    console.log(`loaded ${counts.runs} runs, ${counts.issues} sightings, ${counts.groups} issues in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const prisma = createPrismaClient(server.url);
    const first = await listIssueGroups(prisma, { targetKey: null, tab: "open" });
    const cursor = cursorSchema.parse(first.nextCursor);
    const busiest = (await sql.query<{ id: string }>(`SELECT id FROM troubleshooter."IssueGroup" ORDER BY "runCount" DESC LIMIT 1`)).rows[0]!.id;
    await median("open tab, all targets (50 a page)", () => listIssueGroups(prisma, { targetKey: null, tab: "open" }));
    await median("open tab, one target", () => listIssueGroups(prisma, { targetKey: "target-7", tab: "open" }));
    await median("snoozed tab, one target", () => listIssueGroups(prisma, { targetKey: "target-7", tab: "snoozed" }));
    await median("regressions tab, all targets", () => listIssueGroups(prisma, { targetKey: null, tab: "regressions" }));
    await median("open tab, all targets, second page (keyset)", () => listIssueGroups(prisma, { targetKey: null, tab: "open", cursor }));
    await median("one issue with its newest 50 sightings", () => getIssueGroup(prisma, busiest));
    await median("ignored set of a run (score)", () => ignoredGroupsForRun(prisma, "r7_1"));
    await median("a run's findings with their issues (report)", () => issueGroupsOfRun(prisma, "r7_1"));
    // A new run per sample on one target, with 50 findings (40 known issues, 10 new).
    let n = 0;
    await median("joining a new run's 50 findings (after-run step)", async () => {
      n++;
      const runId = `new_${n}`;
      await sql.query(`INSERT INTO troubleshooter."TroubleshootingRun" (id, status, trigger, target, "targetKey", "startedAt", "finishedAt", checks)
        VALUES ($1, 'completed', 'cron', '{"baseUrl":"https://t7.example"}', 'target-7', now(), now(), '[{"code":"db.check_0","domain":"database","status":"issues","durationMs":5}]')`, [runId]);
      await sql.query(`INSERT INTO troubleshooter."Issue" (id, "runId", code, domain, severity, title, description, evidence, "detectedBy")
        SELECT $1 || '_' || k, $1, 'db.check_' || (k % 10), 'database', 'high', 'New ' || k, 'd', jsonb_build_object('subject', CASE WHEN k <= 40 THEN 'subject-' || (k * 4) ELSE 'fresh-' || $1 || k END), 'bench'
        FROM generate_series(1, 50) k`, [runId]);
      await groupRunIssues(prisma, runId);
    });
    await prisma.$disconnect();
    await sql.end();
  } finally {
    await server.stop();
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
