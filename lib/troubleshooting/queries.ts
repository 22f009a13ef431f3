// Read side of runs for the API and pages.
import type { PrismaClient } from "../db";
import type { RunStatus } from "./report";

export async function listRuns(prisma: PrismaClient, query: { status?: RunStatus; page: number; pageSize: number }) {
  const where = query.status ? { status: query.status } : {};
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
        _count: { select: { issues: true, actions: true } },
      },
    }),
  ]);
  return {
    page: query.page,
    pageSize: query.pageSize,
    total,
    runs: runs.map(({ _count, ...run }) => ({ ...run, issueCount: _count.issues, actionCount: _count.actions })),
  };
}
