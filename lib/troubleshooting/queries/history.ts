// Health history for the charts, read in SQL over a time range. Scores are one point per completed
// run, tagged with its target and scope so that only comparable runs are joined into a line;
// issues, resolution times and phase durations come from the per-day rollup of ended runs;
// recurring findings from the issues themselves (distinct runs per code, subject and target);
// deploys from the runs' build ids (a run whose build differs from the previous run's on its target).
// Every figure is for one target when a targetKey is given (?target=), else for all of them.
import { z } from "zod";
import type { PrismaClient } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import { DOMAINS, type Domain, PHASES, type Phase } from "../report";
import { scopeLabel, scopeSql, targetLabel } from "./comparable";

export const HISTORY_RANGES = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
export const historyRangeSchema = z.enum(["24h", "7d", "30d", "90d"]).default("7d");
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** When a range that ends now begins. */
export const rangeStart = (range: HistoryRange) => new Date(Date.now() - HISTORY_RANGES[range] * 86_400_000);

/** One completed run's score (0-100), overall and per domain (null: not checked). */
export interface ScorePoint {
  runId: string;
  at: string;
  targetKey: string;
  /** The target, readable (targetLabel). */
  target: string;
  scope: Domain[];
  /** "full", "web-only"... (scopeLabel). */
  scopeLabel: string;
  /** Runs comparable with each other share it: the same target and scope. */
  series: string;
  score: number | null;
  web: number | null;
  database: number | null;
  network: number | null;
  /** The Next.js build id the run saw; null: not visible on the target's page. */
  buildId: string | null;
}

export interface History {
  range: HistoryRange;
  /** One point per completed run (oldest first; the latest MAX_SCORE_POINTS in the range). */
  scores: ScorePoint[];
  issuesPerDay: { day: string; critical: number; high: number; medium: number; low: number; info: number }[];
  /** Mean minutes from detection to verified resolution, and the part spent waiting for approval. */
  resolutionMinutes: { day: string; minutes: number; workingMinutes: number; waitingMinutes: number }[];
  /** Mean and max duration per phase (ms); the mean split into working and waiting for approval. */
  phases: { phase: string; avgMs: number; maxMs: number; workingMs: number; waitingMs: number }[];
  /** Findings made again and again: per check code, subject and target, in 2 or more runs. */
  topCodes: { code: string; subject: string; targetKey: string; target: string; issues: number; runs: number }[];
  /** Runs (any status, oldest first) that saw another build id than the previous run on their
   * target that saw one: a deploy happened between the two. */
  deploys: DeployMarker[];
  /** Runs in the range, and how many of them showed a build id (the markers' sample). */
  buildIdsSeen: { runs: number; withBuildId: number };
}

/** A deploy seen between two runs of one target. */
export interface DeployMarker {
  runId: string;
  at: string;
  targetKey: string;
  target: string;
  buildId: string;
  previousBuildId: string;
  deploymentId: string | null;
  commitSha: string | null;
  commitMessage: string | null;
}

/** The most runs the score chart plots (the latest ones). */
export const MAX_SCORE_POINTS = 500;

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

