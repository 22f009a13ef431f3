// One Lighthouse audit (performance and best practices, desktop, simulated throttling) with the
// same Chromium the browser checks use, for comparison with the web bot.
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { desktopConfig } from "lighthouse";
import { chromiumLaunch } from "../../lib/troubleshooting/site/chromium";

export interface LighthouseAudit {
  ms: number;
  /** Audit id → score (0..1, null when informative) and what it measured. */
  audits: Record<string, { score: number | null; numericValue?: number; items: string[] }>;
}

export async function lighthouseAudit(url: string): Promise<LighthouseAudit> {
  const launch = await chromiumLaunch();
  const chrome = await chromeLauncher.launch({ chromePath: launch.executablePath, chromeFlags: ["--headless=new", "--disable-gpu", ...launch.args] });
  const config = {
    ...desktopConfig,
    settings: { ...desktopConfig.settings, screenEmulation: { disabled: true }, disableFullPageScreenshot: true, skipAudits: ["bf-cache", "screenshot-thumbnails", "final-screenshot"] },
  };
  try {
    const started = performance.now();
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "best-practices"] }, config);
    const ms = performance.now() - started;
    if (!result) throw new Error("Lighthouse returned no result");
    const audits = Object.fromEntries(
      Object.entries(result.lhr.audits).map(([id, audit]) => {
        const details = audit.details as { items?: Record<string, unknown>[] } | undefined;
        const items = (Array.isArray(details?.items) ? details.items : []).map((item) => String(item.description ?? item.url ?? JSON.stringify(item)).slice(0, 160));
        return [id, { score: audit.score, numericValue: audit.numericValue, items }];
      }),
    );
    return { ms, audits };
  } finally {
    await chrome.kill();
  }
}
