// The web and network bots end to end: a site with several real faults, one run that finds each,
// applies the safe fixes at once and the platform actions after approval (through loopback
// stand-ins for the revalidation endpoint, the deploy hook and the Vercel API), verifies them,
// and leaves exact advice for the rest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { closeEngine, createTestEngine } from "../../fixtures/test/engine";
import { CREDENTIALS, type FaultSite, startFaultSite } from "../../fixtures/test/fault-site";
import { type PlatformApi, startPlatformApi } from "../../fixtures/test/platform-api";
import { siteTarget } from "../../fixtures/test/site-bots";
import type { Engine } from "./workflow/engine";
import { runReportSchema } from "./report";
import { buildReport } from "./queries/report";
import { decideAction } from "./runs/run-control";
import { createRun, executeRun, resumeRun } from "./runs/run-service";
import { FIX_ACTIONS } from "./fixes";

let site: FaultSite;
let platform: PlatformApi;
let engine: Engine;
let database: string;
/** Whether the home page's cache warms: slow through diagnosis, fast from the second warming
 * request on (a cold cache). Otherwise it stays slow, whatever warming does. */
let cacheWarms = true;

beforeAll(async () => {
  site = await startFaultSite();
  platform = await startPlatformApi();
  database = await createTestDatabase();
  // web.warm_cache as it is, the site's cache warming once it starts (the slowness of the home
  // page then no longer depends on how many requests diagnosis made).
  const fixes = FIX_ACTIONS.map((action) =>
    action.code !== "web.warm_cache"
      ? action
      : {
          ...action,
          apply: (params: never, ctx: Parameters<typeof action.apply>[1]) => {
            if (cacheWarms) site.faults.slowRequests = 1;
            return action.apply(params, ctx);
          },
        },
  );
  engine = await createTestEngine(await createTestDatabase(), {
    fixes,
    settings: {
      checkTimeoutMs: 20_000, diagnosticTimeoutMs: 40_000, fixTimeoutMs: 20_000, breakerThreshold: 100, thresholdOverrides: {},
      integrations: platform.integrations,
      site: { credentials: { origin: site.url, bearer: CREDENTIALS.bearer } },
    },
  });
});
afterAll(async () => {
  await closeEngine(engine);
  await Promise.all([site.close(), platform.close()]);
});

