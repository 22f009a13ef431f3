import type { Check } from "../../catalogue";
import { outcome } from "../outcome";
import { contentPages, pathOf } from "./shared";

export const webBrokenLinks: Check = {
  code: "web.broken_links",
  domain: "web",
  title: "Broken links",
  description: "Same-origin links on the checked pages must not answer 404 or 410 (medium).",
  async run({ site }) {
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const links = await site.links();
    const issues = links
      .filter((l) => l.status === 404 || l.status === 410)
      .map((link) => ({
        severity: "medium" as const,
        title: `Broken link to ${pathOf(link.url)} (${link.status})`,
        description: `${link.from.length} page${link.from.length === 1 ? " links" : "s link"} to ${pathOf(link.url)}, which answers ${link.status}.`,
        subject: link.url,
        evidence: { url: link.url, status: link.status, linkedFrom: link.from.slice(0, 10) },
        recommendation: "Fix the link, restore the page, or add a permanent redirect (next.config `redirects()`) from the old URL.",
      }));
    return outcome(issues, { links: links.length });
  },
};
