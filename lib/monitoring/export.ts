// Monitoring export (GET /api/admin/bots/monitoring/export): per-day run, issue, check and fix
// figures plus the tracked errors of a time range, as JSON or CSV carrying the same records.
//
// The range is [from, to). Runs belong to it by their start; a run's issues, check outcomes and
// fix actions count on the UTC day the run started (as in the history rollup), so one run's
// figures never straddle two days. Errors belong to it by their own time.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { PrismaClient } from "../db";

const DAY_MS = 86_400_000;
export const EXPORT_DEFAULT_DAYS = 30;
const EXPORT_MAX_DAYS = 366;

/** An ISO date or date-time with a zone. Empty means absent (a form's blank field); a space is a
 * `+` that an unencoded query string turned into one (`?from=2026-03-10T02:00:00+02:00`). */
const instant = z.preprocess(
  (value) => (value === "" ? undefined : typeof value === "string" ? value.replaceAll(" ", "+") : value),
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "must be an ISO 8601 date or date-time (with Z or an offset)" })
    .transform((value) => new Date(value))
    .optional(),
);

/** `?from=ISO&to=ISO&format=json|csv`: `to` defaults to now, `from` to 30 days before `to`. */
export const exportQuerySchema = z
  .object({
    from: instant,
    to: instant,
    format: z.enum(["json", "csv"], { error: "must be json or csv" }).default("json"),
  })
  .transform(({ from, to, format }) => {
    const end = to ?? new Date();
    return { from: from ?? new Date(end.getTime() - EXPORT_DEFAULT_DAYS * DAY_MS), to: end, format };
  })
  .superRefine(({ from, to }, ctx) => {
    if (from.getTime() >= to.getTime()) ctx.addIssue({ code: "custom", path: ["from"], message: "must be before to" });
    else if (to.getTime() - from.getTime() > EXPORT_MAX_DAYS * DAY_MS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `must be at most ${EXPORT_MAX_DAYS} days after from` });
    }
  });
export type ExportQuery = z.output<typeof exportQuerySchema>;
export type ExportRange = Pick<ExportQuery, "from" | "to">;

const EXPORT_METRICS = [
  "runs", // labels: status
  "run_duration_count", // ended runs with a duration
  "run_duration_avg_ms",
  "run_duration_p95_ms", // continuous percentile (linear interpolation)
  "issues", // labels: severity
  "check_outcomes", // labels: code, status (passed | issues | skipped | error)
  "fix_actions", // labels: code, status
] as const;
type ExportMetric = (typeof EXPORT_METRICS)[number];

export interface MetricRecord {
  /** UTC day, YYYY-MM-DD */
  day: string;
  metric: ExportMetric;
  labels: Record<string, string>;
  value: number;
}

export interface ErrorRecord {
  at: string;
  category: string;
  source: string;
  code: string;
  botName: string | null;
  message: string;
  runId: string | null;
}

export interface MonitoringExport {
  from: string;
  to: string;
  generatedAt: string;
  metrics: MetricRecord[];
  errors: ErrorRecord[];
}

