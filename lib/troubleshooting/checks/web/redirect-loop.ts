import type { Check } from "../../catalogue";
import { outcome } from "../outcome";
import { answeredPages, pathOf } from "./shared";

export const webRedirectLoop: Check = {
  code: "web.redirect_loop",
  domain: "web",
  title: "Redirect loop",
  description: "Following a page's redirects must end at a page: coming back to a URL already visited, or more than 10 hops, is a loop (high).",
  async run({ site }) {
    const answered = await answeredPages(site);
    if ("outcome" in answered) return answered.outcome;
    const issues = answered.pages
      .filter((p) => p.redirectLoop)
      .map((page) => ({
        severity: "high" as const,
        title: `${pathOf(page.url)} redirects in a loop`,
        description: `Browsers give up with "too many redirects": ${page.redirects.map(pathOf).join(" → ")}.`,
        subject: page.url,
        evidence: { url: page.url, chain: page.redirects, status: page.status },
        recommendation:
          "Look at the redirects in next.config (redirects()), middleware/proxy and the host's domain settings: a common cause is an http→https or www→apex rule at the CDN that the app reverses, or a login redirect to a page that itself requires login.",
      }));
    return outcome(issues, { pages: answered.pages.length });
  },
};
