import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { createTestDatabase } from "../../fixtures/test/databases";
import { toErrorResponse } from "../api/errors";
import { readQuery } from "../api/request";
import { createPrismaClient, type PrismaClient } from "../db";
import type { CheckStatus, RunStatus } from "../troubleshooting/report";
import {
  CSV_COLUMNS,
  type ErrorRecord,
  type MetricRecord,
  type MonitoringExport,
  exportMonitoringData,
  exportQuerySchema,
  monitoringExportCsv,
  monitoringExportFile,
  parseLabels,
} from "./export";

const FROM = new Date("2026-03-10T00:00:00Z");
const TO = new Date("2026-03-12T00:00:00Z");
const TRICKY = 'connect "upstream" failed, then timed out; retry=2 at 100%\nsecond line';

async function seed(prisma: PrismaClient) {
  const check = (code: string, status: CheckStatus) => ({ code, domain: code.startsWith("web") ? "web" : "database", status, durationMs: 5 });
  const run = async (startedAt: string, status: RunStatus, durationMs: number | null, checks: unknown) => {
    const { id } = await prisma.troubleshootingRun.create({
      data: { trigger: "api", status, target: {}, targetKey: `k-${Math.random()}`, startedAt: new Date(startedAt), durationMs, checks: checks as object },
    });
    return id;
  };
  const issue = (runId: string, severity: "critical" | "high" | "low") =>
    prisma.issue.create({ data: { runId, code: "web.slow_ttfb", domain: "web", severity, title: "t", description: "d", evidence: {}, detectedBy: "test" } });
  const action = (runId: string, code: string, status: "applied" | "failed") => prisma.fixAction.create({ data: { runId, code, risk: "safe", status } });

  // day 1
  const r1 = await run("2026-03-10T00:00:00Z", "completed", 1000, [check("web.slow_ttfb", "issues"), check("db.long_running_query", "error")]);
  const r2 = await run("2026-03-10T09:00:00Z", "completed", 2000, [check("web.slow_ttfb", "passed"), check("db.long_running_query", "error")]);
  const r3 = await run("2026-03-10T10:00:00Z", "failed", 3000, [{ ...check("db.long_running_query", "error"), reason: "timeout" }]);
  await run("2026-03-10T11:00:00Z", "cancelled", 4000, []);
  await run("2026-03-10T23:59:59Z", "running", null, undefined);
  // day 2
  const r6 = await run("2026-03-11T12:00:00Z", "completed", 500, [check("web.slow_ttfb", "skipped")]);
  await run("2026-03-11T13:00:00Z", "interrupted", null, { not: "an array" });
  // outside the range, on either side
  const before = await run("2026-03-09T23:59:59.999Z", "completed", 9999, [check("db.long_running_query", "error")]);
  const after = await run("2026-03-12T00:00:00Z", "completed", 9999, [check("db.long_running_query", "error")]);

  for (const [runId, severity] of [[r1, "high"], [r1, "high"], [r2, "low"], [r6, "critical"], [before, "critical"], [after, "critical"]] as const) await issue(runId, severity);
  for (const [runId, code, status] of [[r1, "web.revalidate_paths", "applied"], [r2, "web.revalidate_paths", "applied"], [r3, "db.cancel_query", "failed"], [after, "db.cancel_query", "failed"]] as const) {
    await action(runId, code, status);
  }

  const error = (at: string, code: string, message: string, extra: { botName?: string; runId?: string } = {}) =>
    prisma.trackedError.create({ data: { at: new Date(at), category: "timeout", source: "check", code, message, ...extra } });
  await error("2026-03-10T00:00:00Z", "web.slow_ttfb", TRICKY, { botName: "web-bot", runId: r1 });
  await error("2026-03-11T08:30:00Z", "db.long_running_query", "plain");
  await error("2026-03-09T23:59:59Z", "db.outside", "before the range");
  await error("2026-03-12T00:00:00Z", "db.outside", "at `to`: excluded");
  return { r1 };
}

