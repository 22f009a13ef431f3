// The web bot judges what answers contain, not only their status, and reports one cause once:
// against a loopback site shaped like a deployed Next.js app (fixtures/test/content-site.ts).
import { afterEach, describe, expect, it } from "vitest";
import { CONTENT_CHUNK, type ContentFaults, type ContentSite, startContentSite } from "../../../../fixtures/test/content-site";
import { diagnose, found } from "../../../../fixtures/test/site-bots";
import { testTarget } from "../../../../fixtures/test/engine";
import { noMemory } from "../../workflow/memory";
import { createSiteProbe } from "../../site/site-probe";
import { webSlowPageLoad } from "./web-vitals";
import { bodyStart, clip, wrongContent } from "./content";

const NO_DATABASE = "postgresql://nobody:none@127.0.0.1:9/none";
const WORSE_THAN_LOW = new Set(["critical", "high", "medium"]);

let site: ContentSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

async function web(faults: ContentFaults, browser = true) {
  site = await startContentSite(faults);
  const result = await diagnose("web", testTarget(site.url, NO_DATABASE, { endpoints: [], browser }));
  const findings = found(result);
  return {
    result,
    findings,
    serious: findings.filter(([, severity]) => WORSE_THAN_LOW.has(severity)),
    of: (code: string) => result.findings.filter((f) => f.code === code).map((f) => f.draft),
  };
}

describe("web bot: content, not only status", () => {
  it("finds nothing at medium or worse on a healthy site with the usual traps, and rates the traps honestly", async () => {
    const { serious, of, result } = await web({});
    expect(serious).toEqual([]);
    expect(result.checks.filter((c) => c.status === "error")).toEqual([]);
    // Vercel's analytics script, on a site not served by Vercel: a 404 by design, one finding for all pages.
    const insights = [...of("web.failed_assets"), ...of("web.failed_requests")].filter((d) => d.subject.includes("/_vercel/insights/"));
    expect(insights.map((d) => d.severity)).toEqual(["info"]);
    expect(insights[0]?.evidence.pages).toHaveLength(3);
    // The failing third-party beacon: low, once, listing the pages.
    const beacon = of("web.failed_requests").filter((d) => d.subject.startsWith("http://127.0.0.1:9/"));
    expect(beacon.map((d) => [d.severity, d.subject])).toEqual([["low", "http://127.0.0.1:9/collect"]]);
    expect(beacon[0]?.evidence.pages).toHaveLength(3);
  });

  it("rates Vercel's analytics script low when the site is on Vercel (the feature is not enabled)", async () => {
    const { of } = await web({ onVercel: true }, false);
    expect(of("web.failed_assets").map((d) => [d.severity, new URL(d.subject).pathname])).toEqual([["low", "/_vercel/insights/script.js"]]);
  });

  it("reports a build chunk answered 200 text/html as a critical failed asset, once, without echoes", async () => {
    const { findings, of } = await web({ chunkHtml: true });
    expect(findings.filter(([, s]) => WORSE_THAN_LOW.has(s))).toEqual([["web.failed_assets", "critical", CONTENT_CHUNK]]);
    const chunk = of("web.failed_assets").filter((d) => d.subject.endsWith(CONTENT_CHUNK));
    expect(chunk).toHaveLength(1);
    expect(chunk[0]).toMatchObject({
      title: expect.stringContaining("answers 200 text/html, not JavaScript"),
      evidence: { status: 200, contentType: "text/html; charset=utf-8", kind: "script", pages: expect.arrayContaining([expect.stringMatching(/\/about$/)]) },
    });
    expect((chunk[0]?.evidence.pages as string[]).length).toBe(3);
    // The browser ran the HTML as a script and threw ("Unexpected token '<'"): an echo, not a console error.
    expect(of("web.console_errors")).toEqual([]);
  });

  it("reads the body of a chunk labelled JavaScript: an HTML page is still a failed asset", async () => {
    const { findings, of } = await web({ chunkHtmlLabelledJs: true }, false);
    expect(findings.filter(([, s]) => WORSE_THAN_LOW.has(s))).toEqual([["web.failed_assets", "critical", CONTENT_CHUNK]]);
    expect(of("web.failed_assets").find((d) => d.subject.endsWith(CONTENT_CHUNK))?.evidence).toMatchObject({ status: 200, contentType: "application/javascript", bodyStart: expect.stringMatching(/^<!DOCTYPE html>/) });
  });

  it("reports the same failing resource on every page as one issue listing the pages", async () => {
    const { of } = await web({ feedFails: true });
    const feed = of("web.failed_requests").filter((d) => d.subject.endsWith("/feed.json"));
    expect(feed).toHaveLength(1);
    expect(feed[0]).toMatchObject({ severity: "high", evidence: { status: 500, resourceType: "fetch" } });
    expect(feed[0]?.evidence.pages).toHaveLength(3);
  });

  it("reports a Content-Security-Policy that blocks the pages' inline scripts as one high issue naming the directive and the policy", async () => {
    const { findings, of } = await web({ cspBlocksInline: true });
    const csp = of("web.csp_blocks_scripts");
    expect(csp).toHaveLength(1);
    expect(csp[0]).toMatchObject({
      severity: "high",
      subject: `${site?.url}/`,
      evidence: { directive: expect.stringContaining("script-src 'self'"), policy: expect.stringContaining("script-src 'self'"), inlineScriptsRefused: expect.any(Number) },
    });
    expect(csp[0]?.evidence.pages).toHaveLength(3);
    expect(csp[0]?.recommendation).toMatch(/nonce/);
    // The refusals are not console errors (or hydration errors) as well.
    expect(findings.filter(([code]) => code === "web.console_errors" || code === "web.hydration_error")).toEqual([]);
  });

  it("does not report a report-only policy: it blocks nothing", async () => {
    const { findings, result } = await web({ cspReportOnly: true });
    expect(findings.filter(([code]) => code === "web.csp_blocks_scripts" || code === "web.console_errors")).toEqual([]);
    // It looked: the browser loaded the pages (a skipped check would also find nothing).
    expect(result.checks.find((c) => c.code === "web.csp_blocks_scripts")?.status).toBe("passed");
  });
});

