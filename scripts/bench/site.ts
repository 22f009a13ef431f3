// Web and network bots on a 10-page loopback site: their time with and without the browser
// checks, and a Lighthouse audit of the home page for comparison (time, and which injected
// faults each caught).
import { type DiagnosticResult, createDiagnosticBot } from "../../lib/troubleshooting/bots/diagnostic-bot";
import { ADDON_ENDPOINTS } from "../../lib/troubleshooting/site/endpoints";
import { type Faults, startFaultSite } from "../test/fault-site";
import { siteTarget } from "../test/site-bots";
import { lighthouseAudit, type LighthouseAudit } from "./lighthouse";
import { median, table } from "./table";

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
  const target = siteTarget(url, { endpoints: ADDON_ENDPOINTS.map((p) => `${url}${p}`), browser });
  const options = { checkTimeoutMs: 20_000, botTimeoutMs: 30_000, breakerThreshold: 1_000 };
  const started = performance.now();
  const results = await Promise.all([createDiagnosticBot("web").runDiagnostics(target, options), createDiagnosticBot("network").runDiagnostics(target, options)]);
  return { ms: performance.now() - started, results };
}

export async function benchSite(runs: number): Promise<Record<string, unknown>> {
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
    `Web + network bots on a healthy 10-page loopback site, without and with Chromium, and one Lighthouse audit of its home page, ${runs} runs (ms; issues = false positives)`,
    ["noBrowser", "browser", "issues", "lighthouse"],
    rows,
  );
  const lighthouseHealthyMs = median(rows.flatMap((r) => (r.lighthouse === undefined ? [] : [r.lighthouse])));
  console.log(`Lighthouse takes ${(lighthouseHealthyMs / median(rows.map((r) => r.browser ?? 0))).toFixed(1)}x the bots' time for one page of the ten.`);

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
    console.log(`\nLighthouse comparison, faulty site: web + network bots (10 pages, browser) ${Math.round(ours.ms)} ms; Lighthouse (home page only, median of ${audits.length}) ${Math.round(lighthouseMs)} ms; ratio ${(lighthouseMs / ours.ms).toFixed(1)}x`);
    console.log(`${"fault".padEnd(16)} ${"web bot".padEnd(40)} lighthouse`);
    for (const c of caught) console.log(`${c.fault.padEnd(16)} ${c.ours.padEnd(40)} ${c.lighthouse}`);
    return {
      healthy: { runs: rows, medianMs: { noBrowser: median(rows.map((r) => r.noBrowser ?? 0)), browser: median(rows.map((r) => r.browser ?? 0)), lighthouseOnePage: lighthouseHealthyMs } },
      lighthouse: { botsMs: ours.ms, lighthouseMs, ratio: lighthouseMs / ours.ms, caught },
    };
  } finally {
    await faulty.close();
  }
}
