// Health history for the charts: every series aggregated in SQL over a time range, never by
// loading runs into memory. Scores come from the runs; issues, resolution times and phase
// durations from the per-day rollup of ended runs, by day.
import { z } from "zod";
import type { PrismaClient } from "../../db";
import { PHASES, type Phase } from "../report";

export const HISTORY_RANGES = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
export const historyRangeSchema = z.enum(["24h", "7d", "30d", "90d"]).default("7d");
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** When a range that ends now begins. */
export const rangeStart = (range: HistoryRange) => new Date(Date.now() - HISTORY_RANGES[range] * 86_400_000);

interface ScorePoint {
  at: string;
  score: number | null;
  web: number | null;
  database: number | null;
  network: number | null;
}

export interface History {
  range: HistoryRange;
  scores: ScorePoint[];
  issuesPerDay: { day: string; critical: number; high: number; medium: number; low: number; info: number }[];
  resolutionMinutes: { day: string; minutes: number }[];
  phases: { phase: string; avgMs: number; maxMs: number }[];
  topCodes: { code: string; issues: number; runs: number }[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export async function history(prisma: PrismaClient, range: HistoryRange): Promise<History> {
  const since = rangeStart(range);
  const bucket = range === "24h" ? "hour" : "day";
  const sinceDay = since.toISOString().slice(0, 10);
  const [scores, issues, resolution, phases, topCodes] = await Promise.all([
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT date_trunc(${bucket}, "startedAt") AS at, avg("healthScoreAfter") AS score,
             avg(("healthByDomain"->'web'->>'after')::float) AS web,
             avg(("healthByDomain"->'database'->>'after')::float) AS database,
             avg(("healthByDomain"->'network'->>'after')::float) AS network
      FROM troubleshooter."TroubleshootingRun"
      WHERE status = 'completed' AND "startedAt" >= ${since} AND "healthScoreAfter" IS NOT NULL
      GROUP BY 1 ORDER BY 1`,
    // The rest reads the per-day rollup of ended runs (lib/troubleshooting/queries/rollup.ts).
    prisma.$queryRaw<{ day: Date; severity: string; n: number }[]>`
      SELECT day, key AS severity, count AS n FROM troubleshooter."HistoryDaily" WHERE kind = 'severity' AND day >= ${sinceDay}::date ORDER BY day`,
    prisma.$queryRaw<{ day: Date; minutes: number }[]>`
      SELECT day, sum / count AS minutes FROM troubleshooter."HistoryDaily" WHERE kind = 'resolution' AND day >= ${sinceDay}::date AND count > 0 ORDER BY day`,
    prisma.$queryRaw<{ phase: string; avg_ms: number; max_ms: number }[]>`
      SELECT key AS phase, sum(sum) / sum(count) AS avg_ms, max(max) AS max_ms FROM troubleshooter."HistoryDaily"
      WHERE kind = 'phase' AND day >= ${sinceDay}::date GROUP BY key`,
    prisma.$queryRaw<{ code: string; issues: bigint; runs: bigint }[]>`
      SELECT key AS code, sum(count) AS issues, sum(runs) AS runs FROM troubleshooter."HistoryDaily"
      WHERE kind = 'code' AND day >= ${sinceDay}::date GROUP BY key ORDER BY issues DESC, key LIMIT 10`,
  ]);
  const days = new Map<string, History["issuesPerDay"][number]>();
  for (const row of issues) {
    const day = row.day.toISOString().slice(0, 10);
    const entry = days.get(day) ?? { day, critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    entry[row.severity as "critical"] = Number(row.n);
    days.set(day, entry);
  }
  return {
    range,
    scores: scores.map((r) => ({ at: (r.at as Date).toISOString(), score: num(r.score), web: num(r.web), database: num(r.database), network: num(r.network) })),
    issuesPerDay: [...days.values()],
    resolutionMinutes: resolution.map((r) => ({ day: r.day.toISOString().slice(0, 10), minutes: num(r.minutes) ?? 0 })),
    phases: phases
      .map((r) => ({ phase: r.phase, avgMs: Math.round(Number(r.avg_ms)), maxMs: Math.round(Number(r.max_ms)) }))
      .sort((a, b) => PHASES.indexOf(a.phase as Phase) - PHASES.indexOf(b.phase as Phase)),
    topCodes: topCodes.map((r) => ({ code: r.code, issues: Number(r.issues), runs: Number(r.runs) })),
  };
}
