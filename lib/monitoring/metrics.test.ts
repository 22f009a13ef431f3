import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import { startTargetServer } from "../../fixtures/test/target-server";
import { createRun, executeRun } from "../troubleshooting/runs/run-service";
import { metricsText } from "./metrics";

type Family = { name: string; metrics: { labels?: Record<string, string>; value?: string; count?: string }[] };

const value = (families: Family[], name: string, labels: Record<string, string> = {}) =>
  Number(families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);

describe("metrics", () => {
  it("parse as Prometheus text, and the counters move after a run", async () => {
    const site = await startTargetServer({ status: 500 });
    const databaseUrl = await createTestDatabase();
    const engine = await createTestEngine(databaseUrl);
    try {
      const before = parsePrometheusTextFormat((await metricsText(engine.deps.prisma)).text);
      expect(value(before, "troubleshooter_runs_total", { status: "completed" })).toBe(0);
      const { runId, config } = await createRun(engine, { trigger: "api", domains: ["web"] }, testTarget(site.url, databaseUrl));
      await executeRun(engine, runId, config);
      const after = parsePrometheusTextFormat((await metricsText(engine.deps.prisma)).text);
      expect(value(after, "troubleshooter_runs_total", { status: "completed", trigger: "api" })).toBe(1);
      expect(value(after, "troubleshooter_issues_total", { code: "web.page_error_status", severity: "critical" })).toBe(1);
      expect(value(after, "troubleshooter_check_outcomes_total", { code: "web.page_error_status", outcome: "issues" })).toBe(1);
      expect(value(after, "troubleshooter_check_outcomes_total", { code: "db.unreachable", outcome: "skipped" })).toBe(1);
      expect(Number(after.find((f) => f.name === "troubleshooter_run_duration_seconds")?.metrics[0]?.count)).toBe(1);
      expect(value(after, "troubleshooter_runs_active")).toBe(0);
      expect(value(after, "troubleshooter_phase_completions_total", { phase: "final_report" })).toBe(1);
      expect(value(after, "troubleshooter_bot_runs_total", { bot: "web-diagnostic" })).toBe(1);
      expect(value(after, "troubleshooter_bot_duration_seconds_total", { bot: "web-diagnostic" })).toBeGreaterThan(0);
    } finally {
      await closeEngine(engine);
      await site.close();
    }
  });
});