/** `targetKey`: one target's figures (TroubleshootingRun.targetKey); null or absent: all targets. */
export async function history(prisma: PrismaClient, range: HistoryRange, targetKey: string | null = null): Promise<History> {
  const since = rangeStart(range);
  const sinceDay = since.toISOString().slice(0, 10);
  // One target's rows only; the runs' (targetKey, startedAt) index serves both run queries.
  const runOnTarget = targetKey === null ? Prisma.empty : Prisma.sql`AND r."targetKey" = ${targetKey}`;
  const dayOn = (alias: string) => (targetKey === null ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(alias)}."targetKey" = ${targetKey}`);
  const [scores, issues, resolution, phases, topCodes, deploys, seen] = await Promise.all([
    // Each run is a point of its own: averaging runs into buckets merged runs on different targets
    // and scopes, and two runs minutes apart into one dot.
    prisma.$queryRaw<{ id: string; at: Date; target_key: string; scope: string; score: number | null; web: number | null; database: number | null; network: number | null; build_id: string | null }[]>`
      SELECT r.id, r."startedAt" AS at, r."buildId" AS build_id, r."targetKey" AS target_key, ${scopeSql} AS scope, r."healthScoreAfter" AS score,
             (r."healthByDomain"->'web'->>'after')::float AS web,
             (r."healthByDomain"->'database'->>'after')::float AS database,
             (r."healthByDomain"->'network'->>'after')::float AS network
      FROM troubleshooter."TroubleshootingRun" r
      WHERE r.status = 'completed' AND r."startedAt" >= ${since} AND r."healthScoreAfter" IS NOT NULL ${runOnTarget}
      ORDER BY r."startedAt" DESC LIMIT ${MAX_SCORE_POINTS}`,
    // Issues, resolution times and phases read the per-day rollup of ended runs (rollup.ts).
    prisma.$queryRaw<{ day: Date; severity: string; n: number }[]>`
      SELECT day, key AS severity, sum(count)::int AS n FROM troubleshooter."HistoryDaily" WHERE kind = 'severity' AND day >= ${sinceDay}::date ${dayOn('"HistoryDaily"')} GROUP BY 1, 2 ORDER BY day`,
    prisma.$queryRaw<{ day: Date; minutes: number; waiting: number }[]>`
      SELECT r.day, sum(r.sum) / sum(r.count) AS minutes, coalesce(sum(w.sum), 0) / sum(r.count) AS waiting
      FROM troubleshooter."HistoryDaily" r
      LEFT JOIN troubleshooter."HistoryDaily" w ON w."targetKey" = r."targetKey" AND w.day = r.day AND w.kind = 'resolution_wait' AND w.key = ''
      WHERE r.kind = 'resolution' AND r.day >= ${sinceDay}::date AND r.count > 0 ${dayOn("r")} GROUP BY r.day ORDER BY r.day`,
    prisma.$queryRaw<{ phase: string; avg_ms: number; max_ms: number; wait_ms: number }[]>`
      SELECT p.key AS phase, sum(p.sum) / sum(p.count) AS avg_ms, max(p.max) AS max_ms, coalesce(sum(w.sum), 0) / sum(p.count) AS wait_ms
      FROM troubleshooter."HistoryDaily" p
      LEFT JOIN troubleshooter."HistoryDaily" w ON w."targetKey" = p."targetKey" AND w.day = p.day AND w.kind = 'phase_wait' AND w.key = p.key
      WHERE p.kind = 'phase' AND p.day >= ${sinceDay}::date ${dayOn("p")} GROUP BY p.key`,
    // Per issue (same target, check and subject: lib/issues), from the rollup's "group" rows: the
    // runs of one day that saw it, summed over the range, so one finding in one run never recurs.
    prisma.$queryRaw<{ code: string; subject: string; target_key: string; issues: bigint; runs: bigint }[]>`
      SELECT g.code, g.subject, g."targetKey" AS target_key, sum(h.count) AS issues, sum(h.runs) AS runs
      FROM troubleshooter."HistoryDaily" h JOIN troubleshooter."IssueGroup" g ON g.id = h.key
      WHERE h.kind = 'group' AND h.day >= ${sinceDay}::date ${dayOn("h")}
      GROUP BY 1, 2, 3 HAVING sum(h.runs) >= 2
      ORDER BY runs DESC, issues DESC, 1, 2 LIMIT 10`,
    // Runs that saw another build id than the latest earlier run on their target that saw one
    // (set when the run recorded its build id: deploys/record.ts), through (afterDeploy, startedAt).
    prisma.$queryRaw<{ id: string; at: Date; target_key: string; build_id: string; previous: string; deployment_id: string | null; commit_sha: string | null; commit_message: string | null }[]>`
      SELECT r.id, r."startedAt" AS at, r."targetKey" AS target_key, r."buildId" AS build_id, r."previousBuildId" AS previous,
             r."deploymentId" AS deployment_id, r."commitSha" AS commit_sha, r."commitMessage" AS commit_message
      FROM troubleshooter."TroubleshootingRun" r
      WHERE r."afterDeploy" AND r."startedAt" >= ${since} ${runOnTarget}
      ORDER BY r."startedAt" DESC LIMIT ${MAX_SCORE_POINTS}`,
    // How many ended runs of the range showed a build id, from the rollup (rollup.ts "build_id").
    prisma.$queryRaw<{ runs: bigint | null; with_build_id: bigint | null }[]>`
      SELECT sum(count) AS runs, sum(runs) AS with_build_id FROM troubleshooter."HistoryDaily" h WHERE h.kind = 'build_id' AND h.day >= ${sinceDay}::date ${dayOn("h")}`,
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
    scores: scores.reverse().map((r) => {
      const scope = r.scope.split(",").filter((d): d is Domain => (DOMAINS as readonly string[]).includes(d));
      const inScope = (d: Domain, v: unknown) => (scope.includes(d) ? num(v) : null);
      return {
        runId: r.id, at: r.at.toISOString(), targetKey: r.target_key, target: targetLabel(r.target_key), scope, scopeLabel: scopeLabel(scope), series: `${r.target_key}#${r.scope}`,
        score: num(r.score), web: inScope("web", r.web), database: inScope("database", r.database), network: inScope("network", r.network), buildId: r.build_id,
      };
    }),
    issuesPerDay: [...days.values()],
    resolutionMinutes: resolution.map((r) => {
      const minutes = num(r.minutes) ?? 0;
      const waitingMinutes = Math.min(minutes, num(r.waiting) ?? 0);
      return { day: r.day.toISOString().slice(0, 10), minutes, workingMinutes: num(minutes - waitingMinutes) ?? 0, waitingMinutes };
    }),
    phases: phases
      .map((r) => {
        const avgMs = Math.round(Number(r.avg_ms));
        const waitingMs = Math.min(avgMs, Math.round(Number(r.wait_ms)));
        return { phase: r.phase, avgMs, maxMs: Math.round(Number(r.max_ms)), workingMs: avgMs - waitingMs, waitingMs };
      })
      .sort((a, b) => PHASES.indexOf(a.phase as Phase) - PHASES.indexOf(b.phase as Phase)),
    topCodes: topCodes.map((r) => ({ code: r.code, subject: r.subject, targetKey: r.target_key, target: targetLabel(r.target_key), issues: Number(r.issues), runs: Number(r.runs) })),
    deploys: deploys.reverse().map((r) => ({
      runId: r.id, at: r.at.toISOString(), targetKey: r.target_key, target: targetLabel(r.target_key), buildId: r.build_id, previousBuildId: r.previous,
      deploymentId: r.deployment_id, commitSha: r.commit_sha, commitMessage: r.commit_message,
    })),
    buildIdsSeen: { runs: Number(seen[0]?.runs ?? 0), withBuildId: Number(seen[0]?.with_build_id ?? 0) },
  };
}
