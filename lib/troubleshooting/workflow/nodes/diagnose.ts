// Diagnostics: one node per domain bot; the graph runs the three in parallel. Each stores its
// findings as Issues as they are found, so a crashed run still shows what it saw.
import type { Prisma } from "../../../generated/prisma/client";
import { type Finding, createDiagnosticBot } from "../bots/diagnostic-bot";
import { retryOnConnectionError } from "../../runs/db-retry";
import type { EngineDeps } from "../deps";
import { appendEvent } from "../../runs/events";
import type { CheckResult, Domain } from "../../report";
import type { IssueRecord, RunStateUpdate, RunStateValue } from "../state";
import { metricMemory } from "../memory";
import { openTarget } from "../../runs/target-secrets";
import { inPhase } from "./phase";
import { acquireSiteProbe } from "../../site/shared-probe";
import { storeProbeSamples, watchedProbe } from "../../deploys/probe-samples";
import { logger } from "../../../monitoring/logger";

export function diagnoseNode(deps: EngineDeps, domain: Domain) {
  const bot = createDiagnosticBot(domain);
  return inPhase(
    deps,
    "diagnostics",
    async (state: RunStateValue, signal: AbortSignal): Promise<RunStateUpdate> => {
      const inScope = state.config.domains.includes(domain);
      if (!inScope) {
        const checks: CheckResult[] = deps.checks
          .filter((c) => c.domain === domain)
          .map((c) => ({ code: c.code, domain, status: "skipped", durationMs: 0, reason: "domain not selected for this run" }));
        return { checks };
      }
      // A run resumed from its checkpoint (after a crash or a dropped database connection) runs a
      // bot that was cut off again from the start: what that attempt stored is not in the state,
      // and would be found twice.
      await deps.prisma.issue.deleteMany({ where: { runId: state.runId, detectedBy: bot.name } });
      const issues: IssueRecord[] = [];
      const storeFindings = async (check: CheckResult, findings: Finding[]) => {
        for (const { code, draft } of findings) {
          const row = await retryOnConnectionError(() => deps.prisma.issue.create({
            data: {
              runId: state.runId,
              code,
              domain,
              severity: draft.severity,
              title: draft.title,
              description: draft.description,
              evidence: { ...draft.evidence, subject: draft.subject } as Prisma.InputJsonObject,
              recommendation: draft.recommendation,
              detectedBy: bot.name,
            },
          }));
          issues.push({ id: row.id, code, domain, severity: draft.severity, title: draft.title, subject: draft.subject, evidence: draft.evidence });
          await appendEvent(deps.prisma, state.runId, "diagnostics", "issue_found", { issueId: row.id, code, domain, severity: draft.severity, title: draft.title });
        }
        await appendEvent(deps.prisma, state.runId, "diagnostics", "check_completed", { ...check, bot: bot.name });
      };
      const target = openTarget(state.config.target, deps.settings.targetDatabaseUrl);
      // The web and network bots share one probe of the site (one discovery, one browser).
      const shared = domain === "database" ? null : acquireSiteProbe(`${state.runId}|${target.baseUrl}`, target, deps.settings.diagnosticTimeoutMs, deps.settings.site);
      // What the bot measured of pages and endpoints, kept for the per-check history (no request of its own).
      const watched = shared ? watchedProbe(shared.probe) : null;
      const result = await bot.runDiagnostics(target, {
        checkTimeoutMs: deps.settings.checkTimeoutMs,
        botTimeoutMs: deps.settings.diagnosticTimeoutMs,
        breakerThreshold: deps.settings.breakerThreshold,
        thresholdOverrides: deps.settings.thresholdOverrides,
        catalogue: deps.checks,
        memory: metricMemory(deps.prisma, state.runId, state.config.target.databaseUrl),
        site: deps.settings.site,
        siteProbe: watched?.probe,
        signal,
        // A failure to store findings (our own database) fails the node, not the bot: the run goes
        // on from its checkpoint (this bot again) or fails with the reason.
        onCheck: storeFindings,
      }).finally(() => shared?.release());
      if (watched) await storeProbeSamples(deps.prisma, state.runId, domain, watched).catch((err: unknown) => logger().warn({ component: "diagnose", error: err instanceof Error ? err.name : "error" }, "probe samples not stored"));
      if (result.degraded) await appendEvent(deps.prisma, state.runId, "diagnostics", "bot_degraded", { bot: bot.name, domain, reason: result.degraded });
      return { checks: result.checks, issues, degraded: result.degraded ? [domain] : [] };
    },
    { detail: { bot: bot.name } },
  );
}
