// Per-check history of one target over a range, from CheckSample (deploys/check-samples.ts):
// - each endpoint and page: availability (ok of n) and time-to-first-byte percentiles, over the
//   range and per day, each percentile only from enough samples (PERCENTILE_MIN_SAMPLES);
// - each check: how many runs it passed, failed (found issues), was skipped or errored, per day.
// Every query walks the (targetKey, code, subject, at) index: the subjects and codes are found by a
// loose index scan (a recursive CTE that jumps from one (code, subject) to the next), then each one's
// samples of the range are a range scan on `at`. Nothing reads the whole table (1,000,000+ rows).
import { z } from "zod";
import type { PrismaClient } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import { type HistoryRange, historyRangeSchema, rangeStart } from "./history";
import { PROBE_CODES } from "../deploys/check-samples";

export const checkHistoryQuerySchema = z.object({ target: z.string().trim().min(1).max(100).optional(), range: historyRangeSchema });

/** The fewest latency samples a percentile is shown from: below, it says "n too small". A p95 of 7
 * samples is the second slowest of them; a p99 of 20 is the slowest one. */
export const PERCENTILE_MIN_SAMPLES = { p50: 5, p95: 20, p99: 100 } as const;
export type PercentileName = keyof typeof PERCENTILE_MIN_SAMPLES;

/** A percentile (ms) with the samples it is from; `ms` null when `n` < `min`. */
export interface Percentile {
  ms: number | null;
  n: number;
  min: number;
}

/** The honest rule: a percentile from fewer than its minimum samples is not shown. */
export function honestPercentile(name: PercentileName, value: number | null, n: number): Percentile {
  const min = PERCENTILE_MIN_SAMPLES[name];
  return { ms: n >= min && value !== null ? Math.round(value) : null, n, min };
}

/** Requests that got an answer (ok) of those made (n). */
export interface Availability {
  ok: number;
  n: number;
}

export interface ProbeDay {
  day: string;
  availability: Availability;
  p50: Percentile;
}

export interface ProbeHistory {
  kind: "endpoint" | "page";
  url: string;
  availability: Availability;
  /** Timed answers (what the percentiles are from): answered, passed, and not touched by a stall of the prober. */
  latencyN: number;
  p50: Percentile;
  p95: Percentile;
  p99: Percentile;
  days: ProbeDay[];
}

export interface CheckDay {
  day: string;
  passed: number;
  failed: number;
  skipped: number;
  error: number;
}

export interface CheckOutcomes {
  code: string;
  totals: Omit<CheckDay, "day">;
  days: CheckDay[];
}

export interface CheckHistory {
  range: HistoryRange;
  /** What each entry of `days` spans: a day, or over 90 days a week (from its Monday, UTC), so
   * the page lists 13 bars per check, not 90. */
  bucket: "day" | "week";
  probes: ProbeHistory[];
  checks: CheckOutcomes[];
}

/** The most endpoints and pages, and checks, one page lists. */
export const MAX_SUBJECTS = 200;

type SubjectRow = { code: string; subject: string; n: number; ok: number; latency_n: number; p50: number | null; p95: number | null; p99: number | null };
type ProbeDayRow = { code: string; subject: string; day: Date; n: number; ok: number; latency_n: number; p50: number | null };
type CheckDayRow = { code: string; day: Date; outcome: string; n: number };

/** The (code, subject) pairs of `codes` the target has samples of: a loose index scan. */
const subjectsCte = (targetKey: string, codes: Prisma.Sql) => Prisma.sql`
  WITH RECURSIVE subjects AS (
    (SELECT code, subject FROM troubleshooter."CheckSample" WHERE "targetKey" = ${targetKey} AND ${codes} ORDER BY code, subject LIMIT 1)
    UNION ALL
    SELECT n.code, n.subject FROM subjects s CROSS JOIN LATERAL (
      SELECT c.code, c.subject FROM troubleshooter."CheckSample" c
      WHERE c."targetKey" = ${targetKey} AND (c.code, c.subject) > (s.code, s.subject) AND ${codes}
      ORDER BY c.code, c.subject LIMIT 1) n
  )`;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One target's per-check history over `range` (targetKey: TroubleshootingRun.targetKey). */
