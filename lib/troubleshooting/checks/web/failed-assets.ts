// Assets that do not load, or load as something else: a status is not a verdict. After a deploy,
// a catch-all route, a rewrite or a CDN fallback often answers a chunk of the previous build with
// `200 text/html`: the status is fine and the page is broken.
import type { Check, IssueDraft } from "../../catalogue";
import type { AssetSnapshot } from "../../site/resources";
import type { BrowserPage } from "../../site/browser";
import { outcome } from "../outcome";
import { type WrongContent, bodyStart, clip, expectedName, wrongContent } from "./content";
import { isChunk, onVercel, platformFailure, roleOf, failureSeverity, thirdPartyFailure } from "./resource-roles";
import { contentPages, pathOf } from "./shared";

type Kind = AssetSnapshot["kind"];

export const webFailedAssets: Check = {
  code: "web.failed_assets",
  domain: "web",
  title: "Broken assets",
  description:
    "Every script, stylesheet, image and frame a page references must load, and scripts and stylesheets must be JavaScript and CSS (a 200 answer with an HTML page, another content type, or a body that is an HTML document is a failure too). A `_next/static` chunk that fails is the classic broken deploy (critical); other scripts and stylesheets are high, images medium.",
  async run({ site }) {
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const [assets, browser] = await Promise.all([site.assets(), site.browser()]);
    const origin = new URL(content.pages[0]?.finalUrl ?? content.pages[0]?.url ?? "http://invalid").origin;
    const vercel = onVercel(content.pages);
    const issues: IssueDraft[] = [];
    for (const asset of assets.filter((a) => a.error !== undefined || (a.status ?? 0) >= 400)) {
      issues.push(failedIssue(asset, new URL(asset.url).origin === new URL(asset.pages[0] ?? origin).origin, vercel));
    }
    const judged = new Set(assets.map((a) => a.url));
    // Besides the server HTML's assets, chunks loaded by the browser only (lazy chunks, route
    // chunks after hydration), which no server HTML names: the browser saw their content type.
    for (const wrong of [...wrongAssets(assets), ...browserWrongAssets(browser.available ? browser.pages : [], judged)]) {
      issues.push(issue(wrong.url, wrong.kind, `answers ${wrong.status} ${wrong.answered}, not ${expectedName(wrong.kind)}`, wrong.evidence, wrong.pages, wrongDescription(wrong), true));
    }
    return outcome(issues, { assets: assets.length });
  },
};

interface Wrong extends WrongContent {
  url: string;
  kind: "script" | "stylesheet";
  status: number;
  pages: string[];
  evidence: Record<string, unknown>;
}

const isCode = (kind: Kind): kind is "script" | "stylesheet" => kind === "script" || kind === "stylesheet";

/** Scripts and stylesheets that answered 2xx with something the browser cannot use: judged by the
 * content type, and for same-origin ones also by the start of the body the probe read (a catch-all
 * that labels its HTML page by the file extension still serves HTML). */
function wrongAssets(assets: AssetSnapshot[]): Wrong[] {
  return assets.flatMap((asset): Wrong[] => {
    if (!isCode(asset.kind) || asset.status === undefined || asset.status < 200 || asset.status >= 300) return [];
    const kind = asset.kind;
    const contentType = asset.headers["content-type"];
    const nosniff = /nosniff/i.test(asset.headers["x-content-type-options"] ?? "");
    const byType = wrongContent(kind, asset.url, contentType, { nosniff });
    if (byType) return [wrong(asset, kind, byType, {})];
    if (asset.bodyStart === undefined) return [];
    const byBody = wrongContent(kind, asset.url, contentType, { nosniff, body: asset.bodyStart });
    return byBody ? [wrong(asset, kind, byBody, { bodyStart: bodyStart(asset.bodyStart) })] : [];
  });
}

function wrong(asset: AssetSnapshot, kind: "script" | "stylesheet", what: WrongContent, extra: Record<string, unknown>): Wrong {
  const status = asset.status as number;
  return { ...what, url: asset.url, kind, status, pages: asset.pages, evidence: { status, contentType: what.contentType, ...extra } };
}

