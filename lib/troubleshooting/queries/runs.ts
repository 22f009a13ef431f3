// Read side of runs for the API and pages.
import type { PrismaClient } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import type { RunTrigger } from "../../generated/prisma/enums";
import type { Domain, RunStatus, Severity } from "../report";

export interface RunFilter {
  status?: RunStatus;
  trigger?: RunTrigger;
  /** Runs that found an issue in this domain / of this severity. */
  domain?: Domain;
  severity?: Severity;
  page: number;
  pageSize: number;
}

export async function listRuns(prisma: PrismaClient, query: RunFilter) {
  const issueFilter = query.domain || query.severity ? { issues: { some: { domain: query.domain, severity: query.severity } } } : {};
  const where: Prisma.TroubleshootingRunWhereInput = { status: query.status, trigger: query.trigger, ...issueFilter };
  const [total, runs] = await Promise.all([
    prisma.troubleshootingRun.count({ where }),
    prisma.troubleshootingRun.findMany({
      where,
      orderBy: { startedAt: "desc" },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: {
        id: true, status: true, trigger: true, initialIssue: true, target: true, startedAt: true, finishedAt: true,
        durationMs: true, healthScoreBefore: true, healthScoreAfter: true, summary: true,
        requestedByEmail: true,
        _count: { select: { issues: true, actions: true } },
      },
    }),
  ]);
  const counts = await prisma.issue.groupBy({ by: ["runId", "severity"], where: { runId: { in: runs.map((r) => r.id) } }, _count: { _all: true } });
  const bySeverity = (runId: string) =>
    Object.fromEntries(counts.filter((c) => c.runId === runId).map((c) => [c.severity, c._count._all])) as Partial<Record<Severity, number>>;
  return {
    page: query.page,
    pageSize: query.pageSize,
    total,
    runs: runs.map(({ _count, requestedByEmail, ...run }) => ({
      ...run,
      requestedBy: requestedByEmail,
      issueCount: _count.issues,
      actionCount: _count.actions,
      issuesBySeverity: bySeverity(run.id),
    })),
  };
}