export async function checkHistory(prisma: PrismaClient, range: HistoryRange, targetKey: string): Promise<CheckHistory> {
  const since = rangeStart(range);
  const bucket = range === "90d" ? "week" : "day";
  const period = Prisma.sql`date_trunc(${bucket}, c.at)::date`;
  const probeCodes = Prisma.sql`code IN (${PROBE_CODES.endpoint}, ${PROBE_CODES.page})`;
  const checkCodes = Prisma.sql`code NOT LIKE 'probe.%' AND subject = ''`;
  const [subjects, probeDays, checkDays] = await Promise.all([
    prisma.$queryRaw<SubjectRow[]>`${subjectsCte(targetKey, probeCodes)}
      SELECT s.code, s.subject, a.n, a.ok, a.latency_n, a.p50, a.p95, a.p99 FROM subjects s CROSS JOIN LATERAL (
        SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome = 'passed')::int AS ok,
               count(c."latencyMs") FILTER (WHERE outcome = 'passed')::int AS latency_n,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE outcome = 'passed') AS p50,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE outcome = 'passed') AS p95,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE outcome = 'passed') AS p99
        FROM troubleshooter."CheckSample" c
        WHERE c."targetKey" = ${targetKey} AND c.code = s.code AND c.subject = s.subject AND c.at >= ${since}) a
      WHERE a.n > 0 ORDER BY s.code, s.subject LIMIT ${MAX_SUBJECTS}`,
    prisma.$queryRaw<ProbeDayRow[]>`${subjectsCte(targetKey, probeCodes)}
      SELECT s.code, s.subject, d.day, d.n, d.ok, d.latency_n, d.p50 FROM subjects s CROSS JOIN LATERAL (
        SELECT ${period} AS day, count(*)::int AS n, count(*) FILTER (WHERE outcome = 'passed')::int AS ok,
               count(c."latencyMs") FILTER (WHERE outcome = 'passed')::int AS latency_n,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE outcome = 'passed') AS p50
        FROM troubleshooter."CheckSample" c
        WHERE c."targetKey" = ${targetKey} AND c.code = s.code AND c.subject = s.subject AND c.at >= ${since}
        GROUP BY 1) d
      ORDER BY s.code, s.subject, d.day`,
    prisma.$queryRaw<CheckDayRow[]>`${subjectsCte(targetKey, checkCodes)}
      SELECT s.code, d.day, d.outcome, d.n FROM subjects s CROSS JOIN LATERAL (
        SELECT ${period} AS day, c.outcome, count(*)::int AS n
        FROM troubleshooter."CheckSample" c
        WHERE c."targetKey" = ${targetKey} AND c.code = s.code AND c.subject = '' AND c.at >= ${since}
        GROUP BY 1, 2) d
      ORDER BY s.code, d.day`,
  ]);
  const daysOf = new Map<string, ProbeDay[]>();
  for (const r of probeDays) {
    const key = `${r.code} ${r.subject}`;
    const list = daysOf.get(key) ?? [];
    list.push({ day: day(r.day), availability: { ok: r.ok, n: r.n }, p50: honestPercentile("p50", r.p50, r.latency_n) });
    daysOf.set(key, list);
  }
  const checks = new Map<string, CheckOutcomes>();
  for (const r of checkDays) {
    const entry = checks.get(r.code) ?? { code: r.code, totals: { passed: 0, failed: 0, skipped: 0, error: 0 }, days: [] };
    const outcome = r.outcome as keyof CheckOutcomes["totals"];
    if (!(outcome in entry.totals)) continue;
    let d = entry.days.at(-1);
    if (!d || d.day !== day(r.day)) entry.days.push((d = { day: day(r.day), passed: 0, failed: 0, skipped: 0, error: 0 }));
    d[outcome] += r.n;
    entry.totals[outcome] += r.n;
    checks.set(r.code, entry);
  }
  return {
    range,
    bucket,
    probes: subjects.map((r) => ({
      kind: r.code === PROBE_CODES.page ? "page" : "endpoint",
      url: r.subject,
      availability: { ok: r.ok, n: r.n },
      latencyN: r.latency_n,
      p50: honestPercentile("p50", r.p50, r.latency_n),
      p95: honestPercentile("p95", r.p95, r.latency_n),
      p99: honestPercentile("p99", r.p99, r.latency_n),
      days: daysOf.get(`${r.code} ${r.subject}`) ?? [],
    })),
    checks: [...checks.values()].slice(0, MAX_SUBJECTS),
  };
}
