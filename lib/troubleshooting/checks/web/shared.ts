import type { CheckOutcome } from "../../catalogue";
import { type PageSnapshot, isContentPage } from "../../site/crawl";
import type { BrowserPage } from "../../site/browser";
import type { SiteProbe } from "../../site/site-probe";

/** The pages that answered, or why there is nothing to judge: checks that need an answer from
 * the site skip when it gives none (web.unreachable reports that once). A page the address policy
 * refused (a configured page, or a link, that redirects to a metadata address) is left out and
 * the other pages are judged (web.page_coverage counts it); only when no page answered and one
 * was refused is there nothing to judge for that reason (an error). */
export async function answeredPages(site: SiteProbe): Promise<{ pages: PageSnapshot[] } | { outcome: CheckOutcome }> {
  const pages = await site.pages();
  const answered = pages.filter((p) => p.status !== undefined);
  const blocked = pages.find((p) => p.blocked && p.configured);
  if (answered.length === 0 && blocked) return { outcome: { status: "error", reason: blocked.error ?? "refused by the address policy" } };
  if (answered.length === 0) return { outcome: { status: "skipped", reason: `the site did not answer (${pages[0]?.error ?? "no pages"}); see web.unreachable` } };
  return { pages: answered };
}

/** Pages whose content is worth judging: answered below 400, no redirect loop. */
export async function contentPages(site: SiteProbe): Promise<{ pages: PageSnapshot[] } | { outcome: CheckOutcome }> {
  const answered = await answeredPages(site);
  if ("outcome" in answered) return answered;
  const pages = answered.pages.filter(isContentPage);
  if (pages.length === 0) return { outcome: { status: "skipped", reason: "no page answered without an error; see web.page_error_status" } };
  return { pages };
}

/** The pages as the browser saw them, or why the browser checks cannot run. */
export async function browserPages(site: SiteProbe): Promise<{ pages: BrowserPage[] } | { outcome: CheckOutcome }> {
  // Started before the crawl is awaited: the browser visits the home page meanwhile.
  const browsing = site.browser();
  browsing.catch(() => {}); // awaited below, unless the crawl already says why not
  const content = await contentPages(site);
  if ("outcome" in content) return content;
  const report = await browsing;
  if (!report.available) return { outcome: { status: "skipped", reason: report.reason ?? "no browser" } };
  const loaded = report.pages.filter((p) => !p.error);
  if (loaded.length === 0) return { outcome: { status: "error", reason: `the browser could not load any page (${report.pages[0]?.error ?? "no pages"})` } };
  return { pages: loaded };
}

export const pathOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};
