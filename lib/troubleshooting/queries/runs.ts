// Read side of runs for the API and pages.
import { z } from "zod";
import type { PrismaClient } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import type { RunTrigger } from "../../generated/prisma/enums";
import { DOMAINS, type Domain, type RunStatus, type Severity, domainSchema } from "../report";

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
        requestedByEmail: true, config: true, cancelledBy: true,
        _count: { select: { issues: true, actions: true } },
      },
    }),
  ]);
  const [counts, pending] = await Promise.all([
    prisma.issue.groupBy({ by: ["runId", "severity"], where: { runId: { in: runs.map((r) => r.id) } }, _count: { _all: true } }),
    pendingDecisionCounts(prisma, runs.filter((r) => r.status === "awaiting_approval").map((r) => r.id)),
  ]);
  const bySeverity = (runId: string) =>
    Object.fromEntries(counts.filter((c) => c.runId === runId).map((c) => [c.severity, c._count._all])) as Partial<Record<Severity, number>>;
  return {
    page: query.page,
    pageSize: query.pageSize,
    total,
    runs: runs.map(({ _count, requestedByEmail, config, target, ...run }) => ({
      ...run,
      target: runTargetOf(target),
      domains: runDomainsOf(config),
      pendingDecisions: pending.get(run.id) ?? 0,
      requestedBy: requestedByEmail,
      issueCount: _count.issues,
      actionCount: _count.actions,
      issuesBySeverity: bySeverity(run.id),
    })),
  };
}

/** What a run diagnosed, as stored (URLs without passwords): the site and the database. */
export interface RunTarget {
  baseUrl: string;
  database: string;
}

const runTargetSchema = z.object({ baseUrl: z.string(), database: z.string() });
const runConfigSchema = z.object({ domains: z.array(domainSchema).min(1) });

export function runTargetOf(target: unknown): RunTarget | null {
  const parsed = runTargetSchema.safeParse(target);
  return parsed.success ? { baseUrl: parsed.data.baseUrl, database: parsed.data.database } : null;
}

/** The domains a run was asked to check (all three when its config does not say: older runs). */
export function runDomainsOf(config: unknown): Domain[] {
  const parsed = runConfigSchema.safeParse(config);
  return parsed.success ? DOMAINS.filter((d) => parsed.data.domains.includes(d)) : [...DOMAINS];
}

/** Fixes waiting for an admin's decision, per run id (runs with none are absent). */
export async function pendingDecisionCounts(prisma: PrismaClient, runIds: string[]): Promise<Map<string, number>> {
  if (runIds.length === 0) return new Map();
  const rows = await prisma.fixAction.groupBy({ by: ["runId"], where: { runId: { in: runIds }, status: "pending_approval" }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.runId, r._count._all]));
}

/** Runs waiting for an admin right now, newest first, each with how many fixes await a decision
 * (the admin nav's badge, the overview's banner). */
export async function runsAwaitingDecision(prisma: PrismaClient): Promise<{ runId: string; pending: number }[]> {
  const runs = await prisma.troubleshootingRun.findMany({ where: { status: "awaiting_approval" }, orderBy: { startedAt: "desc" }, select: { id: true } });
  const counts = await pendingDecisionCounts(prisma, runs.map((r) => r.id));
  return runs.flatMap((r) => ((counts.get(r.id) ?? 0) > 0 ? [{ runId: r.id, pending: counts.get(r.id) as number }] : []));
}
