// What the overview page shows: the current health score and its change since the previous
// comparable run (same target, same scope: comparable.ts), the run in progress,
// the latest runs, and open issues that keep coming back (from the issues across runs).
import type { PrismaClient } from "../../db";
import { type TargetNames, listRuns } from "./runs";
import { tabWhere } from "../../issues/queries";
import { ACTIVE_RUN_STATUSES, DOMAINS, type Domain } from "../report";
import { previousComparableRun, scopeLabel, scopeOf, targetLabel } from "./comparable";

export interface RecurringIssue {
  /** The issue (IssueGroup) id: its page is /issues/:id. */
  id: string;
  code: string;
  domain: Domain;
  title: string;
  /** What the issue is about (a URL, a table, a pid), as the check named it; "" when it did not. */
  subject: string;
  targetKey: string;
  /** The target, readable (targetLabel). */
  target: string;
  /** Distinct runs on this target that found this code on this subject (since first seen). */
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

/** Open issues (lib/issues: same target, check and subject across runs) seen in the last 30 days
 * by two or more runs, most often seen first. Read from the issue groups, not the sightings: a
 * few thousand rows, where the sightings are a million at 50 targets × 90 days. */
async function recurringIssues(prisma: PrismaClient, limit = 8, targetKey?: string, now = new Date()): Promise<RecurringIssue[]> {
  const groups = await prisma.issueGroup.findMany({
    where: { AND: [tabWhere("open", now), { targetKey, runCount: { gte: 2 }, lastSeenAt: { gt: new Date(now.getTime() - 30 * 86_400_000) } }] },
    orderBy: [{ runCount: "desc" }, { lastSeenAt: "desc" }],
    take: limit,
    select: { id: true, code: true, domain: true, title: true, subject: true, targetKey: true, runCount: true, lastSeenAt: true },
  });
  return groups.map((g) => ({ id: g.id, code: g.code, domain: g.domain, title: g.title, subject: g.subject, targetKey: g.targetKey, target: targetLabel(g.targetKey), runs: g.runCount, lastSeen: g.lastSeenAt }));
}
