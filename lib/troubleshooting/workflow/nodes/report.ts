// Final report: score the system as left, summarise, and store the report.
import type { Prisma } from "../../../generated/prisma/client";
import type { EngineDeps } from "../deps";
import { appendEvent } from "../../runs/events";
import { healthScores } from "../health-score";
import { ignoredGroupsForRun, markIgnored } from "../../../issues/ignored";
import { subjectKey } from "../../../issues/states";
import { buildReport, reportStatus } from "../../queries/report";
import { notRun } from "../../investigation/schema";
import { adviceText, groupAdvice } from "../../report-view";
import { type Domain, addUsage } from "../../report";
import type { RunStateUpdate, RunStateValue } from "../state";
import { afterRunEnded } from "../../runs/run-ended";
import { RunCancelledError, inPhase } from "./phase";

export function reportNode(deps: EngineDeps) {
  return inPhase(deps, "final_report", async (state: RunStateValue): Promise<RunStateUpdate> => {
    const { prisma } = deps;
    const phaseStarted = Date.now();
    if (state.issues.length === 0) {
      for (const phase of ["resolution", "verification"] as const) {
        await appendEvent(prisma, state.runId, phase, "phase_skipped", { phase, reason: "no issues found" });
      }
      // The graph skips the investigation without issues: the report says why there is none.
      await prisma.troubleshootingRun.update({ where: { id: state.runId }, data: { investigation: notRun("no issues to investigate") as unknown as Prisma.InputJsonObject } });
    }
    const issues = await prisma.issue.findMany({ where: { runId: state.runId }, orderBy: [{ rank: "asc" }] });
    const actions = await prisma.fixAction.findMany({ where: { runId: state.runId } });
    // Findings an admin ignored (across runs, on this target) carry no penalty: read once per run.
    const ignored = await ignoredGroupsForRun(prisma, state.runId);
    const scored = markIgnored(issues.map((i) => ({ ...i, subject: subjectKey(i.evidence) })), ignored);
    const after = healthScores(state.config.domains, scored, state.checks);
    const before = state.healthBefore ?? after;
    // The summary is about what counts: ignored findings are listed apart in the report.
    const ignoredIds = new Set(scored.filter((i) => i.ignored).map((i) => i.id));
    const summary = await deps.reasoner.summarize({
      issues: issues.filter((i) => !ignoredIds.has(i.id)).map((i) => ({ id: i.id, title: i.title, severity: i.severity, status: i.status, rank: i.rank, relatedIds: i.relatedIds })),
      // In the report's words: an action that changed nothing is not counted as applied.
      actions: actions.map((a) => ({ title: a.title, status: reportStatus(a.status, true, a.result) })),
      healthBefore: before.overall,
      healthAfter: after.overall,
      degraded: state.degraded,
    });
    // Most severe first, identical advice once with the subjects it applies to (as the report shows it).
    const adviceIssues = issues.filter((i) => !ignoredIds.has(i.id)).map((i) => ({ ...i, evidence: typeof i.evidence === "object" && i.evidence !== null && !Array.isArray(i.evidence) ? (i.evidence as Record<string, unknown>) : {} }));
    const recommendations = groupAdvice(adviceIssues, actions.filter((a) => !a.issueId || !ignoredIds.has(a.issueId)).map((a) => ({ issueIds: a.issueId ? [a.issueId] : [], status: a.status, title: a.title, detail: a.detail })))
      .map((group) => adviceText(group, issues));
    const byDomain = Object.fromEntries(
      state.config.domains.map((d: Domain) => [d, { before: before.byDomain[d] ?? null, after: after.byDomain[d] ?? null }]),
    );
    const llm = {
      used: state.llm.used || (Boolean(deps.reasoner.model) && !summary.fallbackReason),
      model: deps.reasoner.model,
      fallbackReason: state.llm.fallbackReason ?? summary.fallbackReason ?? (deps.reasoner.model ? undefined : "no OPENAI_API_KEY: rule-based coordinator"),
      usage: addUsage(state.llm.usage, summary.usage),
    };
    const run = await prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: state.runId }, select: { startedAt: true } });
    const finishedAt = new Date();
    // Only a run still running completes: a cancel that landed meanwhile wins.
    const completed = await prisma.troubleshootingRun.updateMany({
      where: { id: state.runId, status: "running" },
      data: {
        status: "completed",
        finishedAt,
        durationMs: finishedAt.getTime() - run.startedAt.getTime(),
        healthScoreBefore: before.overall,
        healthScoreAfter: after.overall,
        healthByDomain: byDomain,
        summary: ignoredIds.size > 0 ? `${summary.value} Besides, ${ignoredIds.size === 1 ? "1 ignored issue was" : `${ignoredIds.size} ignored issues were`} seen again (ignored by an admin: not counted in the health score).` : summary.value,
        recommendations,
        llm: llm as Prisma.InputJsonObject,
      },
    });
    if (completed.count === 0) throw new RunCancelledError();
    await appendEvent(prisma, state.runId, "final_report", "phase_completed", { phase: "final_report", durationMs: Date.now() - phaseStarted });
    const report = await buildReport(prisma, state.runId);
    await prisma.troubleshootingRun.update({ where: { id: state.runId }, data: { report: report as unknown as Prisma.InputJsonObject } });
    await appendEvent(prisma, state.runId, "final_report", "run_completed", { healthScore: { before: before.overall, after: after.overall }, summary: summary.value });
    await afterRunEnded(prisma, state.runId, deps.settings.alerts);
    return {};
  }, { complete: false });
}
