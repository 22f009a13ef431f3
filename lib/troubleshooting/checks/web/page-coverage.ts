// What the web checks could see. A site whose navigation is rendered on the client links to nothing
// in its server HTML: a run that checked one page of a site with more must say so, and say how each
// checked page was found, never stay silent.
import type { Check, IssueDraft } from "../../catalogue";
import type { PageSource } from "../../site/crawl";
import { isReferenced } from "../../site/endpoints";
import { answeredPages } from "./shared";

const SOURCE_NAMES: Record<PageSource, string> = {
  start: "the start page",
  configured: "configured (TARGET_PAGES)",
  link: "links in the server HTML",
  "rendered-link": "links rendered in the browser",
  sitemap: "the sitemap",
  "build-manifest": "the Next.js build manifest",
};

export const webPageCoverage: Check = {
  code: "web.page_coverage",
  domain: "web",
  title: "Pages found and checked",
  description:
    "Says how many pages were found and checked, and how each was found (server links, links rendered after hydration, the sitemap, the build manifest). Info when pages were found but not checked (over TARGET_CRAWL_LIMIT), or when only one page was checked while its links could not all be seen (the browser did not run).",
  async run({ site }) {
    const answered = await answeredPages(site);
    if ("outcome" in answered) return answered.outcome;
    const [discovery, endpoints] = await Promise.all([site.discovery(), site.endpoints()]);
    const judged = discovery.pages.filter((p) => !p.blocked && p.leavesFor === undefined);
    const checked = judged.length;
    const bySource = new Map<PageSource, number>();
    for (const page of judged) {
      const first = page.foundBy[0] ?? "link";
      bySource.set(first, (bySource.get(first) ?? 0) + 1);
    }
    const how = [...bySource].map(([source, n]) => `${n} from ${SOURCE_NAMES[source]}`).join(", ");
    const found = endpoints.filter(isReferenced).length;
    const refused = discovery.pages.filter((p) => p.blocked).length;
    const leaving = discovery.pages.filter((p) => p.leavesFor !== undefined);
    const note =
      `Checked ${checked} page${checked === 1 ? "" : "s"} (${how})` +
      (discovery.unchecked.length > 0 ? `; ${discovery.unchecked.length} more found but not checked (limit ${discovery.limit})` : "") +
      (refused > 0 ? `; ${refused} refused by the address policy (a link or redirect to a link-local, metadata or 0.0.0.0 address)` : "") +
      (leaving.length > 0 ? `; ${leaving.length} linked page${leaving.length === 1 ? " redirects" : "s redirect"} to another origin, not followed (not the target)` : "") +
      (discovery.sitemapPages === null ? "; no sitemap" : `; the sitemap lists ${discovery.sitemapPages}`) +
      `; ${discovery.browser.available ? "links rendered in the browser followed" : `the browser did not run (${discovery.browser.reason}), so links rendered on the client were not seen`}` +
      (discovery.browser.refused.length > 0 ? `; the pages' requests to ${discovery.browser.refused.length} URL${discovery.browser.refused.length === 1 ? "" : "s"} the address policy refuses were not made` : "") +
      `; ${endpoints.length} API endpoint${endpoints.length === 1 ? "" : "s"} judged, ${found} of them found on the pages.`;
    const evidence = {
      checked,
      pages: discovery.pages.slice(0, 50).map((p) => ({ url: p.url, foundBy: p.foundBy, status: p.status ?? null, ...(p.leavesFor === undefined ? {} : { leavesFor: p.leavesFor }) })),
      unchecked: discovery.unchecked.slice(0, 50),
      limit: discovery.limit,
      sitemapPages: discovery.sitemapPages,
      browser: discovery.browser.available,
      refusedInBrowser: discovery.browser.refused,
      endpoints: endpoints.map((e) => ({ url: e.url, foundBy: e.sources })),
    };
    const issues: IssueDraft[] = [];
    const home = discovery.pages[0];
    if (discovery.unchecked.length > 0) {
      issues.push({
        severity: "info",
        title: `Checked ${checked} of ${checked + discovery.unchecked.length} pages found`,
        description: `Discovery stopped at the limit of ${discovery.limit} pages; ${discovery.unchecked.length} more were found and not checked, so problems there are not in this report.`,
        subject: `${new URL(home?.url ?? "http://x").origin} coverage`,
        evidence,
        recommendation: "Raise TARGET_CRAWL_LIMIT (up to 100), or list the pages that matter in TARGET_PAGES.",
      });
    } else if (checked === 1 && !discovery.browser.available && (home?.refs.assets.some((a) => a.kind === "script") ?? false)) {
      issues.push({
        severity: "info",
        title: "Only one page was checked: links rendered on the client could not be seen",
        description: `The start page's server HTML links to no other page${discovery.sitemapPages ? "" : " and there is no sitemap"}, and it loads scripts that may render the navigation in the browser; the browser did not run (${discovery.browser.reason}). Other pages of the site were not checked.`,
        subject: `${new URL(home?.url ?? "http://x").origin} coverage`,
        evidence,
        recommendation: "Run with the browser, serve a sitemap.xml, or list the pages in TARGET_PAGES.",
      });
    }
    return issues.length > 0 ? { status: "issues", issues, note } : { status: "passed", evidence, note };
  },
};