function browserWrongAssets(pages: BrowserPage[], judged: Set<string>): Wrong[] {
  const byUrl = new Map<string, Wrong>();
  for (const page of pages) {
    for (const r of page.requests) {
      if ((r.resourceType !== "script" && r.resourceType !== "stylesheet") || judged.has(r.url)) continue;
      if (r.status === undefined || r.status < 200 || r.status >= 300 || !r.contentType) continue; // no headers, no verdict
      const known = byUrl.get(r.url);
      if (known) {
        if (!known.pages.includes(page.url)) known.pages.push(page.url);
        continue;
      }
      const what = wrongContent(r.resourceType, r.url, r.contentType);
      if (what) byUrl.set(r.url, { ...what, url: r.url, kind: r.resourceType, status: r.status, pages: [page.url], evidence: { status: r.status, contentType: what.contentType, seenBy: "browser" } });
    }
  }
  return [...byUrl.values()];
}

function wrongDescription(w: Wrong): string {
  const what = `It answered ${w.status} with ${w.answered} instead of ${expectedName(w.kind)}`;
  return isChunk(w.url)
    ? `A build chunk the page needs does not load as ${expectedName(w.kind)}. ${what}: a catch-all route, rewrite or CDN fallback answers for a file that is not deployed, so the browser refuses it (or runs HTML as script and throws), and the page never hydrates. The HTML and the static files come from different deployments.`
    : `${what}; the browser cannot use it, so the page runs without it.`;
}

/** An asset that does not load: what it means depends on whose it is (resource-roles.ts). */
function failedIssue(asset: AssetSnapshot, own: boolean, vercel: boolean): IssueDraft {
  const failure = asset.error ?? `HTTP ${asset.status}`;
  const role = roleOf(asset.url, isCode(asset.kind), own);
  const evidence = { status: asset.status, error: asset.error };
  const where = ` (${asset.pages.length} page${asset.pages.length === 1 ? "" : "s"})`;
  if (role === "platform" || role === "analytics" || role === "third-party" || role === "third-party-code") {
    const said = role === "platform" ? platformFailure(asset.url, failure, vercel, where) : thirdPartyFailure(asset.url, asset.kind, failure, role, where);
    return {
      severity: failureSeverity(role, vercel, "high"),
      title: `${asset.kind} ${clip(own ? pathOf(asset.url) : asset.url, 120)} fails (${failure})`,
      description: said.description,
      subject: asset.url,
      evidence: { url: asset.url, kind: asset.kind, ...evidence, pages: asset.pages.slice(0, 10) },
      recommendation: said.recommendation,
    };
  }
  const description = isChunk(asset.url)
    ? "A build chunk the page needs is missing: the page's JavaScript or CSS does not load, so it renders broken or not at all. This usually means the HTML and the static files come from different deployments."
    : `A ${asset.kind} the page references does not load (${failure}).`;
  return issue(asset.url, asset.kind, `fails (${failure})`, evidence, asset.pages, description, false);
}

function issue(url: string, kind: Kind, what: string, evidence: Record<string, unknown>, pages: string[], description: string, contentFailure: boolean): IssueDraft {
  const chunk = isChunk(url);
  return {
    severity: chunk ? "critical" : isCode(kind) ? "high" : "medium",
    title: `${kind} ${clip(pathOf(url), 120)} ${what}`,
    description,
    subject: url,
    evidence: { url, kind, ...evidence, pages: pages.slice(0, 10) },
    recommendation: chunk
      ? "Redeploy so that HTML and static files come from the same build, or roll back to the previous deployment; make sure the CDN does not serve cached HTML of an older build (purge or revalidate), and that no catch-all route, rewrite or SPA fallback answers missing /_next/static files with a page (they must answer 404)."
      : contentFailure
        ? "Restore the file at this path, or fix the reference in the page; if a rewrite, catch-all page or proxy fallback answers for it, exclude static files from it so that a missing file answers 404."
        : "Restore the file or fix the reference in the page.",
  };
}
