// What the overview page shows: the current health score and its trend, the run in progress,
// the latest runs, and open issues that keep coming back. Aggregated in SQL.
import type { PrismaClient } from "../../db";
import { listRuns } from "./runs";
import { ACTIVE_RUN_STATUSES, DOMAINS, type Domain } from "../report";

export interface RecurringIssue {
  code: string;
  domain: Domain;
  title: string;
  runs: number;
  lastSeen: Date;
}

/** The health score of the latest completed run, per domain, and its change since the run before
 * (null before any run completed). */
export async function latestHealth(prisma: PrismaClient) {
  const [latest, previous] = await prisma.troubleshootingRun.findMany({
    where: { status: "completed", healthScoreAfter: { not: null } },
    orderBy: { startedAt: "desc" },
    take: 2,
    select: { id: true, healthScoreAfter: true, healthByDomain: true, startedAt: true },
  });
  if (!latest) return null;
  const byDomain = (latest.healthByDomain ?? {}) as Record<string, { after?: number | null }>;
  return {
    score: latest.healthScoreAfter as number,
    trend: previous?.healthScoreAfter != null ? (latest.healthScoreAfter as number) - previous.healthScoreAfter : null,
    byDomain: Object.fromEntries(DOMAINS.map((d) => [d, byDomain[d]?.after ?? null])) as Record<Domain, number | null>,
    runId: latest.id,
    at: latest.startedAt,
  };
}

export async function overview(prisma: PrismaClient) {
  const [health, active, recent, recurring] = await Promise.all([
    latestHealth(prisma),
    prisma.troubleshootingRun.findFirst({
      where: { status: { in: [...ACTIVE_RUN_STATUSES] } },
      orderBy: { startedAt: "desc" },
      select: { id: true, status: true, startedAt: true, trigger: true },
    }),
    listRuns(prisma, { page: 1, pageSize: 8 }),
    recurringIssues(prisma),
  ]);
  return { health, active, recent: recent.runs, recurring };
}

/** Issue codes still open or unresolved in two or more runs of the last 30 days. */
async function recurringIssues(prisma: PrismaClient, limit = 8): Promise<RecurringIssue[]> {
  const rows = await prisma.$queryRaw<{ code: string; domain: Domain; title: string; runs: bigint; last_seen: Date }[]>`
    SELECT code, domain::text AS domain, (array_agg(title ORDER BY "createdAt" DESC))[1] AS title,
           count(DISTINCT "runId") AS runs, max("createdAt") AS last_seen
    FROM troubleshooter."Issue"
    WHERE status IN ('open', 'unresolved') AND "createdAt" > now() - interval '30 days'
    GROUP BY code, domain
    HAVING count(DISTINCT "runId") >= 2
    ORDER BY runs DESC, last_seen DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({ code: r.code, domain: r.domain, title: r.title, runs: Number(r.runs), lastSeen: r.last_seen }));
}
