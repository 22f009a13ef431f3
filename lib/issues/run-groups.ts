// Each finding of a run with its issue across runs (for the run report and the run page): found
// by (the run's target, code, subject), so a run still going on, whose findings have not joined
// their groups yet, shows the groups they will join. One query per report.
import type { PrismaClient } from "../db";
import { type IssueGroupRef, effectiveState } from "./states";

export async function issueGroupsOfRun(prisma: PrismaClient, runId: string, now = new Date()): Promise<Map<string, IssueGroupRef>> {
  const rows = await prisma.$queryRaw<{
    issueId: string; groupId: string; state: string; snoozedUntil: Date | null; regressedAt: Date | null;
    stateByEmail: string | null; ignoredReason: string | null; stateAt: Date | null; scoredAt: Date;
  }[]>`
    SELECT i.id AS "issueId", g.id AS "groupId", g.state, g."snoozedUntil", g."regressedAt", g."stateByEmail", g."ignoredReason", g."stateAt",
           coalesce(r."finishedAt", now()) AS "scoredAt"
    FROM troubleshooter."Issue" i
    JOIN troubleshooter."TroubleshootingRun" r ON r.id = i."runId"
    JOIN troubleshooter."IssueGroup" g ON g."targetKey" = r."targetKey" AND g.code = i.code AND g.subject = coalesce(i.evidence->>'subject', '')
    WHERE i."runId" = ${runId}`;
  return new Map(rows.map((row): [string, IssueGroupRef] => {
    const state = effectiveState(row.state, row.snoozedUntil, now);
    // Ignored before the run was scored (it ended): the score left it out. Ignored since: the
    // run's score counted it, so the report does not list it as left out.
    const ignoredAtRun = state === "ignored" && (row.stateAt === null || row.stateAt.getTime() <= row.scoredAt.getTime());
    return [row.issueId, {
      id: row.groupId,
      state,
      regression: state === "open" && row.regressedAt !== null,
      snoozedUntil: state === "snoozed" && row.snoozedUntil ? row.snoozedUntil.toISOString() : null,
      ignored: ignoredAtRun ? { by: row.stateByEmail ?? "an admin", reason: row.ignoredReason ?? "" } : null,
    }];
  }));
}
