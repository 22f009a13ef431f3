// Accessibility scans with axe-core (the engine Lighthouse and the browser extensions use) on a
// rendered page: WCAG 2.x A and AA rules; serious and critical findings fail the spec.
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  /** CSS selectors of (up to five of) the offending elements. */
  targets: string[];
}

/** The page's serious and critical axe findings (the full result is attached to the test). */
export async function seriousA11yFindings(page: Page, testInfo: TestInfo, name: string): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  await testInfo.attach(`axe-${name}.json`, { body: JSON.stringify(result.violations, null, 2), contentType: "application/json" });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, impact: v.impact ?? "", help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

/** The widths and themes every page is scanned at: a laptop and a phone, light and dark. */
export const SCAN_VIEWPORTS = [
  { name: "desktop-light", width: 1280, height: 800, colorScheme: "light" },
  { name: "desktop-dark", width: 1280, height: 800, colorScheme: "dark" },
  { name: "phone-light", width: 390, height: 844, colorScheme: "light" },
  { name: "phone-dark", width: 390, height: 844, colorScheme: "dark" },
] as const;

/** Sets the viewport and colour scheme of `page` to one of SCAN_VIEWPORTS. */
export async function setScanViewport(page: Page, viewport: (typeof SCAN_VIEWPORTS)[number]): Promise<void> {
  await page.setViewportSize({ width: viewport.width, height: viewport.height });
  await page.emulateMedia({ colorScheme: viewport.colorScheme });
}
