// The after-run step (lib/troubleshooting/runs/run-ended.ts): a final run's findings join their
// issues across runs, and each issue that came back after being resolved raises one alert.
import type { PrismaClient } from "../db";
import { type AlertSettings, raiseAlerts } from "../monitoring/alerts";
import { regressionCandidate } from "../monitoring/alerts/regression";
// DEFAULT_TARGET_NAME of lib/targets/scope.ts, not imported: scope imports the run service, whose
// engine ends runs through this step (an import cycle).
const DEFAULT_TARGET_NAME = "default";
import { type GroupingResult, groupRunIssues } from "./grouping";

export async function joinIssueGroups(prisma: PrismaClient, runId: string, alerts: AlertSettings): Promise<GroupingResult> {
  const result = await groupRunIssues(prisma, runId);
  if (result.regressions.length === 0) return result;
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { id: true, targetKey: true, target: true, targetId: true } });
  if (!run) return result;
  const stored = run.targetId ? await prisma.target.findUnique({ where: { id: run.targetId }, select: { name: true } }) : null;
  const targetName = run.targetId ? (stored?.name ?? null) : DEFAULT_TARGET_NAME;
  await raiseAlerts(prisma, result.regressions.map((group) => regressionCandidate({ run, targetName, group })), alerts);
  return result;
}
