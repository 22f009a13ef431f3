// CheckSample rows from a real run: a web + network run on a loopback site (real requests, real
// timings) ends, and its checks, pages and endpoint samples are in the per-check history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { closeEngine, createTestEngine } from "../../../fixtures/test/engine";
import { type FaultSite, STATUS_ENDPOINT, startFaultSite } from "../../../fixtures/test/fault-site";
import { siteTarget } from "../../../fixtures/test/site-bots";
import type { Engine } from "../workflow/engine";
import { createRun, executeRun } from "../runs/run-service";
import { checkHistory } from "../queries/check-history";
import { PROBE_CODES, recordCheckSamples } from "./check-samples";

let site: FaultSite;
let engine: Engine;

beforeAll(async () => {
  site = await startFaultSite();
  engine = await createTestEngine(await createTestDatabase(), {
    settings: { checkTimeoutMs: 20_000, diagnosticTimeoutMs: 40_000, fixTimeoutMs: 20_000, breakerThreshold: 100, thresholdOverrides: {} },
  });
});
afterAll(async () => {
  await closeEngine(engine);
  await site.close();
});

describe("per-check samples of a run", () => {
  it("stores one per check that ran and one per page request and endpoint sample, with their measured latency, once", async () => {
    const prisma = engine.deps.prisma;
    const { runId, config } = await createRun(engine, { trigger: "api", domains: ["web", "network"], autoApprove: "none" }, siteTarget(site.url, { databaseUrl: "postgresql://nobody:none@127.0.0.1:9/none", endpoints: [`${site.url}${STATUS_ENDPOINT}`] }));
    await executeRun(engine, runId, config);
    const run = await prisma.troubleshootingRun.findUniqueOrThrow({ where: { id: runId }, select: { targetKey: true, checks: true, status: true } });
    const samples = await prisma.checkSample.findMany({ where: { runId } });
    const checks = run.checks as { code: string; status: string }[];
    // One per check of the run (the database domain's are skipped, not in scope), with its outcome.
    const perCheck = samples.filter((s) => !s.code.startsWith("probe."));
    expect(perCheck).toHaveLength(checks.length);
    const outcomeOf = (status: string) => ({ passed: "passed", issues: "failed", skipped: "skipped", error: "error" })[status];
    for (const c of checks) expect(perCheck.find((s) => s.code === c.code)?.outcome, c.code).toBe(outcomeOf(c.status));
    // The status endpoint was sampled several times, each with a real time to first byte.
    const endpoint = samples.filter((s) => s.code === PROBE_CODES.endpoint && s.subject === `${site.url}${STATUS_ENDPOINT}`);
    expect(endpoint.length).toBeGreaterThanOrEqual(3);
    for (const s of endpoint) {
      expect(s.outcome).toBe("passed");
      expect(s.latencyMs).toBeGreaterThan(0);
      expect(s.latencyMs).toBeLessThan(30_000);
    }
    // The pages the web bot crawled: the start page among them.
    const pages = samples.filter((s) => s.code === PROBE_CODES.page);
    expect(pages.map((p) => p.subject)).toContain(`${site.url}/`);
    expect(pages.every((p) => p.outcome !== "passed" || (p.latencyMs ?? 0) > 0)).toBe(true);
    expect(samples.every((s) => s.targetKey === run.targetKey)).toBe(true);

    // Written once: running the step again replaces, never doubles.
    expect(await recordCheckSamples(prisma, runId)).toBe(samples.length);
    expect(await prisma.checkSample.count({ where: { runId } })).toBe(samples.length);

    // The page reads them: the endpoint with its n, a p50 only once there are 5 timed answers.
    const history = await checkHistory(prisma, "24h", run.targetKey);
    const row = history.probes.find((p) => p.url === `${site.url}${STATUS_ENDPOINT}`);
    expect(row).toMatchObject({ kind: "endpoint", availability: { ok: endpoint.length, n: endpoint.length } });
    expect(row?.p99).toEqual({ ms: null, n: endpoint.length, min: 100 });
    expect(history.checks.map((c) => c.code).sort()).toEqual([...new Set(checks.map((c) => c.code))].sort());
  });
});
