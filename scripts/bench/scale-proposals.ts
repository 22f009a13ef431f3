// Proposed rewrites of the slow read models in files other engineers own (runs.ts, overview.ts,
// history.ts), measured by the scale bench beside the current ones so their effect is a figure,
// not a guess. Each gives the same answer as the function it would replace, except where its
// comment says otherwise. Not used by the app.
import pg from "pg";
import type { PrismaClient } from "../../lib/db";
import type { Prisma } from "../../lib/generated/prisma/client";
import { FINAL_RUN_STATUSES } from "../../lib/troubleshooting/report";
import { type RunFilter, pendingDecisionCounts } from "../../lib/troubleshooting/queries/runs";

/** listRuns without `_count: { issues, actions }` on findMany: Prisma 7 compiles it into LEFT
 * JOINs on GROUP BYs of the whole Issue and FixAction tables (3 s over 1,080,000 issues). The
 * issue count is the sum of the per-severity counts it already reads for the page's runs; the
 * action count is one more groupBy on those 20 ids. With `after` (the last run of the previous
 * page), the page starts after it (keyset) instead of skipping (page - 1) × pageSize rows. */
export async function listRunsProposed(prisma: PrismaClient, query: RunFilter, after?: { startedAt: Date; id: string }) {
  const issueFilter = query.domain || query.severity ? { issues: { some: { domain: query.domain, severity: query.severity } } } : {};
  const where: Prisma.TroubleshootingRunWhereInput = { status: query.status, trigger: query.trigger, ...issueFilter };
  const keyset: Prisma.TroubleshootingRunWhereInput = after ? { OR: [{ startedAt: { lt: after.startedAt } }, { startedAt: after.startedAt, id: { lt: after.id } }] } : {};
  const [total, runs] = await Promise.all([
    prisma.troubleshootingRun.count({ where }),
    prisma.troubleshootingRun.findMany({
      where: { ...where, ...keyset }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], skip: after ? 0 : (query.page - 1) * query.pageSize, take: query.pageSize,
      select: {
        id: true, status: true, trigger: true, initialIssue: true, target: true, startedAt: true, finishedAt: true,
        durationMs: true, healthScoreBefore: true, healthScoreAfter: true, summary: true, requestedByEmail: true, config: true, cancelledBy: true,
      },
    }),
  ]);
  const ids = runs.map((r) => r.id);
  const [counts, actions, pending] = await Promise.all([
    prisma.issue.groupBy({ by: ["runId", "severity"], where: { runId: { in: ids } }, _count: { _all: true } }),
    prisma.fixAction.groupBy({ by: ["runId"], where: { runId: { in: ids } }, _count: { _all: true } }),
    pendingDecisionCounts(prisma, runs.filter((r) => r.status === "awaiting_approval").map((r) => r.id)),
  ]);
  return {
    total,
    runs: runs.map((r) => ({
      ...r,
      issueCount: counts.filter((c) => c.runId === r.id).reduce((n, c) => n + c._count._all, 0),
      actionCount: actions.find((a) => a.runId === r.id)?._count._all ?? 0,
      pendingDecisions: pending.get(r.id) ?? 0,
    })),
  };
}

/** overview's recurringIssues read from IssueGroup (one row per target, check and subject, with
 * runCount and lastSeenAt kept by the run) instead of grouping 30 days of Issue rows (360,000 at
 * scale). Difference: runCount counts every run that saw it, not only those of the last 30 days. */
export async function recurringIssuesProposed(prisma: PrismaClient, limit = 8) {
  return prisma.$queryRaw`
    SELECT code, domain::text AS domain, title, subject, "targetKey" AS target_key, "runCount" AS runs, "lastSeenAt" AS last_seen
    FROM troubleshooter."IssueGroup"
    WHERE state IN ('open', 'acknowledged') AND "lastSeenAt" > now() - interval '30 days' AND "runCount" >= 2
    ORDER BY "runCount" DESC, "lastSeenAt" DESC LIMIT ${limit}`;
}

/** The rollup history's topCodes would read: per day, target and issue group, the findings and the
 * distinct runs (a HistoryDaily kind "group" with key = IssueGroup.id, added by rollup.ts). Built
 * here once in a scratch schema of the bench database, from the stored findings of final runs. */
export async function ensureGroupRollup(url: string): Promise<void> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    const exists = await sql.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'bench_scratch' AND tablename = 'group_daily'`);
    if (exists.rowCount) return;
    await sql.query(`CREATE SCHEMA IF NOT EXISTS bench_scratch`);
    await sql.query(`
      CREATE TABLE bench_scratch.group_daily AS
      SELECT r."targetKey" AS target_key, (r."startedAt" AT TIME ZONE 'UTC')::date AS day, i."groupId" AS key, count(*)::int AS count, count(DISTINCT i."runId")::int AS runs
      FROM troubleshooter."Issue" i JOIN troubleshooter."TroubleshootingRun" r ON r.id = i."runId"
      WHERE i."groupId" IS NOT NULL AND r.status::text = ANY($1::text[]) GROUP BY 1, 2, 3`, [[...FINAL_RUN_STATUSES]]);
    await sql.query(`CREATE INDEX ON bench_scratch.group_daily (day) INCLUDE (key, count, runs)`);
    await sql.query(`ANALYZE bench_scratch.group_daily`);
  } finally {
    await sql.end();
  }
}

/** history's topCodes from that rollup: sum per group over the range's days, then the 10 first
 * with their code, subject and target from IssueGroup. Same figures by day granularity (the range
 * starts at a day boundary, as the other rollup charts do). */
export async function topCodesProposed(prisma: PrismaClient, since: Date) {
  const sinceDay = since.toISOString().slice(0, 10);
  return prisma.$queryRaw`
    SELECT g.code, g.subject, g."targetKey" AS target_key, s.issues, s.runs
    FROM (SELECT key, sum(count) AS issues, sum(runs) AS runs FROM bench_scratch.group_daily WHERE day >= ${sinceDay}::date GROUP BY key HAVING sum(runs) >= 2) s
    JOIN troubleshooter."IssueGroup" g ON g.id = s.key
    ORDER BY s.runs DESC, s.issues DESC, 1, 2 LIMIT 10`;
}
