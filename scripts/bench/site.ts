// Web and network bots on a 10-page loopback site: their time with and without the browser
// checks, and a Lighthouse audit of the home page for comparison (time, and which injected
// faults each caught).
import { type DiagnosticResult, createDiagnosticBot } from "../../lib/troubleshooting/workflow/bots/diagnostic-bot";
import { type Faults, startFaultSite } from "../../fixtures/test/fault-site";
import { siteTarget } from "../../fixtures/test/site-bots";
import { lighthouseAudit, type LighthouseAudit } from "./lighthouse";
import { median, record, table, textTable } from "./table";

interface FaultProbe {
  fault: keyof Faults;
  /** Our check that should report it. */
  check: string;
  /** Whether Lighthouse flagged it, or null when it has no audit for it. */
  lighthouse: ((audits: LighthouseAudit["audits"]) => boolean) | null;
}

const failing = (audits: LighthouseAudit["audits"], id: string) => (audits[id]?.score ?? 1) < 0.9;

/** Faults on the home page (or linked from it), all at once: one Lighthouse audit of "/" sees them. */
const HOME_FAULTS: Faults = { slowFirstByte: 900, missingChunk: true, browserThrows: true, heavyPage: true, missingHeaders: true, uncachedAssets: true, layoutShift: true, slowLcp: 2_800, brokenLink: true, redirectLoop: true };
const PROBES: FaultProbe[] = [
  { fault: "slowFirstByte", check: "web.slow_ttfb", lighthouse: (a) => failing(a, "server-response-time") },
  { fault: "missingChunk", check: "web.failed_assets", lighthouse: (a) => (a["errors-in-console"]?.items ?? []).some((i) => /404|Failed to load/.test(i)) },
  { fault: "browserThrows", check: "web.console_errors", lighthouse: (a) => failing(a, "errors-in-console") },
  { fault: "heavyPage", check: "web.page_weight", lighthouse: (a) => failing(a, "total-byte-weight") },
  { fault: "missingHeaders", check: "web.missing_security_headers", lighthouse: (a) => (a["csp-xss"]?.items ?? []).some((i) => /No CSP found/i.test(i)) },
  { fault: "uncachedAssets", check: "web.missing_cache_headers", lighthouse: (a) => failing(a, "uses-long-cache-ttl") },
  { fault: "layoutShift", check: "web.layout_shift", lighthouse: (a) => failing(a, "cumulative-layout-shift") },
  { fault: "slowLcp", check: "web.slow_page_load", lighthouse: (a) => failing(a, "largest-contentful-paint") },
  { fault: "brokenLink", check: "web.broken_links", lighthouse: null },
  { fault: "redirectLoop", check: "web.redirect_loop", lighthouse: null },
];

async function bots(url: string, browser: boolean): Promise<{ ms: number; results: DiagnosticResult[] }> {
  const target = siteTarget(url, { browser });
  const options = { checkTimeoutMs: 20_000, botTimeoutMs: 30_000, breakerThreshold: 1_000 };
  const started = performance.now();
  const results = await Promise.all([createDiagnosticBot("web").runDiagnostics(target, options), createDiagnosticBot("network").runDiagnostics(target, options)]);
  return { ms: performance.now() - started, results };
}

export async function benchSite(runs: number): Promise<void> {
  const healthy = await startFaultSite();
  const rows: Record<string, number>[] = [];
  try {
    await bots(healthy.url, true); // warm-up: Chromium unpacks once per machine
    for (let i = 0; i < runs; i++) {
      const without = await bots(healthy.url, false);
      const withBrowser = await bots(healthy.url, true);
      const issues = [...without.results, ...withBrowser.results].reduce((n, r) => n + r.findings.length, 0);
      rows.push({ noBrowser: without.ms, browser: withBrowser.ms, issues });
    }
    for (let i = 0; i < Math.min(runs, 3); i++) (rows[i] as Record<string, number>).lighthouse = (await lighthouseAudit(`${healthy.url}/`)).ms;
  } finally {
    await healthy.close();
  }
  table(
    "site",
    "healthy",
    `Web + network bots on a healthy 10-page loopback site, without and with Chromium, and one Lighthouse audit of its home page, ${runs} runs (ms; issues = false positives)`,
    ["noBrowser", "browser", "issues", "lighthouse"],
    rows,
  );
  const lighthouseHealthyMs = median(rows.flatMap((r) => (r.lighthouse === undefined ? [] : [r.lighthouse])));
  const lighthouseRatio = lighthouseHealthyMs / median(rows.map((r) => r.browser ?? 0));
  console.log(`Lighthouse takes ${lighthouseRatio.toFixed(1)}x the bots' time for one page of the ten.`);
  record("site", "lighthouseHealthyRatio", lighthouseRatio);

  const faulty = await startFaultSite({ faults: HOME_FAULTS });
  try {
    const ours = await bots(faulty.url, true);
    const codes = new Set(ours.results.flatMap((r) => r.findings.map((f) => f.code)));
    const audits: LighthouseAudit[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) audits.push(await lighthouseAudit(`${faulty.url}/`));
    const lighthouseMs = median(audits.map((a) => a.ms));
    const caught = PROBES.map((p) => ({
      fault: p.fault,
      ours: codes.has(p.check) ? `found (${p.check})` : "missed",
      lighthouse: p.lighthouse === null ? "no audit" : p.lighthouse((audits[0] as LighthouseAudit).audits) ? "found" : "missed",
    }));
    const title = `Lighthouse comparison, faulty site: web + network bots (10 pages, browser) ${Math.round(ours.ms)} ms; Lighthouse (home page only, median of ${audits.length}) ${Math.round(lighthouseMs)} ms; ratio ${(lighthouseMs / ours.ms).toFixed(1)}x`;
    textTable("site", "lighthouseCaught", title, caught.map((c) => ({ fault: c.fault, "web bot": c.ours, lighthouse: c.lighthouse })));
    record("site", "lighthouseFaulty", { botsMs: ours.ms, lighthouseMs, ratio: lighthouseMs / ours.ms });
  } finally {
    await faulty.close();
  }
}