describe("a run against a site with several faults", () => {
  it("finds each, fixes what it may, verifies, and advises on the rest", async () => {
    Object.assign(site.faults, { slowFirstByte: 900, flakyEndpoint: 12, page500: true, missingChunk: true, missingHeaders: true, anonymousAdmin: true });
    platform.onDeploy = () => void (site.faults.missingChunk = false);
    platform.onRevalidate = (paths) => void (paths.includes("/pricing") && (site.faults.page500 = false));
    const { runId, config } = await createRun(engine, { trigger: "api", domains: ["web", "network"] }, siteTarget(site.url, { databaseUrl: database }));
    await executeRun(engine, runId, config);
    let report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    expect(report.status).toBe("awaiting_approval");
    const issue = (code: string) => report.issues.find((i) => i.code === code);
    expect(issue("web.slow_ttfb")).toMatchObject({ severity: "medium", evidence: expect.objectContaining({ medianMs: expect.any(Number) }) });
    expect(issue("net.endpoint_errors")).toMatchObject({ severity: "high", evidence: expect.objectContaining({ statuses: expect.arrayContaining([503]) }) });
    expect(issue("web.page_error_status")).toMatchObject({ severity: "critical", evidence: expect.objectContaining({ status: 500 }) });
    expect(issue("web.failed_assets")).toMatchObject({ severity: "critical", evidence: expect.objectContaining({ status: 404 }) });
    expect(issue("web.missing_security_headers")?.severity).toBe("medium");
    expect(issue("net.unprotected_admin_api")?.severity).toBe("critical");

    const actions = (code: string) => report.actions.filter((a) => a.code === code);
    expect(actions("web.warm_cache").map((a) => a.status)).toEqual(["applied"]);
    expect(actions("web.warm_cache")[0]?.detail).toMatch(/^requested 3 times; time to first byte \d+, \d+, \d+ ms$/);
    expect(actions("net.reprobe_transient").map((a) => a.status)).toEqual(["applied"]);
    // one redeploy and one rollback for the run, however many issues they would address
    expect(actions("web.redeploy").map((a) => a.status)).toEqual(["pending_approval"]);
    expect(actions("web.rollback_deployment").map((a) => a.status)).toEqual(["pending_approval"]);
    const revalidate = actions("web.revalidate_paths").find((a) => a.issueIds.includes(issue("web.page_error_status")?.id ?? "-"));
    expect(revalidate?.detail).toContain("/pricing");

    const admin = await engine.deps.prisma.user.create({ data: { email: "ops@example.com", role: "ADMIN" } });
    let resume = false;
    for (const action of report.actions.filter((a) => a.status === "pending_approval")) {
      const approve = action.id === revalidate?.id || action.code === "web.redeploy";
      resume = (await decideAction(engine, runId, admin, { actionId: action.id, decision: approve ? "approve" : "reject" })).resume;
    }
    expect(resume).toBe(true);
    await resumeRun(engine, runId);

    report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    expect(report.status).toBe("completed");
    for (const code of ["web.slow_ttfb", "net.endpoint_errors", "web.page_error_status", "web.failed_assets"]) expect(issue(code)?.status, code).toBe("resolved");
    for (const code of ["web.missing_security_headers", "net.unprotected_admin_api"]) expect(issue(code)?.status, code).toBe("open");
    expect(report.recommendations.some((r) => r.includes("async headers()"))).toBe(true);
    expect(report.recommendations.some((r) => r.includes('status: 401'))).toBe(true);
    expect(platform.calls.map((c) => `${c.method} ${c.path} ${c.authorized}`).sort()).toEqual(["GET /v6/deployments true", "POST /revalidate true", "POST /v1/integrations/deploy/prj_test/hook-abc true"]); // the GET: the run's deployment, read as it starts
    expect(platform.calls.find((c) => c.path === "/revalidate")?.body).toEqual({ paths: ["/pricing"] });
    // Secrets of the configuration reach neither the report nor the stored events.
    const events = await engine.deps.prisma.runEvent.findMany({ where: { runId }, select: { type: true, payload: true } });
    const serialized = JSON.stringify([report, events]);
    for (const secret of [platform.integrations.revalidate.secret, platform.integrations.vercel.token, "hook-abc", CREDENTIALS.bearer]) expect(serialized).not.toContain(secret);
  });

  it("reports warming that did not shorten the first byte as failed, and does not re-measure the page", async () => {
    cacheWarms = false;
    for (const key of Object.keys(site.faults)) delete site.faults[key as keyof typeof site.faults];
    site.faults.slowFirstByte = 900;
    const { runId, config } = await createRun(engine, { trigger: "api", domains: ["web"] }, siteTarget(site.url, { databaseUrl: database }));
    await executeRun(engine, runId, config);
    const report = runReportSchema.parse(await buildReport(engine.deps.prisma, runId));
    expect(report.status).toBe("completed");
    const warm = report.actions.filter((a) => a.code === "web.warm_cache");
    expect(warm.map((a) => a.status)).toEqual(["failed"]);
    expect(warm[0]?.detail).toMatch(/^warming did not shorten it: time to first byte \d+, \d+, \d+ ms \(still over 800 ms\)$/);
    expect(report.issues.find((i) => i.code === "web.slow_ttfb")?.status).toBe("unresolved");
    const verified = await engine.deps.prisma.runEvent.findMany({ where: { runId, type: "issue_verified" }, select: { payload: true } });
    expect(verified.map((e) => e.payload)).toContainEqual(expect.objectContaining({ code: "web.slow_ttfb", status: "unresolved", reason: expect.stringMatching(/^its fix failed: warming did not shorten it/) }));
  });
});
