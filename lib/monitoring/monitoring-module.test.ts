import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { type PrismaClient, createPrismaClient } from "../db";
import { exportMonitoringData, getComprehensiveStatus, monitorOperation } from "./";
import { metricsText } from "./metrics";

let prisma: PrismaClient;
beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(() => prisma.$disconnect());

describe("the monitoring module", () => {
  it("monitorOperation times and counts operations, tracks a failure with its category and re-throws it", async () => {
    const op = { botName: "web-diagnostic", botType: "diagnostic", operation: "probe_home" };
    await expect(monitorOperation(op, async () => 42, prisma)).resolves.toBe(42);
    const failure = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    await expect(monitorOperation(op, () => Promise.reject(failure), prisma)).rejects.toBe(failure);

    const samples = await prisma.metricSample.findMany({ where: { name: "operation_ms" }, orderBy: { id: "asc" } });
    expect(samples.map((s) => (s.labels as { outcome: string }).outcome)).toEqual(["ok", "error"]);
    expect(samples.every((s) => s.value >= 0)).toBe(true);
    expect(await prisma.trackedError.findMany({ select: { source: true, code: true, category: true, botName: true } })).toEqual([
      { source: "operation", code: "web-diagnostic.probe_home", category: "connection", botName: "web-diagnostic" },
    ]);
    const families = parsePrometheusTextFormat((await metricsText(prisma)).text);
    const operations = families.find((f) => f.name === "troubleshooter_operations_total")?.metrics ?? [];
    expect(operations.map((m) => [m.labels?.outcome, Number(m.value)]).sort()).toEqual([["error", 1], ["ok", 1]]);
    const errors = families.find((f) => f.name === "troubleshooter_errors_total")?.metrics ?? [];
    expect(errors.map((m) => [m.labels?.category, m.labels?.source, Number(m.value)])).toEqual([["connection", "operation", 1]]);
  });

  it("getComprehensiveStatus is unknown before any run, and follows the latest run's scores", async () => {
    const empty = await getComprehensiveStatus({ prisma, llmConfigured: false });
    expect(empty).toMatchObject({ score: null, components: { web: { status: "unknown" }, addon: { status: expect.stringMatching(/healthy|degraded/) } } });
    expect(empty.status).not.toBe("healthy");
    // What cannot be judged says so: no webhook configured, no run in the last day.
    expect(empty.components).toMatchObject({ alerts: { status: "unknown" }, llm: { status: "unknown" } });

    await prisma.troubleshootingRun.create({
      data: {
        trigger: "api", status: "completed", target: {}, targetKey: "k", healthScoreAfter: 45, finishedAt: new Date(),
        healthByDomain: { web: { before: 60, after: 30 }, database: { before: 100, after: 100 }, network: { before: 90, after: 95 } },
      },
    });
    const status = await getComprehensiveStatus({ prisma, llmConfigured: false });
    expect(status.score).toBe(45);
    expect(status.status).toBe("critical");
    expect(status.components).toMatchObject({
      web: { status: "critical", score: 30 },
      database: { status: "healthy", score: 100 },
      network: { status: "healthy", score: 95 },
      runs: { status: "healthy" },
      errors: { status: "degraded", detail: "1 error(s) tracked in the last 24 hours" },
    });
  });

  it("exportMonitoringData writes a JSON file of the period's metrics and errors and returns its path", async () => {
    const dir = path.join(os.tmpdir(), `troubleshooter-export-${process.pid}`);
    try {
      const file = await exportMonitoringData({ dir, prisma });
      expect(path.dirname(file)).toBe(dir);
      const data = JSON.parse(await readFile(file, "utf8")) as { errors: { code: string }[]; metrics: unknown[] };
      expect(data.errors.map((e) => e.code)).toEqual(["web-diagnostic.probe_home"]);
      expect(data.metrics.length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
