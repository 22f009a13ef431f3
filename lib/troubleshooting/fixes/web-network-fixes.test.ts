// Each web and network action against the fault site: fault, apply, verify (re-run the check).
import { afterEach, describe, expect, it } from "vitest";
import { CREDENTIALS, type FaultSite, startFaultSite } from "../../../fixtures/test/fault-site";
import { type PlatformApi, startPlatformApi } from "../../../fixtures/test/platform-api";
import { diagnose, siteTarget, startSecureFaultSite } from "../../../fixtures/test/site-bots";
import type { FixActionDef, Target } from "../catalogue";
import type { Integrations } from "../workflow/integrations";
import type { Finding } from "../workflow/bots/diagnostic-bot";
import { HUNG_REPROBE_TIMEOUT_MS, netReprobeTransient } from "./network/reprobe-transient";
import { webRollbackDeployment } from "./web/rollback-deployment";
import { webRevalidatePaths } from "./web/revalidate-paths";

let site: FaultSite | undefined;
let platform: PlatformApi | undefined;
afterEach(async () => {
  await Promise.all([site?.close(), platform?.close()]);
  site = platform = undefined;
});

async function findingOf(target: Target, domain: "web" | "network", code: string): Promise<Finding | undefined> {
  const result = await diagnose(domain, target, { credentials: { origin: new URL(target.baseUrl).origin, bearer: CREDENTIALS.bearer } });
  return result.findings.find((f) => f.code === code);
}

function planAndApply<P>(action: FixActionDef<P>, finding: Finding, target: Target, integrations: Integrations) {
  const view = { id: "issue", code: finding.code, subject: finding.draft.subject, evidence: finding.draft.evidence };
  const params = action.plan(view, { integrations: new Set(Object.keys(integrations) as (keyof Integrations)[]) });
  if (params === null) throw new Error(`${action.code} did not plan`);
  const credentials = { origin: new URL(target.baseUrl).origin, bearer: CREDENTIALS.bearer };
  return action.apply(params, { target, signal: AbortSignal.timeout(20_000), integrations, credentials });
}

describe("web and network fix actions", () => {
  it("rolls a broken deploy back through the Vercel API, and verification sees the chunk again", async () => {
    site = await startFaultSite({ faults: { missingChunk: true } });
    platform = await startPlatformApi();
    platform.onRollback = (id) => void (id === "dpl_previous" && site && (site.faults.missingChunk = false));
    const target = siteTarget(site.url);
    const finding = await findingOf(target, "web", "web.failed_assets");
    expect(finding?.draft.severity).toBe("critical");
    const result = await planAndApply(webRollbackDeployment, finding as Finding, target, { vercel: platform.integrations.vercel });
    expect(result).toEqual({ ok: true, detail: "production rolled back from dpl_current to dpl_previous" });
    expect(await findingOf(target, "web", "web.failed_assets")).toBeUndefined();
  });

  it("reports a refused Vercel token as a failure, without the token", async () => {
    site = await startFaultSite({ faults: { missingChunk: true } });
    platform = await startPlatformApi();
    const target = siteTarget(site.url);
    const finding = (await findingOf(target, "web", "web.failed_assets")) as Finding;
    const result = await planAndApply(webRollbackDeployment, finding, target, { vercel: { ...platform.integrations.vercel, token: "wrong-token" } });
    expect(result).toEqual({ ok: false, detail: "listing deployments failed (403)" });
    expect(site.faults.missingChunk).toBe(true);
  });

  it("does not plan platform actions that are not configured", () => {
    const view = { id: "i", code: "web.failed_assets", subject: "x", evidence: { pages: ["http://127.0.0.1/"] } };
    expect(webRevalidatePaths.plan(view, { integrations: new Set() })).toBeNull();
    expect(webRollbackDeployment.plan(view, { integrations: new Set(["deployHook"]) })).toBeNull();
  });

  it("tells a transient endpoint failure from a persistent one", async () => {
    const secure = await startSecureFaultSite({ flakyEndpoint: 1_000 }); // credentials ride only on verified TLS
    site = secure.site;
    const target = secure.target();
    const transient = (await findingOf(target, "network", "net.endpoint_errors")) as Finding;
    expect(transient.draft.severity).toBe("high");
    site.faults.flakyEndpoint = 2; // the failure wears off two requests later, whatever diagnosis took
    const recovered = await planAndApply(netReprobeTransient, transient, target, {});
    expect(recovered.ok).toBe(true);
    expect(recovered.detail).toMatch(/^answered 200 after \d attempts \(503, .*200\): transient$/);
    expect(await findingOf(target, "network", "net.endpoint_errors")).toBeUndefined();

    site.faults.endpoint500 = true;
    const persistent = (await findingOf(target, "network", "net.endpoint_errors")) as Finding;
    const still = await planAndApply(netReprobeTransient, persistent, target, {});
    expect(still).toEqual({ ok: false, effect: "persists", detail: "still failing after 5 attempts (500, 500, 500, 500, 500): persistent" });
  });

  it("looks once, briefly, at an endpoint diagnosis saw hang, instead of the retry ladder", async () => {
    site = await startFaultSite({ faults: { hangingEndpoint: true } });
    const target = siteTarget(site.url, { endpoints: [`${site.url}/api/auth/csrf`] });
    const hung = (await findingOf(target, "network", "net.timeouts")) as Finding;
    expect(hung.draft.subject).toBe(`${site.url}/api/auth/csrf`);
    const view = { id: "issue", code: hung.code, subject: hung.draft.subject, evidence: hung.draft.evidence };
    expect(netReprobeTransient.plan(view)).toEqual({ url: `${site.url}/api/auth/csrf`, attempts: 1, timeoutMs: HUNG_REPROBE_TIMEOUT_MS, hungForMs: 5_000 });

    const before = site.hits.get("/api/auth/csrf") ?? 0;
    const result = await planAndApply(netReprobeTransient, hung, target, {});
    expect(result).toEqual({ ok: false, effect: "persists", detail: "no answer within 1 s (diagnosis waited 5 s): still hanging as diagnosed, persistent" });
    expect((site.hits.get("/api/auth/csrf") ?? 0) - before).toBe(1); // the ladder asked 5 times, 5 s each

    // The same look tells a recovered endpoint: then it is transient, and verification re-runs the check.
    site.faults.hangingEndpoint = false;
    const recovered = await planAndApply(netReprobeTransient, hung, target, {});
    expect(recovered).toEqual({ ok: true, detail: "answered 200 after 1 attempt (200): transient" });
  });
});

