// Which of a run's findings an admin has ignored (their group, on the run's target, is in state
// "ignored"): left out of the run's health score. One query per run, whatever its findings.
import type { PrismaClient } from "../db";
import { groupKey } from "./states";

export interface IgnoredBy {
  /** The admin's e-mail who ignored it ("an admin" when not recorded). */
  by: string;
  reason: string;
}

/** The ignored groups of `runId`'s target, by groupKey(code, subject). */
export async function ignoredGroupsForRun(prisma: PrismaClient, runId: string): Promise<Map<string, IgnoredBy>> {
  const rows = await prisma.$queryRaw<{ code: string; subject: string; by: string | null; reason: string | null }[]>`
    SELECT g.code, g.subject, g."stateByEmail" AS by, g."ignoredReason" AS reason
    FROM troubleshooter."IssueGroup" g JOIN troubleshooter."TroubleshootingRun" r ON r."targetKey" = g."targetKey"
    WHERE r.id = ${runId} AND g.state = 'ignored'`;
  return new Map(rows.map((r) => [groupKey(r.code, r.subject), { by: r.by ?? "an admin", reason: r.reason ?? "" }]));
}

/** The findings marked `ignored` when their group is in `ignored` (for healthScores). */
export function markIgnored<T extends { code: string; subject: string }>(issues: readonly T[], ignored: ReadonlyMap<string, IgnoredBy>): (T & { ignored: boolean })[] {
  return issues.map((issue) => ({ ...issue, ignored: ignored.has(groupKey(issue.code, issue.subject)) }));
}
