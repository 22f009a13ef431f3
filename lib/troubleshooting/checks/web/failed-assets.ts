import type { Check } from "../../catalogue";
import { outcome } from "../outcome";
import { contentPages, pathOf } from "./shared";

export const webFailedAssets: Check = {
  code: "web.failed_assets",
  domain: "web",
  title: "Broken assets",
  description: "Every script, stylesheet, image and frame a page references must load: a missing `_next/static` chunk is the classic broken deploy (critical); other scripts and stylesheets are high, images medium.",
  async run({ site }) {
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const assets = await site.assets();
    const issues = assets
      .filter((a) => a.error !== undefined || (a.status ?? 0) >= 400)
      .map((asset) => {
        const chunk = new URL(asset.url).pathname.startsWith("/_next/static/");
        const failure = asset.error ?? `HTTP ${asset.status}`;
        return {
          severity: chunk ? ("critical" as const) : asset.kind === "script" || asset.kind === "stylesheet" ? ("high" as const) : ("medium" as const),
          title: `${asset.kind} ${pathOf(asset.url)} fails (${failure})`,
          description: chunk
            ? "A build chunk the page needs is missing: the page's JavaScript or CSS does not load, so it renders broken or not at all. This usually means the HTML and the static files come from different deployments."
            : `A ${asset.kind} the page references does not load (${failure}).`,
          subject: asset.url,
          evidence: { url: asset.url, kind: asset.kind, status: asset.status, error: asset.error, pages: asset.pages.slice(0, 10) },
          recommendation: chunk
            ? "Redeploy so that HTML and static files come from the same build, or roll back to the previous deployment; make sure the CDN does not serve cached HTML of an older build (purge or revalidate)."
            : "Restore the file or fix the reference in the page.",
        };
      });
    return outcome(issues, { assets: assets.length });
  },
};
