// The investigation's tools: a fixed set, all read-only. Adding one is adding a file and a line.
import { fetchPage } from "./fetch-page";
import { issueEvidence } from "./issue-evidence";
import { platformLogs } from "./platform-logs";
import { queryPlan } from "./query-plan";
import { recentDeploys } from "./recent-deploys";
import { runLogs } from "./run-logs";
import { sessionActivity } from "./session-activity";
import { tableStats } from "./table-stats";
import type { InvestigationTool } from "./tool";

export const INVESTIGATION_TOOLS: readonly InvestigationTool<never>[] = [
  issueEvidence,
  queryPlan,
  sessionActivity,
  tableStats,
  platformLogs,
  runLogs,
  fetchPage,
  recentDeploys,
] as InvestigationTool<never>[];