export async function exportMonitoringData(prisma: PrismaClient, range: ExportRange, now = new Date()): Promise<MonitoringExport> {
  const { from, to } = range;
  const [metrics, errors] = await Promise.all([
    prisma.$queryRaw<{ day: string; metric: ExportMetric; labels: Record<string, string>; value: number }[]>`
      WITH runs AS (
        SELECT id, status::text AS status, "durationMs", checks, to_char("startedAt", 'YYYY-MM-DD') AS day
        FROM troubleshooter."TroubleshootingRun" WHERE "startedAt" >= ${from} AND "startedAt" < ${to}
      )
      SELECT day, 'runs' AS metric, jsonb_build_object('status', status) AS labels, count(*)::float8 AS value FROM runs GROUP BY day, status
      UNION ALL
      SELECT day, m.metric, '{}'::jsonb, m.value FROM (
        SELECT day, count(*)::float8 AS n, round(avg("durationMs"))::float8 AS avg,
               round(percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs"))::float8 AS p95
        FROM runs WHERE "durationMs" IS NOT NULL GROUP BY day
      ) d, LATERAL (VALUES ('run_duration_count', d.n), ('run_duration_avg_ms', d.avg), ('run_duration_p95_ms', d.p95)) AS m(metric, value)
      UNION ALL
      SELECT r.day, 'issues', jsonb_build_object('severity', i.severity::text), count(*)::float8
      FROM runs r JOIN troubleshooter."Issue" i ON i."runId" = r.id GROUP BY r.day, i.severity
      UNION ALL
      SELECT r.day, 'check_outcomes', jsonb_build_object('code', c->>'code', 'status', c->>'status'), count(*)::float8
      FROM runs r, jsonb_array_elements(CASE WHEN jsonb_typeof(r.checks) = 'array' THEN r.checks ELSE '[]'::jsonb END) c
      WHERE c->>'code' IS NOT NULL AND c->>'status' IS NOT NULL GROUP BY r.day, c->>'code', c->>'status'
      UNION ALL
      SELECT r.day, 'fix_actions', jsonb_build_object('code', f.code, 'status', f.status::text), count(*)::float8
      FROM runs r JOIN troubleshooter."FixAction" f ON f."runId" = r.id GROUP BY r.day, f.code, f.status`,
    prisma.trackedError.findMany({
      where: { at: { gte: from, lt: to } },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { at: true, category: true, source: true, code: true, botName: true, message: true, runId: true },
    }),
  ]);
  const sortKey = (m: MetricRecord) => `${m.day}\u0000${EXPORT_METRICS.indexOf(m.metric).toString().padStart(2, "0")}\u0000${formatLabels(m.labels)}`;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: now.toISOString(),
    metrics: metrics
      .map((m) => ({ day: m.day, metric: m.metric, labels: m.labels, value: Number(m.value) }))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0)),
    errors: errors.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

export const CSV_COLUMNS = ["kind", "day_or_at", "name", "labels", "value", "message"] as const;
type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

/** One row per record: metrics (name = metric, labels = k=v;k=v) and errors (name = code, labels
 * = category, source and, when set, botName and runId; message = the error's message). */
function exportCsvRows(data: MonitoringExport): CsvRow[] {
  return [
    ...data.metrics.map((m) => ({ kind: "metric", day_or_at: m.day, name: m.metric, labels: formatLabels(m.labels), value: String(m.value), message: "" })),
    ...data.errors.map((e) => {
      const labels: Record<string, string> = { category: e.category, source: e.source };
      if (e.botName !== null) labels.botName = e.botName;
      if (e.runId !== null) labels.runId = e.runId;
      return { kind: "error", day_or_at: e.at, name: e.code, labels: formatLabels(labels), value: "", message: e.message };
    }),
  ];
}

export function monitoringExportCsv(data: MonitoringExport): string {
  return stringify(exportCsvRows(data), { header: true, columns: [...CSV_COLUMNS] });
}

/** Labels as `k=v;k=v`, keys sorted; `%`, `;` and `=` in values are percent-encoded. */
function formatLabels(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${String(labels[key]).replace(/[%;=]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`)
    .join(";");
}

export function parseLabels(text: string): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(
    text.split(";").map((pair) => {
      const at = pair.indexOf("=");
      return [pair.slice(0, at), decodeURIComponent(pair.slice(at + 1))];
    }),
  );
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}

/** The export as a downloadable file, in the query's format. */
export async function monitoringExportFile(prisma: PrismaClient, query: ExportQuery): Promise<ExportFile> {
  const data = await exportMonitoringData(prisma, query);
  const filename = `troubleshooter-monitoring-${fileStamp(query.from)}-${fileStamp(query.to)}.${query.format}`;
  return query.format === "csv"
    ? { filename, contentType: "text/csv; charset=utf-8", body: monitoringExportCsv(data) }
    : { filename, contentType: "application/json; charset=utf-8", body: JSON.stringify(data) };
}

/** 2026-05-01 at midnight UTC, else 2026-05-01T083000Z (no colons: not allowed in file names everywhere). */
function fileStamp(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : `${iso.slice(0, 19).replaceAll(":", "")}Z`;
}
