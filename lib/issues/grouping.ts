// Issues across runs: when a run ends, each of its findings joins the group of the same problem
// on the same target (targetKey, check code, evidence subject), and groups a completed run checked
// and no longer saw are resolved. Set-based: a few statements per run, whatever its findings.
import type { PrismaClient } from "../db";
import { AUTO_RESOLVER } from "./states";

/** A group that came back after being resolved, in this run (alerted once, by the caller). */
export interface Regression {
  groupId: string;
  code: string;
  subject: string;
  title: string;
  severity: string;
  regressions: number;
}

export interface GroupingResult {
  /** Groups this run's findings joined (created or updated). */
  groups: number;
  /** Groups that were resolved and are seen again (state back to open). */
  regressions: Regression[];
  /** Groups resolved because this completed run ran their check and did not see them. */
  resolved: number;
}

/**
 * Joins `runId`'s findings to their groups. Idempotent: running it twice for the same run counts
 * the run once and changes no state the second time (the group's lastRunId is the run).
 * - new group: first/last seen = the findings' time, firstBuildId = the run's buildId,
 *   previousBuildId = the buildId of the previous final run on the target (null = unknown);
 * - resolved and seen after it was resolved: open again, regressedAt = now, regressions + 1;
 * - snoozed past its time: open; ignored stays ignored; counts and latest severity/title always move.
 * `now`: the regression time (exact, so a caller can tell this call's regressions apart).
 */