describe("web bot: Core Web Vitals from the median of several loads", () => {
  it("does not report a page whose only slow load was the first, and keeps the samples", async () => {
    site = await startContentSite({ slowLcp: { ms: 3_200, firstOnly: true } });
    const target = testTarget(site.url, NO_DATABASE, { endpoints: [], browser: true, pages: [site.url] });
    const signal = AbortSignal.timeout(40_000);
    const probe = createSiteProbe(target, signal);
    const outcome = await webSlowPageLoad.run({ target, signal, site: probe, thresholds: { ...webSlowPageLoad.thresholds }, breakerThreshold: 5, memory: noMemory });
    expect(outcome.status).toBe("passed");
    const [home] = (await probe.browser()).pages;
    expect(home?.lcpSamplesMs).toHaveLength(3);
    expect(home?.lcpSamplesMs[0]).toBeGreaterThan(2_500);
    expect(home?.lcpMs).toBeLessThan(2_500);
    expect(outcome.status === "passed" && outcome.evidence).toMatchObject({ lcpMs: [{ lcpMs: home?.lcpMs, samplesMs: home?.lcpSamplesMs }] });
  });

  it("reports a page slow on every load with its samples, as the median of its loads", async () => {
    const { of } = await web({ slowLcp: { ms: 2_800 } });
    const slow = of("web.slow_page_load");
    expect(slow).toHaveLength(1);
    expect(slow[0]?.title).toMatch(/median of 3 loads/);
    expect(slow[0]?.evidence).toMatchObject({ loads: 3, lcpSamplesMs: [expect.any(Number), expect.any(Number), expect.any(Number)] });
    expect(slow[0]?.evidence.lcpMs).toBeGreaterThan(2_500);
  });
});

describe("target-controlled text in findings", () => {
  it("is printable and short: control characters are replaced, long text is cut", () => {
    expect(clip("red \u001b[31malert\u0007 \u009b2J\tok\n")).toBe("red \ufffd[31malert\ufffd \ufffd2J\tok\n");
    expect(clip("x".repeat(500), 100)).toHaveLength(100);
    expect(clip("x".repeat(500), 100).endsWith("…")).toBe(true);
    expect(bodyStart(`\u001b]0;pwned\u0007<!DOCTYPE html>${"<p>x</p>".repeat(100)}`)).toMatch(/^\ufffd\]0;pwned\ufffd<!DOCTYPE html>/);
    expect(bodyStart("<p>x</p>".repeat(100)).length).toBeLessThanOrEqual(120);
    const long = `text/${"a".repeat(300)}`;
    expect(wrongContent("script", "http://x/app.js", long)?.answered.length).toBeLessThanOrEqual(80);
    expect(wrongContent("script", "http://x/app.js", long)?.contentType?.length).toBeLessThanOrEqual(200);
  });
});
