// Builds the report of a run, finished or not, from what the database holds.
import type { PrismaClient } from "../../db";
import { type ActionStatus, type CheckResult, type Domain, type PhaseRecord, type RunReport, checkResultSchema, domainSchema, isActiveRun, llmInfoSchema, PHASES, runReportSchema } from "../report";
import { z } from "zod";
import { effectOf } from "../fixes/effect";
import { adviceText, groupAdvice } from "../report-view";
import { issueGroupsOfRun } from "../../issues/run-groups";
import { investigationSchema } from "../investigation/schema";

const targetSchema = z.object({ baseUrl: z.string(), database: z.string(), endpoints: z.array(z.string()) });
const byDomainSchema = z.record(z.string(), z.object({ before: z.number().nullable(), after: z.number().nullable() }));

export async function buildReport(prisma: PrismaClient, runId: string): Promise<RunReport | null> {
  const run = await prisma.troubleshootingRun.findUnique({
    where: { id: runId },
    include: {
      issues: { orderBy: [{ rank: "asc" }, { createdAt: "asc" }] },
      actions: { orderBy: { createdAt: "asc" } },
      events: { where: { type: { in: ["phase_started", "phase_completed", "phase_skipped", "check_completed", "bot_degraded"] } }, orderBy: { seq: "asc" } },
    },
  });
  if (!run) return null;
  const terminal = !isActiveRun(run.status);
  const groups = await issueGroupsOfRun(prisma, runId);
  const checks = z.array(checkResultSchema).safeParse(run.checks);
  const issues = run.issues.map((issue) => ({
    id: issue.id,
    code: issue.code,
    domain: issue.domain,
    severity: issue.severity,
    title: issue.title,
    description: issue.description,
    evidence: z.record(z.string(), z.unknown()).catch({}).parse(issue.evidence),
    status: issue.status,
    detectedBy: issue.detectedBy,
    rank: issue.rank,
    relatedIds: issue.relatedIds,
    recommendation: issue.recommendation,
    group: groups.get(issue.id) ?? null,
  }));
  const actions = run.actions.map((action) => ({
    id: action.id,
    issueIds: action.issueId ? [action.issueId] : [],
    code: action.code,
    title: action.title,
    risk: action.risk,
    status: reportStatus(action.status, terminal, action.result),
    verified: action.verified,
    detail: action.detail,
    decidedBy: action.decidedByEmail,
    ...(terminal && action.status === "applying" ? { detail: "interrupted while being applied: its effect is unknown" } : {}),
  }));
  // Advice is derived from the rows (not the list stored at the end): ordered and grouped the same
  // for runs reported before grouping existed, and present while the run goes on.
  // Advice for what counts: an ignored finding's advice (and its advice actions) is left out.
  const counted = issues.filter((i) => !i.group?.ignored);
  const countedIds = new Set(counted.map((i) => i.id));
  const advice = groupAdvice(counted, actions.filter((a) => a.issueIds.length === 0 || a.issueIds.some((id) => countedIds.has(id))));
  return runReportSchema.parse({
    runId: run.id,
    status: run.status,
    success: run.status === "completed",
    trigger: run.trigger,
    target: targetSchema.parse(run.target),
    initialIssue: run.initialIssue,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.durationMs,
    healthScore: { before: run.healthScoreBefore, after: run.healthScoreAfter, byDomain: byDomainSchema.catch({}).parse(run.healthByDomain ?? {}) },
    degradedDomains: degradedFrom(run.events),
    phases: phasesFrom(run.events, terminal ? { status: run.status, finishedAt: run.finishedAt } : null),
    checks: checks.success ? checks.data : checksFrom(run.events),
    issues,
    actions,
    summary: run.summary ?? (terminal ? "" : `Run ${run.status.replace("_", " ")}.`),
    recommendations: advice.map((group) => adviceText(group, issues)),
    advice,
    llm: llmInfoSchema.catch({ used: false }).parse(run.llm ?? { used: false }),
    investigation: run.investigation ? investigationSchema.optional().catch(undefined).parse(run.investigation) : undefined,
    statusReason: run.statusReason,
  });
}

/** The report's word for an action row. Only pending_approval awaits a person: an approved (or
 * safe, planned) action is "approved" until applied. A result that records it changed nothing
 * (fixes/effect.ts) is "no_effect", a re-probe that confirmed the problem "still_failing". Once the
 * run has ended, an action cut off mid-apply is failed (its effect unknown), others skipped. */
export function reportStatus(status: string, terminal: boolean, result: unknown): ActionStatus {
  const effect = effectOf(result);
  if (status === "applied" || status === "failed") return effect === "none" ? "no_effect" : effect === "persists" ? "still_failing" : status;
  if (status === "rejected" || status === "advice" || status === "pending_approval") return status;
  if (!terminal) return "approved";
  return status === "applying" ? "failed" : "skipped";
}

type EventRow = { type: string; phase: string; payload: unknown; createdAt: Date };

/** Phase timings from the phase events (a phase several bots share spans the first start to the
 * last end). `ended`: the run's end, when it has ended; a phase it left unfinished then says how
 * (failed, cancelled, interrupted) and lasts until the run's end, not until now. */
function phasesFrom(events: EventRow[], ended: { status: string; finishedAt: Date | null } | null): PhaseRecord[] {
  return PHASES.flatMap((name): PhaseRecord[] => {
    const own = events.filter((e) => e.phase === name);
    const started = own.filter((e) => e.type === "phase_started");
    const completed = own.filter((e) => e.type === "phase_completed");
    if (own.some((e) => e.type === "phase_skipped")) {
      const at = own[0]?.createdAt.toISOString() ?? "";
      return [{ name, status: "skipped", startedAt: at, durationMs: 0 }];
    }
    const first = started[0] ?? completed[0];
    if (!first) return [];
    const last = completed.at(-1);
    const done = completed.length >= started.length && last;
    const until = done ? last.createdAt.getTime() : ended ? (ended.finishedAt ?? events.at(-1)?.createdAt ?? first.createdAt).getTime() : Date.now();
    const cutOff = ended?.status === "cancelled" || ended?.status === "interrupted" ? ended.status : "failed";
    return [{
      name,
      status: done ? "completed" : ended ? cutOff : "running",
      startedAt: first.createdAt.toISOString(),
      durationMs: Math.max(0, until - first.createdAt.getTime()),
    }];
  });
}

function degradedFrom(events: EventRow[]): Domain[] {
  const payload = z.object({ domain: domainSchema });
  return [...new Set(events.filter((e) => e.type === "bot_degraded").flatMap((e) => payload.safeParse(e.payload).data?.domain ?? []))];
}

function checksFrom(events: EventRow[]): CheckResult[] {
  return events.filter((e) => e.type === "check_completed").flatMap((e) => {
    const parsed = checkResultSchema.safeParse(e.payload);
    return parsed.success ? [parsed.data] : [];
  });
}
