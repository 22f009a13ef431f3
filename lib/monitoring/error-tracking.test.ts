import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine, testTarget } from "../../fixtures/test/engine";
import type { Check } from "../troubleshooting/catalogue";
import { createRun, executeRun } from "../troubleshooting/runs/run-service";
import { errorReport, readablePattern } from "./error-report";
import { categorizeError, trackRunErrors } from "./errors";
import { botPerformance, checkPerformance } from "./performance";

function check(code: string, run: Check["run"]): Check {
  return { code, domain: "database", title: code, description: code, run };
}

describe("error tracking", () => {
  it.each([
    ["timed out after 300 ms", "timeout"],
    ["connect ECONNREFUSED 127.0.0.1:9", "connection"],
    ["skipped by the circuit breaker: this dependency failed repeatedly", "connection"],
    ['password authentication failed for user "app"', "auth"],
    ["HTTP 403 from the deploy hook", "auth"],
    ["the model's answer did not match the expected schema", "validation"],
    ["the model call failed (HTTP 429)", "target"],
    ["certificate has expired", "target"],
    ["the check crashed (TypeError)", "internal"],
  ])("files %j under %s", (message, category) => {
    expect(categorizeError(message)).toBe(category);
  });

  it("reads masked patterns as a person would", () => {
    expect(readablePattern("duplicate key (#, #, #, #, #)")).toBe("duplicate key (‹5 numbers›)");
    expect(readablePattern("run … and …, … gone after # ms")).toBe("run ‹id› and ‹2 ids› gone after # ms");
  });

  it("records a run's check errors once, with categories, patterns, advice and per-check success rates", async () => {
    const databaseUrl = await createTestDatabase();
    const checks = [
      check("db.fake_refused", async () => ({ status: "error", reason: "connect ECONNREFUSED 127.0.0.1:9" })),
      check("db.fake_crash", async () => {
        throw new TypeError("cannot read properties of undefined");
      }),
      check("db.fake_slow", (ctx) => new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve({ status: "passed" })))),
      check("db.fake_fine", async () => ({ status: "passed" })),
    ];
    const engine = await createTestEngine(databaseUrl, {
      checks,
      settings: { checkTimeoutMs: 300, diagnosticTimeoutMs: 10_000, fixTimeoutMs: 5_000, breakerThreshold: 50, thresholdOverrides: {} },
    });
    const prisma = engine.deps.prisma;
    try {
      const since = new Date(Date.now() - 60_000);
      for (let i = 0; i < 2; i++) {
        const { runId, config } = await createRun(engine, { trigger: "api", domains: ["database"] }, testTarget("http://127.0.0.1:9", databaseUrl));
        await executeRun(engine, runId, config);
        await trackRunErrors(prisma, runId); // already tracked when the run ended: adds nothing
      }
      const rows = await prisma.trackedError.findMany({ orderBy: { id: "asc" }, select: { source: true, code: true, category: true, botName: true, message: true } });
      expect(rows).toHaveLength(6);
      expect(rows.slice(0, 3)).toEqual(
        expect.arrayContaining([
          { source: "check", code: "db.fake_refused", category: "connection", botName: "database-diagnostic", message: "connect ECONNREFUSED 127.0.0.1:9" },
          { source: "check", code: "db.fake_crash", category: "internal", botName: "database-diagnostic", message: "the check crashed (TypeError)" },
          { source: "check", code: "db.fake_slow", category: "timeout", botName: "database-diagnostic", message: "timed out after 300 ms" },
        ]),
      );

      const report = await errorReport(prisma, since);
      expect(report.total).toBe(6);
      expect(report.byCategory).toEqual({ timeout: 2, connection: 2, auth: 0, validation: 0, target: 0, internal: 2 });
      expect(report.perDay).toEqual([{ day: new Date().toISOString().slice(0, 10), timeout: 2, connection: 2, auth: 0, validation: 0, target: 0, internal: 2 }]);
      const refused = report.patterns.find((p) => p.code === "db.fake_refused");
      expect(refused).toMatchObject({ count: 2, runs: 2, category: "connection", pattern: "connect ECONNREFUSED #.#.#.#:#" });
      expect(refused).toMatchObject({ readable: "connect ECONNREFUSED ‹IP address›:#", examples: ["connect ECONNREFUSED 127.0.0.1:9"] });
      expect(refused?.recommendation).toMatch(/^db\.fake_refused \(check\) failed this way in 2 runs\. This server cannot reach the target/);

      const performance = await checkPerformance(prisma, since);
      expect(performance.find((c) => c.code === "db.fake_fine")).toMatchObject({ runs: 2, passed: 2, errors: 0, successRate: 1 });
      expect(performance.find((c) => c.code === "db.fake_slow")).toMatchObject({ runs: 2, errors: 2, successRate: 0 });
      expect(performance.find((c) => c.code === "db.fake_slow")?.p50Ms).toBeGreaterThanOrEqual(300);
      const bots = await botPerformance(prisma, since);
      expect(bots.find((b) => b.bot === "database-diagnostic")).toMatchObject({ runs: 2, degraded: 0, successRate: 1 });
    } finally {
      await closeEngine(engine);
    }
  });
});
