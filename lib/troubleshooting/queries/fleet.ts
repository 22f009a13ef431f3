// The overview's fleet card: for every target, its latest run (status), its latest scored run
// (score), the fixes waiting for a decision, and the open issues that scored run found. One
// query, each target's rows found through the (targetKey, startedAt) index: 50 targets with
// 100,000 runs read about 100 index entries, not the runs table.
import type { PrismaClient } from "../../db";
import type { RunStatus } from "../report";

export interface FleetRow {
  targetKey: string;
  /** The target's latest run of any status; null before its first run. */
  latest: { id: string; status: RunStatus; startedAt: Date } | null;
  /** Its latest completed, scored run: the score the overview shows; null before one completed. */
  scored: { id: string; score: number; startedAt: Date; openIssues: number } | null;
  /** Fixes waiting for an admin's decision, over its runs waiting for one. */
  waitingDecisions: number;
}

interface Row {
  key: string;
  latest_id: string | null;
  latest_status: RunStatus | null;
  latest_at: Date | null;
  scored_id: string | null;
  score: number | null;
  scored_at: Date | null;
  open_issues: bigint | null;
  waiting: bigint;
}

/** One row per key, in the order given. */
export async function fleetSummary(prisma: PrismaClient, targetKeys: string[]): Promise<FleetRow[]> {
  if (targetKeys.length === 0) return [];
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT t.key, l.id AS latest_id, l.status::text AS latest_status, l."startedAt" AS latest_at,
           s.id AS scored_id, s."healthScoreAfter" AS score, s."startedAt" AS scored_at,
           (SELECT count(*) FROM troubleshooter."Issue" i WHERE i."runId" = s.id AND i.status IN ('open', 'unresolved')) AS open_issues,
           (SELECT count(*) FROM troubleshooter."FixAction" f JOIN troubleshooter."TroubleshootingRun" w ON w.id = f."runId"
             WHERE w."targetKey" = t.key AND w.status = 'awaiting_approval' AND f.status = 'pending_approval') AS waiting
    FROM unnest(${targetKeys}::text[]) WITH ORDINALITY AS t(key, ord)
    LEFT JOIN LATERAL (SELECT r.id, r.status, r."startedAt" FROM troubleshooter."TroubleshootingRun" r
                       WHERE r."targetKey" = t.key ORDER BY r."startedAt" DESC LIMIT 1) l ON true
    LEFT JOIN LATERAL (SELECT r.id, r."healthScoreAfter", r."startedAt" FROM troubleshooter."TroubleshootingRun" r
                       WHERE r."targetKey" = t.key AND r.status = 'completed' AND r."healthScoreAfter" IS NOT NULL
                       ORDER BY r."startedAt" DESC LIMIT 1) s ON true
    ORDER BY t.ord`;
  return rows.map((r) => ({
    targetKey: r.key,
    latest: r.latest_id && r.latest_status && r.latest_at ? { id: r.latest_id, status: r.latest_status, startedAt: r.latest_at } : null,
    scored: r.scored_id && r.score !== null && r.scored_at ? { id: r.scored_id, score: r.score, startedAt: r.scored_at, openIssues: Number(r.open_issues ?? 0) } : null,
    waitingDecisions: Number(r.waiting),
  }));
}
