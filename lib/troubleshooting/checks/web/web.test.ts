import { afterEach, describe, expect, it } from "vitest";
import { makeCertificates } from "../../../../fixtures/test/certificates";
import { type Faults, type FaultSite, startFaultSite } from "../../../../fixtures/test/fault-site";
import { diagnose, found, notPassed, siteTarget } from "../../../../fixtures/test/site-bots";

let site: FaultSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

async function webFindings(faults: Faults, browser = false) {
  site = await startFaultSite({ faults });
  const result = await diagnose("web", siteTarget(site.url, { browser }));
  return { result, findings: found(result), evidence: (code: string) => result.findings.find((f) => f.code === code)?.draft.evidence };
}

describe("web bot, HTTP level", () => {
  it("finds nothing wrong with a healthy site, and crawls its ten pages", async () => {
    const { result, findings } = await webFindings({});
    expect(findings).toEqual([]);
    expect(notPassed(result)).toEqual(expect.arrayContaining(["web.mixed_content:skipped(not applicable: the pages are served over plain http)"]));
    expect(result.checks.filter((c) => c.status === "error")).toEqual([]);
    expect(site?.hits.get("/team")).toBeGreaterThan(0);
  });

  it("reports a slow first byte with the median of its samples", async () => {
    const { findings, evidence } = await webFindings({ slowFirstByte: 2_100 });
    expect(findings).toEqual([["web.slow_ttfb", "high", "/"]]);
    expect(evidence("web.slow_ttfb")).toMatchObject({ medianMs: expect.any(Number) });
    expect((evidence("web.slow_ttfb") as { medianMs: number }).medianMs).toBeGreaterThan(2_000);
  });

  it("reports a page that answers 500 as critical", async () => {
    const { findings, evidence } = await webFindings({ page500: true });
    expect(findings).toEqual([["web.page_error_status", "critical", "/pricing"]]);
    expect(evidence("web.page_error_status")).toMatchObject({ status: 500 });
  });

  it("reports a missing build chunk (the broken deploy) as critical, on every page that needs it", async () => {
    const { findings, evidence } = await webFindings({ missingChunk: true });
    expect(findings).toEqual([["web.failed_assets", "critical", "/_next/static/chunks/main-3f9a2b1c.js"]]);
    expect(evidence("web.failed_assets")).toMatchObject({ status: 404, kind: "script" });
    expect((evidence("web.failed_assets") as { pages: string[] }).pages).toHaveLength(10);
  });

  it("reports a 4 MB page with its weight", async () => {
    const { findings, evidence } = await webFindings({ heavyPage: true });
    expect(findings).toEqual([["web.page_weight", "medium", "/"]]);
    expect((evidence("web.page_weight") as { htmlBytes: number }).htmlBytes).toBeGreaterThan(4 * 1024 * 1024);
  });

  it("reports missing security headers, naming each", async () => {
    const { findings, evidence } = await webFindings({ missingHeaders: true });
    expect(findings).toEqual([["web.missing_security_headers", "medium", expect.stringContaining("security headers")]]);
    const missing = (evidence("web.missing_security_headers") as { missing: { header: string }[] }).missing.map((m) => m.header);
    expect(missing).toEqual(["Content-Security-Policy", "frame-ancestors or X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"]);
  });

  it("reports a redirect loop with its chain", async () => {
    const { findings, evidence } = await webFindings({ redirectLoop: true });
    expect(findings).toEqual([["web.redirect_loop", "high", "/loop"]]);
    expect((evidence("web.redirect_loop") as { chain: string[] }).chain.map((u) => new URL(u).pathname)).toEqual(["/loop", "/loop-back", "/loop"]);
  });

  it("reports hashed assets served without immutable caching", async () => {
    const { findings } = await webFindings({ uncachedAssets: true });
    expect(findings).toEqual([["web.missing_cache_headers", "low", expect.stringContaining("hashed assets")]]);
  });

  it("reports a same-origin link that answers 404", async () => {
    const { findings, evidence } = await webFindings({ brokenLink: true });
    expect(findings).toEqual([["web.broken_links", "medium", "/gone"]]);
    expect(evidence("web.broken_links")).toMatchObject({ status: 404, linkedFrom: [expect.stringMatching(/\/$/)] });
  });
});

describe("web bot, in Chromium", () => {
  it("sees uncaught errors, unhandled rejections and console errors", async () => {
    const { findings, evidence } = await webFindings({ browserThrows: true }, true);
    expect(findings).toEqual([["web.console_errors", "high", "/"]]);
    const seen = evidence("web.console_errors") as { uncaught: string[]; consoleErrors: string[] };
    expect(seen.uncaught.join("\n")).toMatch(/boom from the page/);
    expect(seen.uncaught.join("\n")).toMatch(/unhandled rejection from the page/);
    expect(seen.consoleErrors.join("\n")).toMatch(/widget failed to start/);
  });

  it("sees a real React hydration mismatch", async () => {
    const { findings } = await webFindings({ hydrationMismatch: true }, true);
    expect(findings).toEqual([["web.hydration_error", "high", "/"]]);
  });

  it("reports the missing chunk once, as the failed asset, though every page fails to load it", async () => {
    const { findings, evidence } = await webFindings({ missingChunk: true }, true);
    expect(findings).toEqual([["web.failed_assets", "critical", "/_next/static/chunks/main-3f9a2b1c.js"]]);
    expect((evidence("web.failed_assets") as { pages: string[] }).pages).toHaveLength(10);
  });

  it("measures layout shift and a late largest contentful paint", async () => {
    const { findings, evidence } = await webFindings({ layoutShift: true, slowLcp: 2_800 }, true);
    expect(findings).toEqual(expect.arrayContaining([["web.layout_shift", expect.any(String), "/"], ["web.slow_page_load", "medium", "/"]]));
    expect((evidence("web.layout_shift") as { cls: number }).cls).toBeGreaterThan(0.1);
    expect((evidence("web.slow_page_load") as { lcpMs: number }).lcpMs).toBeGreaterThan(2_500);
  });

  it("skips the browser checks, saying why, when no Chromium can start", async () => {
    site = await startFaultSite({ faults: { browserThrows: true } });
    const result = await diagnose("web", siteTarget(site.url, { browser: true }), { chromiumPath: "/nonexistent/chromium" });
    const browserChecks = result.checks.filter((c) => ["web.console_errors", "web.hydration_error", "web.failed_requests", "web.slow_page_load", "web.layout_shift"].includes(c.code));
    expect(browserChecks.map((c) => c.status)).toEqual(Array(5).fill("skipped"));
    expect(browserChecks[0]?.reason).toMatch(/^Chromium could not start/);
  });

  it("judges the page behind a certificate it does not trust, and finds mixed content on https", async () => {
    const certs = await makeCertificates();
    site = await startFaultSite({ faults: { browserThrows: true, mixedContent: true }, tls: certs.selfSigned });
    const result = await diagnose("web", siteTarget(site.url, { browser: true }));
    expect(found(result)).toEqual(expect.arrayContaining([["web.console_errors", "high", "/"], ["web.mixed_content", "medium", "/"]]));
    expect(result.checks.filter((c) => c.status === "error" || c.status === "skipped")).toEqual([]);
  });
});
