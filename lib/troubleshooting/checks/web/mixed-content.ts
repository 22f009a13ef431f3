import type { Check } from "../../catalogue";
import { outcome } from "../outcome";
import { contentPages, pathOf } from "./shared";

export const webMixedContent: Check = {
  code: "web.mixed_content",
  domain: "web",
  title: "Mixed content",
  description: "An https page must not load scripts, stylesheets, frames (high: browsers block them) or images (medium) over plain http.",
  async run({ site }) {
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const secure = content.pages.filter((p) => new URL(p.finalUrl).protocol === "https:");
    if (secure.length === 0) return { status: "skipped", reason: "not applicable: the pages are served over plain http" };
    const issues = secure.flatMap((page) => {
      const insecure = page.refs.assets.filter((a) => a.url.startsWith("http:"));
      if (insecure.length === 0) return [];
      const active = insecure.filter((a) => a.kind !== "image" && a.kind !== "other");
      return [
        {
          severity: active.length > 0 ? ("high" as const) : ("medium" as const),
          title: `${pathOf(page.finalUrl)} loads ${insecure.length} resource${insecure.length === 1 ? "" : "s"} over http`,
          description:
            active.length > 0
              ? "Browsers block scripts, stylesheets and frames loaded over http on an https page, so parts of the page do not work."
              : "Images loaded over http make browsers show the page as not fully secure, and they can be tampered with in transit.",
          subject: page.finalUrl,
          evidence: { url: page.finalUrl, resources: insecure.slice(0, 10) },
          recommendation: "Load these resources over https (or protocol-relative to the page); add `upgrade-insecure-requests` to the Content-Security-Policy as a safety net.",
        },
      ];
    });
    return outcome(issues, { httpsPages: secure.length });
  },
};
