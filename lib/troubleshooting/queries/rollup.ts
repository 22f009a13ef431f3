// Adds ended runs to the per-day history figures (HistoryDaily), once each: the claim
// (rolledUpAt) and the additions are one statement, so a run is never counted twice. Figures are
// per target (targetKey), so each target's history stands apart. Only final
// runs: an interrupted one can still be resumed.
// Kinds (HistoryDaily.kind): "severity", "code", "group" (per IssueGroup id), "build_id" (runs,
// and in `runs` those that showed a build id), "phase" (ms), "bot" (ms), "resolution" (minutes
// from detection to verified fix), and the part of those spent waiting for a person:
// "phase_wait" (ms from each approval request to the run going on, by the phase that asked) and
// "resolution_wait" (minutes from planning an action to its approval; same count as "resolution").
import type { PrismaClient } from "../../db";
import { FINAL_RUN_STATUSES } from "../report";

/** Rolls up `runId` if it has ended, or every ended run not rolled up yet (backfill). */
export async function rollUpEndedRuns(prisma: PrismaClient, runId: string | null = null): Promise<number> {
  const [row] = await prisma.$queryRaw<{ runs: bigint }[]>`
    WITH claimed AS (
      UPDATE troubleshooter."TroubleshootingRun" SET "rolledUpAt" = now()
      WHERE "rolledUpAt" IS NULL AND status::text = ANY(${[...FINAL_RUN_STATUSES]}::text[]) AND (${runId}::text IS NULL OR id = ${runId})
      RETURNING id, "targetKey" AS target_key, "buildId" AS build_id, ("startedAt" AT TIME ZONE 'UTC')::date AS day, "finishedAt" AS finished_at
    ),
    -- Each wait for approval lasts until the first event after it that is not a decision (the run
    -- going on, or ending), else until the run's end.
    waits AS (
      SELECT c.target_key, c.day, a."runId", a.phase, 1000 * extract(epoch FROM (coalesce(
        (SELECT min(n."createdAt") FROM troubleshooter."RunEvent" n WHERE n."runId" = a."runId" AND n.seq > a.seq AND n.type <> 'action_decided'),
        c.finished_at, a."createdAt") - a."createdAt")) AS ms
      FROM claimed c JOIN troubleshooter."RunEvent" a ON a."runId" = c.id AND a.type = 'approval_required'
    ),
    phase_waits AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs, sum, max)
      SELECT target_key, day, 'phase_wait', phase, count(*), count(DISTINCT "runId"), sum(ms), max(ms) FROM waits GROUP BY 1, 2, 4
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs,
        sum = "HistoryDaily".sum + EXCLUDED.sum, max = greatest("HistoryDaily".max, EXCLUDED.max)
    ),
    resolution_waits AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs, sum, max)
      SELECT c.target_key, c.day, 'resolution_wait', '', count(*), count(DISTINCT f."runId"), sum(w.minutes), max(w.minutes)
      FROM claimed c JOIN troubleshooter."FixAction" f ON f."runId" = c.id JOIN troubleshooter."Issue" i ON i.id = f."issueId",
           LATERAL (SELECT CASE WHEN f."needsApproval" AND f."decidedAt" IS NOT NULL
                                THEN greatest(0, extract(epoch FROM (least(f."decidedAt", f."updatedAt") - f."createdAt")) / 60) ELSE 0 END AS minutes) w
      WHERE f.verified = true GROUP BY 1, 2
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs,
        sum = "HistoryDaily".sum + EXCLUDED.sum, max = greatest("HistoryDaily".max, EXCLUDED.max)
    ),
    severities AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs)
      SELECT c.target_key, c.day, 'severity', i.severity::text, count(*), count(DISTINCT i."runId") FROM claimed c JOIN troubleshooter."Issue" i ON i."runId" = c.id GROUP BY 1, 2, 4
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs
    ),
    -- Per issue across runs (Issue.groupId, set by lib/issues before the rollup): the history's
    -- "top recurring" sums these days instead of reading every sighting of the range.
    issue_groups AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs)
      SELECT c.target_key, c.day, 'group', i."groupId", count(*), count(DISTINCT i."runId") FROM claimed c JOIN troubleshooter."Issue" i ON i."runId" = c.id
      WHERE i."groupId" IS NOT NULL GROUP BY 1, 2, 4
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs
    ),
    -- Runs, and how many of them showed a build id (what the history's deploy markers stand on).
    build_ids AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs)
      SELECT c.target_key, c.day, 'build_id', '', count(*), count(c.build_id) FROM claimed c GROUP BY 1, 2
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs
    ),
    codes AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs)
      SELECT c.target_key, c.day, 'code', i.code, count(*), count(DISTINCT i."runId") FROM claimed c JOIN troubleshooter."Issue" i ON i."runId" = c.id GROUP BY 1, 2, 4
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs
    ),
    phases AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs, sum, max)
      SELECT c.target_key, c.day, 'phase', e.payload->>'phase', count(*), count(DISTINCT e."runId"), sum((e.payload->>'durationMs')::float), max((e.payload->>'durationMs')::float)
      FROM claimed c JOIN troubleshooter."RunEvent" e ON e."runId" = c.id
      WHERE e.type = 'phase_completed' AND e.payload->>'phase' IS NOT NULL AND e.payload->>'durationMs' IS NOT NULL GROUP BY 1, 2, 4
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs,
        sum = "HistoryDaily".sum + EXCLUDED.sum, max = greatest("HistoryDaily".max, EXCLUDED.max)
    ),
    bots AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs, sum, max)
      SELECT c.target_key, c.day, 'bot', e.payload->>'bot', count(*), count(DISTINCT e."runId"), sum((e.payload->>'durationMs')::float), max((e.payload->>'durationMs')::float)
      FROM claimed c JOIN troubleshooter."RunEvent" e ON e."runId" = c.id
      WHERE e.type = 'phase_completed' AND e.payload->>'bot' IS NOT NULL AND e.payload->>'durationMs' IS NOT NULL GROUP BY 1, 2, 4
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs,
        sum = "HistoryDaily".sum + EXCLUDED.sum, max = greatest("HistoryDaily".max, EXCLUDED.max)
    ),
    resolutions AS (
      INSERT INTO troubleshooter."HistoryDaily" ("targetKey", day, kind, key, count, runs, sum, max)
      SELECT c.target_key, c.day, 'resolution', '', count(*), count(DISTINCT f."runId"), sum(m.minutes), max(m.minutes)
      FROM claimed c JOIN troubleshooter."FixAction" f ON f."runId" = c.id JOIN troubleshooter."Issue" i ON i.id = f."issueId",
           LATERAL (SELECT extract(epoch FROM (f."updatedAt" - i."createdAt")) / 60 AS minutes) m
      WHERE f.verified = true GROUP BY 1, 2
      ON CONFLICT ("targetKey", day, kind, key) DO UPDATE SET count = "HistoryDaily".count + EXCLUDED.count, runs = "HistoryDaily".runs + EXCLUDED.runs,
        sum = "HistoryDaily".sum + EXCLUDED.sum, max = greatest("HistoryDaily".max, EXCLUDED.max)
    )
    SELECT count(*) AS runs FROM claimed`;
  return Number(row?.runs ?? 0);
}
