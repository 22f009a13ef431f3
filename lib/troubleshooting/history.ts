// Health history for the charts: every series aggregated in SQL over a time range, never by
// loading runs into memory.
import { z } from "zod";
import type { PrismaClient } from "../db";
import { PHASES, type Phase } from "./report";

export const HISTORY_RANGES = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
export const historyRangeSchema = z.enum(["24h", "7d", "30d", "90d"]).default("7d");
export type HistoryRange = keyof typeof HISTORY_RANGES;

export interface ScorePoint {
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
  phases: { phase: string; avgMs: number; p95Ms: number }[];
  topCodes: { code: string; issues: number; runs: number }[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export async function history(prisma: PrismaClient, range: HistoryRange): Promise<History> {
  const since = new Date(Date.now() - HISTORY_RANGES[range] * 86_400_000);
  const bucket = range === "24h" ? "hour" : "day";
  const [scores, issues, resolution, phases, topCodes] = await Promise.all([
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT date_trunc(${bucket}, "startedAt") AS at, avg("healthScoreAfter") AS score,
             avg(("healthByDomain"->'web'->>'after')::float) AS web,
             avg(("healthByDomain"->'database'->>'after')::float) AS database,
             avg(("healthByDomain"->'network'->>'after')::float) AS network
      FROM "TroubleshootingRun"
      WHERE status = 'completed' AND "startedAt" >= ${since} AND "healthScoreAfter" IS NOT NULL
      GROUP BY 1 ORDER BY 1`,
    prisma.$queryRaw<{ day: Date; severity: string; n: bigint }[]>`
      SELECT date_trunc('day', "createdAt") AS day, severity::text AS severity, count(*) AS n
      FROM "Issue" WHERE "createdAt" >= ${since} GROUP BY 1, 2 ORDER BY 1`,
    prisma.$queryRaw<{ day: Date; minutes: number }[]>`
      SELECT date_trunc('day', i."createdAt") AS day, avg(extract(epoch FROM (f."updatedAt" - i."createdAt")) / 60) AS minutes
      FROM "FixAction" f JOIN "Issue" i ON i.id = f."issueId"
      WHERE f.verified = true AND i."createdAt" >= ${since}
      GROUP BY 1 ORDER BY 1`,
    prisma.$queryRaw<{ phase: string; avg_ms: number; p95_ms: number }[]>`
      SELECT e.payload->>'phase' AS phase, avg((e.payload->>'durationMs')::float) AS avg_ms,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY (e.payload->>'durationMs')::float) AS p95_ms
      FROM "RunEvent" e JOIN "TroubleshootingRun" r ON r.id = e."runId"
      WHERE e.type = 'phase_completed' AND r."startedAt" >= ${since}
      GROUP BY 1`,
    prisma.$queryRaw<{ code: string; issues: bigint; runs: bigint }[]>`
      SELECT code, count(*) AS issues, count(DISTINCT "runId") AS runs
      FROM "Issue" WHERE "createdAt" >= ${since}
      GROUP BY code ORDER BY issues DESC, code LIMIT 10`,
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
      .map((r) => ({ phase: r.phase, avgMs: Math.round(Number(r.avg_ms)), p95Ms: Math.round(Number(r.p95_ms)) }))
      .sort((a, b) => PHASES.indexOf(a.phase as Phase) - PHASES.indexOf(b.phase as Phase)),
    topCodes: topCodes.map((r) => ({ code: r.code, issues: Number(r.issues), runs: Number(r.runs) })),
  };
}