export async function groupRunIssues(prisma: PrismaClient, runId: string, now = new Date()): Promise<GroupingResult> {
  return prisma.$transaction(async (tx) => {
    const upserted = await tx.$queryRaw<(Regression & { regressed: boolean })[]>`
      WITH run AS (
        SELECT r.id, r."targetKey", r."buildId", r."startedAt" FROM troubleshooter."TroubleshootingRun" r WHERE r.id = ${runId}
      ),
      previous AS (
        SELECT p."buildId" FROM troubleshooter."TroubleshootingRun" p, run
        WHERE p."targetKey" = run."targetKey" AND p.id <> run.id AND p."startedAt" < run."startedAt"
          AND p.status::text IN ('completed', 'failed', 'cancelled')
        ORDER BY p."startedAt" DESC LIMIT 1
      ),
      -- One row per (code, subject): the most severe finding's severity and title, the latest time.
      found AS (
        SELECT DISTINCT ON (i.code, coalesce(i.evidence->>'subject', ''))
          i.code, coalesce(i.evidence->>'subject', '') AS subject, i.domain, i.severity, i.title,
          max(i."createdAt") OVER (PARTITION BY i.code, coalesce(i.evidence->>'subject', '')) AS seen_at
        FROM troubleshooter."Issue" i WHERE i."runId" = ${runId}
        ORDER BY i.code, coalesce(i.evidence->>'subject', ''), i.severity ASC, i."createdAt" DESC
      )
      INSERT INTO troubleshooter."IssueGroup" AS g
        (id, "targetKey", code, subject, domain, severity, title, "firstSeenAt", "lastSeenAt", "firstRunId", "lastRunId",
         "runCount", state, "firstBuildId", "previousBuildId")
      SELECT gen_random_uuid()::text, run."targetKey", f.code, f.subject, f.domain, f.severity, f.title, f.seen_at, f.seen_at, run.id, run.id,
             1, 'open', run."buildId", (SELECT "buildId" FROM previous)
      FROM found f, run
      ON CONFLICT ("targetKey", code, subject) DO UPDATE SET
        severity = EXCLUDED.severity,
        title = EXCLUDED.title,
        "lastSeenAt" = greatest(g."lastSeenAt", EXCLUDED."lastSeenAt"),
        "lastRunId" = EXCLUDED."lastRunId",
        "runCount" = g."runCount" + CASE WHEN g."lastRunId" = EXCLUDED."lastRunId" THEN 0 ELSE 1 END,
        -- A group an admin resolved after this run saw it stays resolved: the sighting is older.
        state = CASE
          WHEN g."lastRunId" = EXCLUDED."lastRunId" THEN g.state
          WHEN g.state = 'resolved' AND (g."stateAt" IS NULL OR g."stateAt" <= EXCLUDED."lastSeenAt") THEN 'open'
          WHEN g.state = 'snoozed' AND (g."snoozedUntil" IS NULL OR g."snoozedUntil" <= EXCLUDED."lastSeenAt") THEN 'open'
          ELSE g.state END,
        "snoozedUntil" = CASE
          WHEN g."lastRunId" <> EXCLUDED."lastRunId" AND g.state = 'snoozed' AND (g."snoozedUntil" IS NULL OR g."snoozedUntil" <= EXCLUDED."lastSeenAt") THEN NULL
          ELSE g."snoozedUntil" END,
        "regressedAt" = CASE
          WHEN g."lastRunId" <> EXCLUDED."lastRunId" AND g.state = 'resolved' AND (g."stateAt" IS NULL OR g."stateAt" <= EXCLUDED."lastSeenAt") THEN ${now}
          ELSE g."regressedAt" END,
        regressions = g.regressions + CASE
          WHEN g."lastRunId" <> EXCLUDED."lastRunId" AND g.state = 'resolved' AND (g."stateAt" IS NULL OR g."stateAt" <= EXCLUDED."lastSeenAt") THEN 1
          ELSE 0 END
      RETURNING g.id AS "groupId", g.code, g.subject, g.title, g.severity::text AS severity, g.regressions,
                (g."regressedAt" IS NOT NULL AND g."regressedAt" = ${now}) AS regressed`;
    await tx.$executeRaw`
      UPDATE troubleshooter."Issue" i SET "groupId" = g.id
      FROM troubleshooter."TroubleshootingRun" r, troubleshooter."IssueGroup" g
      WHERE i."runId" = ${runId} AND r.id = i."runId" AND g."targetKey" = r."targetKey" AND g.code = i.code
        AND g.subject = coalesce(i.evidence->>'subject', '') AND i."groupId" IS DISTINCT FROM g.id`;
    const resolved = await resolveUnseen(tx, runId, now);
    return {
      groups: upserted.length,
      regressions: upserted.filter((g) => g.regressed).map((g) => ({ groupId: g.groupId, code: g.code, subject: g.subject, title: g.title, severity: g.severity, regressions: Number(g.regressions) })),
      resolved,
    };
  });
}

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** Resolves ("no longer seen", by AUTO_RESOLVER, as of the run's end) the target's open, acknowledged and snoozed
 * groups whose check this completed run ran (it passed or found issues: not skipped, not an error)
 * without seeing them. Ignored groups stay ignored. Returns how many were resolved. */
async function resolveUnseen(tx: Tx, runId: string, now: Date): Promise<number> {
  return tx.$executeRaw`
    UPDATE troubleshooter."IssueGroup" g SET state = 'resolved', "stateById" = NULL, "stateByEmail" = ${AUTO_RESOLVER},
      "stateAt" = coalesce(r."finishedAt", ${now}), "snoozedUntil" = NULL, "regressedAt" = NULL, "ignoredReason" = NULL
    FROM troubleshooter."TroubleshootingRun" r
    WHERE r.id = ${runId} AND r.status::text = 'completed' AND jsonb_typeof(r.checks) = 'array'
      AND g."targetKey" = r."targetKey" AND g.state IN ('open', 'acknowledged', 'snoozed')
      AND g."lastRunId" <> r.id AND g."lastSeenAt" < r."startedAt"
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(r.checks) c WHERE c->>'code' = g.code AND c->>'status' IN ('passed', 'issues'))
      AND NOT EXISTS (SELECT 1 FROM troubleshooter."Issue" i WHERE i."runId" = r.id AND i.code = g.code AND coalesce(i.evidence->>'subject', '') = g.subject)`;
}
