// What the overview page shows: the current health score and its change since the previous
// comparable run (same target, same scope: comparable.ts), the run in progress,
// the latest runs, and open issues that keep coming back. Aggregated in SQL.
import type { PrismaClient } from "../../db";
import { type TargetNames, listRuns } from "./runs";
import { Prisma } from "../../generated/prisma/client";
import { ACTIVE_RUN_STATUSES, DOMAINS, type Domain } from "../report";
import { previousComparableRun, scopeLabel, scopeOf, targetLabel } from "./comparable";

export interface RecurringIssue {
  code: string;
  domain: Domain;
  title: string;
  /** What the issue is about (a URL, a table, a pid), as the check named it; "" when it did not. */
  subject: string;
  targetKey: string;
  /** The target, readable (targetLabel). */
  target: string;
  /** Distinct runs on this target that found this code on this subject. */
  runs: number;
  lastSeen: Date;
}

/** The health score of the latest completed run, per domain, and its change since the previous
 * comparable run: the same target and the same scope (null before any run completed). `trend` and
 * `previous` are null when no earlier run is comparable; `byDomain` is null for a domain the run
 * did not check. */
export async function latestHealth(prisma: PrismaClient, targetKey?: string) {
  const latest = await prisma.troubleshootingRun.findFirst({
    where: { status: "completed", healthScoreAfter: { not: null }, targetKey },
    orderBy: { startedAt: "desc" },
    select: { id: true, healthScoreAfter: true, healthByDomain: true, startedAt: true, targetKey: true, config: true },
  });
  if (!latest) return null;
  const score = latest.healthScoreAfter as number;
  const scope = scopeOf(latest.config);
  const previous = await previousComparableRun(prisma, latest);
  const byDomain = (latest.healthByDomain ?? {}) as Record<string, { after?: number | null }>;
  return {
    score,
    trend: previous ? score - previous.healthScoreAfter : null,
    byDomain: Object.fromEntries(DOMAINS.map((d) => [d, scope.includes(d) ? (byDomain[d]?.after ?? null) : null])) as Record<Domain, number | null>,
    runId: latest.id,
    at: latest.startedAt,
    scope,
    /** "full", "web-only", "web + database" (scopeLabel). */
    scopeLabel: scopeLabel(scope),
    targetKey: latest.targetKey,
    target: targetLabel(latest.targetKey),
    previous: previous ? { runId: previous.id, at: previous.startedAt, score: previous.healthScoreAfter } : null,
  };
}

/** The overview, of every target or of one (`targetKey`); `names` names each run's target. */
export async function overview(prisma: PrismaClient, targetKey?: string, names?: TargetNames) {
  const [health, active, recent, recurring] = await Promise.all([
    latestHealth(prisma, targetKey),
    prisma.troubleshootingRun.findFirst({
      where: { status: { in: [...ACTIVE_RUN_STATUSES] }, targetKey },
      orderBy: { startedAt: "desc" },
      select: { id: true, status: true, startedAt: true, trigger: true },
    }),
    listRuns(prisma, { page: 1, pageSize: 8, targetKey }, names),
    recurringIssues(prisma, 8, targetKey),
  ]);
  return { health, active, recent: recent.runs, recurring };
}

/** Findings still open or unresolved that two or more runs of the last 30 days made on the same
 * target: one row per check code, subject and target, with the distinct runs that found it (a
 * code found on two different endpoints is two findings, each seen once: not recurring). */
async function recurringIssues(prisma: PrismaClient, limit = 8, targetKey?: string): Promise<RecurringIssue[]> {
  const onTarget = targetKey === undefined ? Prisma.empty : Prisma.sql`AND r."targetKey" = ${targetKey}`;
  const rows = await prisma.$queryRaw<{ code: string; domain: Domain; title: string; subject: string; target_key: string; runs: bigint; last_seen: Date }[]>`
    SELECT i.code, i.domain::text AS domain, (array_agg(i.title ORDER BY i."createdAt" DESC))[1] AS title,
           coalesce(i.evidence->>'subject', '') AS subject, r."targetKey" AS target_key,
           count(DISTINCT i."runId") AS runs, max(i."createdAt") AS last_seen
    FROM troubleshooter."Issue" i JOIN troubleshooter."TroubleshootingRun" r ON r.id = i."runId"
    WHERE i.status IN ('open', 'unresolved') AND i."createdAt" > now() - interval '30 days' ${onTarget}
    GROUP BY i.code, i.domain, 4, r."targetKey"
    HAVING count(DISTINCT i."runId") >= 2
    ORDER BY runs DESC, last_seen DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    code: r.code, domain: r.domain, title: r.title, subject: r.subject, targetKey: r.target_key, target: targetLabel(r.target_key), runs: Number(r.runs), lastSeen: r.last_seen,
  }));
}
