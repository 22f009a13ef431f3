// The AI investigation of the top-ranked issues, after prioritization and before fixes are
// planned (lib/troubleshooting/investigation). Without a model, or turned off, it records why it
// did not run. A rerun of the node (a run resumed after a crash) starts over and overwrites.
import type { Prisma } from "../../../generated/prisma/client";
import { ignoredGroupsForRun, markIgnored } from "../../../issues/ignored";
import { subjectKey } from "../../../issues/states";
import type { Domain, Severity } from "../../report";
import { appendEvent } from "../../runs/events";
import { openTarget } from "../../runs/target-secrets";
import { bindCredentials } from "../../site/credentials";
import { investigate } from "../../investigation/investigate";
import type { IssueBrief } from "../../investigation/prompt";
import { createRedactor, secretsInReach } from "../../investigation/redaction";
import { EMPTY_COST, type Investigation, notRun } from "../../investigation/schema";
import { INVESTIGATION_TOOLS } from "../../investigation/tools";
import type { ToolContext } from "../../investigation/tools/tool";
import type { EngineDeps, InvestigationSettings } from "../deps";
import type { RunStateUpdate, RunStateValue } from "../state";
import { RunCancelledError, inPhase } from "./phase";
import { logger } from "../../../monitoring/logger";

/** lib/env.ts's defaults, for engines built without settings.investigation (tests, older hosts). */
export const DEFAULT_INVESTIGATION: InvestigationSettings = { maxIssues: 3, maxToolCalls: 12, maxTokens: 60_000, toolTimeoutMs: 5_000 };

/** The investigator's model with the tools it may offer: the registry (INVESTIGATION_TOOLS) unless
 * given (an engine whose deps.investigator carries `tools`, e.g. a test's own tool). */
export function investigateNode(deps: EngineDeps) {
  return inPhase(deps, "issue_prioritization", async (state: RunStateValue, signal: AbortSignal): Promise<RunStateUpdate> => {
    const store = (record: Investigation) =>
      deps.prisma.troubleshootingRun.update({ where: { id: state.runId }, data: { investigation: record as unknown as Prisma.InputJsonObject } });
    const skip = async (reason: string): Promise<RunStateUpdate> => {
      await store(notRun(reason));
      return {};
    };
    const settings = deps.settings.investigation ?? DEFAULT_INVESTIGATION;
    const investigator = deps.investigator;
    if (!investigator) return skip("no OPENAI_API_KEY: no AI investigation");
    if (settings.maxIssues === 0) return skip("INVESTIGATION_MAX_ISSUES=0: turned off");
    const issues = await topIssues(deps, state, settings.maxIssues);
    if (issues.length === 0) return skip("every issue of this run is ignored by an admin");

    const issueIds = issues.map((issue) => issue.id);
    const integrations = deps.settings.integrations ?? {};
    const credentials = bindCredentials(deps.settings.site?.credentials, state.config.target.baseUrl);
    let redactor = createRedactor(secretsInReach({ databaseUrl: state.config.target.databaseUrl, credentials, integrations }));
    try {
      const target = openTarget(state.config.target, deps.settings.targetDatabaseUrl);
      const context: Omit<ToolContext, "signal"> = { runId: state.runId, target, prisma: deps.prisma, credentials, integrations, issues: state.issues, checks: deps.checks };
      redactor = createRedactor(secretsInReach({ databaseUrl: target.databaseUrl, credentials, integrations }));
      const record = await investigate({
        load: investigator.load,
        modelName: investigator.name,
        issues,
        tools: investigator.tools ?? INVESTIGATION_TOOLS,
        context,
        settings,
        fixes: deps.fixes,
        redactor,
        signal,
        onStart: async (offered) => {
          // Stored as running, so that a page loaded meanwhile shows it under way.
          await store({ status: "running", model: investigator.name, issueIds, toolCalls: [], claims: [], dropped: [], cost: EMPTY_COST });
          await appendEvent(deps.prisma, state.runId, "issue_prioritization", "investigation_started", { issueIds, model: investigator.name, tools: offered });
        },
        onToolCall: async (call) => void (await appendEvent(deps.prisma, state.runId, "issue_prioritization", "investigation_tool_call", call)),
      });
      await store(record);
      await appendEvent(deps.prisma, state.runId, "issue_prioritization", "investigation_completed", record);
    } catch (err) {
      if (signal.aborted || err instanceof RunCancelledError) throw new RunCancelledError();
      // The investigation is an extra: whatever broke it (the target's secrets not in this
      // process, the store), the run goes on to its fixes, and the report says what happened.
      const reason = `the investigation could not run (${redactor.text(err instanceof Error ? err.message : String(err))})`;
      logger().warn({ runId: state.runId, reason }, "investigation failed");
      await store({ ...notRun(reason), status: "failed", model: investigator.name, issueIds });
    }
    return {};
  }, { detail: { bot: "investigator" } }); // part of prioritization: the report's phase spans both nodes
}

/** The `max` highest-ranked issues of the run that no admin has ignored, as the model is given them. */
async function topIssues(deps: EngineDeps, state: RunStateValue, max: number): Promise<IssueBrief[]> {
  const rows = await deps.prisma.issue.findMany({
    where: { runId: state.runId },
    orderBy: [{ rank: "asc" }],
    select: { id: true, code: true, domain: true, severity: true, title: true, evidence: true, relatedIds: true },
  });
  const ignored = await ignoredGroupsForRun(deps.prisma, state.runId);
  const marked = markIgnored(rows.map((row) => ({ ...row, subject: subjectKey(row.evidence) })), ignored);
  return marked
    .filter((row) => !row.ignored)
    .slice(0, max)
    .map((row) => ({
      id: row.id,
      code: row.code,
      domain: row.domain as Domain,
      severity: row.severity as Severity,
      title: row.title,
      subject: row.subject,
      evidence: isObject(row.evidence) ? row.evidence : {},
      relatedIds: row.relatedIds,
      candidateActions: deps.fixes.filter((fix) => fix.addresses.includes(row.code)).map((fix) => fix.code),
    }));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