/** The records a CSV file carries, rebuilt in the JSON shape. */
function fromCsv(csv: string): Pick<MonitoringExport, "metrics" | "errors"> {
  const rows = parse(csv, { columns: true }) as Record<(typeof CSV_COLUMNS)[number], string>[];
  const metrics: MetricRecord[] = [];
  const errors: ErrorRecord[] = [];
  for (const row of rows) {
    const labels = parseLabels(row.labels);
    if (row.kind === "metric") metrics.push({ day: row.day_or_at, metric: row.name as MetricRecord["metric"], labels, value: Number(row.value) });
    else {
      expect(row.kind).toBe("error");
      expect(row.value).toBe("");
      errors.push({
        at: row.day_or_at,
        category: labels.category ?? "",
        source: labels.source ?? "",
        code: row.name,
        botName: labels.botName ?? null,
        message: row.message,
        runId: labels.runId ?? null,
      });
    }
  }
  return { metrics, errors };
}

describe("monitoring export", () => {
  it("exports per-day metrics and the range's errors, the same records in JSON and CSV", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const { r1 } = await seed(prisma);
      const data = await exportMonitoringData(prisma, { from: FROM, to: TO }, new Date("2026-03-15T00:00:00Z"));
      const json = JSON.parse(JSON.stringify(data)) as MonitoringExport;
      expect(json).toMatchObject({ from: "2026-03-10T00:00:00.000Z", to: "2026-03-12T00:00:00.000Z", generatedAt: "2026-03-15T00:00:00.000Z" });

      const m = (day: string, metric: MetricRecord["metric"], labels: Record<string, string>, value: number) => ({ day, metric, labels, value });
      const d1 = "2026-03-10";
      const d2 = "2026-03-11";
      expect(json.metrics).toEqual([
        m(d1, "runs", { status: "cancelled" }, 1),
        m(d1, "runs", { status: "completed" }, 2),
        m(d1, "runs", { status: "failed" }, 1),
        m(d1, "runs", { status: "running" }, 1),
        m(d1, "run_duration_count", {}, 4),
        m(d1, "run_duration_avg_ms", {}, 2500),
        m(d1, "run_duration_p95_ms", {}, 3850), // 3000 + 0.85 * (4000 - 3000)
        m(d1, "issues", { severity: "high" }, 2),
        m(d1, "issues", { severity: "low" }, 1),
        m(d1, "check_outcomes", { code: "db.long_running_query", status: "error" }, 3),
        m(d1, "check_outcomes", { code: "web.slow_ttfb", status: "issues" }, 1),
        m(d1, "check_outcomes", { code: "web.slow_ttfb", status: "passed" }, 1),
        m(d1, "fix_actions", { code: "db.cancel_query", status: "failed" }, 1),
        m(d1, "fix_actions", { code: "web.revalidate_paths", status: "applied" }, 2),
        m(d2, "runs", { status: "completed" }, 1),
        m(d2, "runs", { status: "interrupted" }, 1),
        m(d2, "run_duration_count", {}, 1),
        m(d2, "run_duration_avg_ms", {}, 500),
        m(d2, "run_duration_p95_ms", {}, 500),
        m(d2, "issues", { severity: "critical" }, 1),
        m(d2, "check_outcomes", { code: "web.slow_ttfb", status: "skipped" }, 1),
      ]);
      expect(json.errors).toEqual([
        { at: "2026-03-10T00:00:00.000Z", category: "timeout", source: "check", code: "web.slow_ttfb", botName: "web-bot", message: TRICKY, runId: r1 },
        { at: "2026-03-11T08:30:00.000Z", category: "timeout", source: "check", code: "db.long_running_query", botName: null, message: "plain", runId: null },
      ]);

      const csv = monitoringExportCsv(data);
      expect(csv.split("\n")[0]).toBe("kind,day_or_at,name,labels,value,message");
      expect(csv).toContain("metric,2026-03-10,check_outcomes,code=db.long_running_query;status=error,3,\n");
      expect(fromCsv(csv)).toEqual({ metrics: json.metrics, errors: json.errors });

      const file = await monitoringExportFile(prisma, { from: FROM, to: new Date("2026-03-12T06:30:00Z"), format: "csv" });
      expect(file.filename).toBe("troubleshooter-monitoring-2026-03-10-2026-03-12T063000Z.csv");
      expect(file.contentType).toBe("text/csv; charset=utf-8");
      expect(fromCsv(file.body).errors.map((e) => e.code)).toEqual(["web.slow_ttfb", "db.long_running_query", "db.outside"]);
      const asJson = await monitoringExportFile(prisma, { from: FROM, to: TO, format: "json" });
      expect(asJson.filename).toBe("troubleshooter-monitoring-2026-03-10-2026-03-12.json");
      expect((JSON.parse(asJson.body) as MonitoringExport).metrics).toEqual(json.metrics);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("exports an empty range as a header-only CSV", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const data = await exportMonitoringData(prisma, { from: FROM, to: TO });
      expect(data.metrics).toEqual([]);
      expect(data.errors).toEqual([]);
      expect(monitoringExportCsv(data)).toBe("kind,day_or_at,name,labels,value,message\n");
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe("export query schema", () => {
  const fieldsOf = (query: Record<string, string>) => {
    const result = exportQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(ZodError);
    return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
  };

  it("defaults to the 30 days before now, as JSON", () => {
    const before = Date.now();
    const query = exportQuerySchema.parse({});
    expect(query.format).toBe("json");
    expect(query.to.getTime()).toBeGreaterThanOrEqual(before);
    expect(query.to.getTime() - query.from.getTime()).toBe(30 * 86_400_000);
    expect(exportQuerySchema.parse({ to: "2026-03-12" })).toEqual({ from: new Date("2026-02-10T00:00:00Z"), to: TO, format: "json" });
    expect(exportQuerySchema.parse({ from: "2026-03-10T02:00:00+02:00", to: "2026-03-12T00:00:00Z", format: "csv" })).toEqual({ from: FROM, to: TO, format: "csv" });
    expect(exportQuerySchema.parse({ from: "2026-03-10T02:00:00 02:00", to: "2026-03-12T00:00:00.000Z" })).toMatchObject({ from: FROM, to: TO });
    expect(exportQuerySchema.parse({ from: "", to: "2026-03-12" }).from).toEqual(new Date("2026-02-10T00:00:00Z")); // a blank field
  });

  it("names the field at fault", () => {
    expect(fieldsOf({ from: "2026-03-12", to: "2026-03-10" })).toEqual({ from: "must be before to" });
    expect(fieldsOf({ from: "2026-03-10", to: "2026-03-10" })).toEqual({ from: "must be before to" });
    expect(fieldsOf({ from: "2025-01-01", to: "2026-03-10" })).toEqual({ to: "must be at most 366 days after from" });
    expect(exportQuerySchema.parse({ from: "2025-03-09", to: "2026-03-10" }).from).toEqual(new Date("2025-03-09")); // 366 days
    expect(fieldsOf({ format: "xml" })).toEqual({ format: "must be json or csv" });
    expect(fieldsOf({ from: "yesterday" })).toEqual({ from: "must be an ISO 8601 date or date-time (with Z or an offset)" });
    expect(Object.keys(fieldsOf({ to: "2026-03-10T00:00:00" }))).toEqual(["to"]); // no zone: ambiguous
  });

  it("becomes a 422 naming the field when read from a request", async () => {
    let response: Response | undefined;
    try {
      readQuery(new Request("http://localhost/api/admin/bots/monitoring/export?from=2026-03-12&to=2026-03-10&format=csv"), exportQuerySchema);
    } catch (err) {
      response = toErrorResponse(err);
    }
    expect(response?.status).toBe(422);
    expect(await response?.json()).toEqual({ error: { code: "validation_failed", message: "The request is not valid.", fields: { from: ["must be before to"] } } });
  });
});
