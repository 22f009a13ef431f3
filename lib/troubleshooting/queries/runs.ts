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
  /** One target's runs (TroubleshootingRun.targetKey); absent: every target's. */
  targetKey?: string;
  /** Keyset paging: runs older than this one (nextCursor of the previous page). Wins over `page`. */
  cursor?: string;
  page: number;
  pageSize: number;
}

/** `total` counts at most this many runs: a count over 100,000 runs costs more than the page. */
export const RUNS_TOTAL_CAP = 1_000;

/** A page's last run as a cursor: "<startedAt ISO>_<id>" (ids have no "_"). */
export const runCursor = (run: { startedAt: Date; id: string }) => `${run.startedAt.toISOString()}_${run.id}`;

/** The runs after a cursor in (startedAt desc, id desc) order; null when the cursor is malformed. */
function afterCursor(cursor: string): Prisma.TroubleshootingRunWhereInput | null {
  const [at, id] = cursor.split("_");
  const startedAt = new Date(at ?? "");
  if (!id || Number.isNaN(startedAt.getTime())) return null;
  return { OR: [{ startedAt: { lt: startedAt } }, { startedAt, id: { lt: id } }] };
}

/** A target's name by its key (TargetRef's), to name each run's target; runs on a removed
 * target have none. */
export type TargetNames = ReadonlyMap<string, string>;

export async function listRuns(prisma: PrismaClient, query: RunFilter, names: TargetNames = new Map()) {
  const issueFilter = query.domain || query.severity ? { issues: { some: { domain: query.domain, severity: query.severity } } } : {};
  const where: Prisma.TroubleshootingRunWhereInput = { status: query.status, trigger: query.trigger, targetKey: query.targetKey, ...issueFilter };
  const after = query.cursor ? afterCursor(query.cursor) : null;
  const [counted, runs] = await Promise.all([
    // Bounded: with the (targetKey, startedAt) and (startedAt) indexes this reads at most the cap.
    prisma.troubleshootingRun.count({ where, take: RUNS_TOTAL_CAP + 1 }),
    prisma.troubleshootingRun.findMany({
      where: after ? { AND: [where, after] } : where,
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      skip: after ? 0 : (query.page - 1) * query.pageSize,
      take: query.pageSize + 1,
      select: {
        id: true, status: true, trigger: true, initialIssue: true, target: true, targetKey: true, startedAt: true, finishedAt: true,
        durationMs: true, healthScoreBefore: true, healthScoreAfter: true, summary: true,
        requestedByEmail: true, config: true, cancelledBy: true,
      },
    }),
  ]);
  const more = runs.length > query.pageSize;
  const shown = runs.slice(0, query.pageSize);
  // Counted per shown run through the runId indexes. (A relation _count in the findMany above is
  // compiled into a join over every run's counts: seconds at 100,000 runs.)
  const ids = shown.map((r) => r.id);
  const [counts, actions, pending] = await Promise.all([
    prisma.issue.groupBy({ by: ["runId", "severity"], where: { runId: { in: ids } }, _count: { _all: true } }),
    prisma.fixAction.groupBy({ by: ["runId"], where: { runId: { in: ids } }, _count: { _all: true } }),
    pendingDecisionCounts(prisma, shown.filter((r) => r.status === "awaiting_approval").map((r) => r.id)),
  ]);
  const actionCounts = new Map(actions.map((a) => [a.runId, a._count._all]));
  const bySeverity = (runId: string) =>
    Object.fromEntries(counts.filter((c) => c.runId === runId).map((c) => [c.severity, c._count._all])) as Partial<Record<Severity, number>>;
  const last = shown.at(-1);
  return {
    page: query.page,
    pageSize: query.pageSize,
    /** Matching runs, counted up to RUNS_TOTAL_CAP (`totalCapped`: there are more). */
    total: Math.min(counted, RUNS_TOTAL_CAP),
    totalCapped: counted > RUNS_TOTAL_CAP,
    /** The next (older) page's cursor; null on the last page. */
    nextCursor: more && last ? runCursor(last) : null,
    runs: shown.map(({ requestedByEmail, config, target, ...run }) => ({
      ...run,
      target: runTargetOf(target),
      /** The stored or default target's name; null when the target was removed. */
      targetName: names.get(run.targetKey) ?? null,
      domains: runDomainsOf(config),
      pendingDecisions: pending.get(run.id) ?? 0,
      requestedBy: requestedByEmail,
      issueCount: Object.values(bySeverity(run.id)).reduce((sum, n) => sum + n, 0),
      actionCount: actionCounts.get(run.id) ?? 0,
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
