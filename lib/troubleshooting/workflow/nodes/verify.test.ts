// Verification re-checks only the subjects whose issues it verifies: net.endpoint_errors samples
// the endpoint its fix was applied to, as diagnosis found it, without crawling or browsing the site
// again or sampling the other endpoints (a hanging one alone costs 5 s). A real network run against
// the fault site; what the site served, and when, tells which requests verification made.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { closeEngine, createTestEngine } from "../../../../fixtures/test/engine";
import { CREDENTIALS, type FaultSite, startFaultSite } from "../../../../fixtures/test/fault-site";
import { siteTarget } from "../../../../fixtures/test/site-bots";
import { FIX_ACTIONS } from "../../fixes";
import { buildReport } from "../../queries/report";
import { runReportSchema } from "../../report";
import { createRun, executeRun } from "../../runs/run-service";
import type { Engine } from "../engine";
import type { IssueRecord } from "../state";
import { endpointScope } from "./verify";

const FLAKY = "/api/admin/bots/database";
let site: FaultSite;
let engine: Engine;
/** Every request the site served: its path and when (ms since the epoch). */
const served: { path: string; at: number }[] = [];

beforeAll(async () => {
  site = await startFaultSite({ faults: { flakyEndpoint: 1_000, endpoint500: true, hangingEndpoint: true } });
  site.hits = new (class extends Map<string, number> {
    override set(path: string, count: number) {
      served.push({ path, at: Date.now() });
      return super.set(path, count);
    }
  })();
  // The flaky endpoint fails through diagnosis and recovers one request into its re-probe (what
  // the fix action cannot know: it looks again).
  const fixes = FIX_ACTIONS.map((action) =>
    action.code !== "net.reprobe_transient"
      ? action
      : {
          ...action,
          apply: (params: never, ctx: Parameters<typeof action.apply>[1]) => {
            if ((params as { url: string }).url.endsWith(FLAKY)) site.faults.flakyEndpoint = 1;
            return action.apply(params, ctx);
          },
        },
  );
  engine = await createTestEngine(await createTestDatabase(), {
    fixes,
    settings: { checkTimeoutMs: 20_000, diagnosticTimeoutMs: 40_000, fixTimeoutMs: 20_000, breakerThreshold: 100, thresholdOverrides: {}, site: { credentials: { origin: site.url, bearer: CREDENTIALS.bearer } } },
  });
});
afterAll(async () => {
  await closeEngine(engine);
  await site.close();
});

describe("verification", () => {
  it("re-samples only the endpoints whose fixes it verifies, and judges each as the same check does", async () => {
    const { runId, config } = await createRun(engine, { trigger: "api", domains: ["network"] }, siteTarget(site.url, { databaseUrl: await createTestDatabase() }));
    await executeRun(engine, runId, config);
    const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    expect(report.status).toBe("completed");
    const errors = (path: string) => report.issues.find((i) => i.code === "net.endpoint_errors" && i.evidence.url === `${site.url}${path}`);
    expect(errors(FLAKY)?.status).toBe("resolved");
    expect(errors("/api/admin/bots/logs")?.status).toBe("unresolved"); // still 500: its re-probe failed
    expect(report.issues.find((i) => i.code === "net.timeouts")?.status).toBe("unresolved");

    const events = await engine.deps.prisma.runEvent.findMany({ where: { runId, phase: "verification", type: "phase_started" }, select: { createdAt: true } });
    const verifying = events[0]?.createdAt.getTime() ?? Number.NaN;
    const during = new Set(served.filter((r) => r.at >= verifying).map((r) => r.path));
    expect([...during]).toEqual([FLAKY]);
  });

  it("re-checks the whole site for an issue that does not say how its endpoint was found, or whose URL was scrubbed", () => {
    const url = "https://shop.example.com/api/orders";
    const endpoint = { url, sources: ["browser"], requestedBy: ["https://shop.example.com/"], referencedBy: [], methods: ["GET"] };
    const issue = (evidence: Record<string, unknown>, subject = url): IssueRecord => ({ id: "i", code: "net.endpoint_errors", domain: "network", severity: "high", title: "", subject, evidence });
    expect(endpointScope("net.endpoint_errors", [issue({ url, endpoint }), issue({ url, endpoint })])).toEqual([endpoint]);
    expect(endpointScope("net.endpoint_errors", [issue({ url, endpoint }), issue({ url })])).toBeNull();
    const scrubbed = `${url}?token=***`;
    expect(endpointScope("net.endpoint_errors", [issue({ url: scrubbed, endpoint: { ...endpoint, url: scrubbed } }, scrubbed)])).toBeNull();
    expect(endpointScope("web.slow_ttfb", [issue({ url, endpoint })])).toBeNull();
  });
});
