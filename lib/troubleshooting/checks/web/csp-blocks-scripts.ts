// A Content-Security-Policy that stops the page's own scripts: the server HTML shows, but React
// never hydrates, so nothing on the page responds. One cause for the whole site, reported once
// with its directive and the policy, instead of a console error on every page.
import type { Check, IssueDraft } from "../../catalogue";
import type { PageSnapshot } from "../../site/crawl";
import { outcome } from "../outcome";
import { type CspRefusal, scriptRefusals } from "./browser-echoes";
import { clip, pagesText } from "./content";
import { browserPages, pathOf } from "./shared";

interface Blocked {
  page: string;
  refusal: CspRefusal;
  /** The script is the page's own: inline, or from the page's origin. */
  own: boolean;
}

export const webCspBlocksScripts: Check = {
  code: "web.csp_blocks_scripts",
  domain: "web",
  title: "Content-Security-Policy blocks the page's scripts",
  description:
    "Chromium must not refuse the pages' scripts under their Content-Security-Policy. Refused inline scripts or same-origin script files are high: the page never hydrates (Next.js inlines its bootstrap and data scripts). A refused eval alone is medium; refused third-party scripts alone are low. Report-only violations block nothing and are not judged.",
  async run({ site, target }) {
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const blocked: Blocked[] = seen.pages.flatMap((page) => scriptRefusals(page).map((r) => ({ page: page.url, ...r })));
    if (blocked.length === 0) return outcome([], { pages: seen.pages.length });
    return outcome([siteIssue(new URL(target.baseUrl).origin, blocked, await site.pages())], { pages: seen.pages.length });
  },
};

function siteIssue(origin: string, blocked: Blocked[], snapshots: PageSnapshot[]): IssueDraft {
  const own = blocked.filter((b) => b.own && b.refusal.what !== "eval");
  const evalOnly = own.length === 0 && blocked.some((b) => b.refusal.what === "eval");
  const judged = own.length > 0 ? own : evalOnly ? blocked.filter((b) => b.refusal.what === "eval") : blocked;
  const pages = [...new Set(judged.map((b) => b.page))];
  const directives = [...new Set(judged.map((b) => b.refusal.directive).filter(Boolean))];
  const snapshot = snapshots.find((p) => pages.includes(p.url) || pages.includes(p.finalUrl));
  const header = snapshot?.headers["content-security-policy"];
  const policy = header === undefined ? null : clip(header, 1_000);
  const inline = judged.filter((b) => b.refusal.what === "inline").length;
  const files = [...new Set(judged.flatMap((b) => (b.refusal.what === "script" && b.refusal.url ? [b.refusal.url] : [])))];
  const where = policy ? `The policy comes from the pages' Content-Security-Policy header: "${clip(policy, 300)}".` : "The pages' responses carry no Content-Security-Policy header, so the policy comes from a <meta http-equiv> tag in the HTML.";
  const on = pagesText(pages);
  const evidence = { directive: directives[0] ?? null, directives, policy, pages: pages.slice(0, 20), inlineScriptsRefused: inline, scriptsRefused: files.slice(0, 10) };
  if (own.length > 0) {
    const what = [inline > 0 ? `${inline} inline script${inline === 1 ? "" : "s"}` : "", files.length > 0 ? `${files.length} of its own script file${files.length === 1 ? "" : "s"} (${files.slice(0, 3).map(pathOf).join(", ")})` : ""].filter(Boolean).join(" and ");
    return {
      severity: "high",
      title: `Content-Security-Policy blocks the site's own scripts (${clip(directives[0] ?? "script-src", 80)})`,
      description: `Chromium refused to run ${what} under the directive ${directives.map((d) => `"${d}"`).join(", ") || "script-src"} on ${on}. The server HTML shows, but the page never hydrates: links rendered on the client, buttons, forms and menus do not work. ${where}`,
      subject: `${origin}/`,
      evidence,
      recommendation:
        inline > 0
          ? "Next.js needs its inline scripts (the bootstrap and the `self.__next_f.push` data). Either give them a nonce: in middleware, create a fresh nonce per request, send `script-src 'self' 'nonce-<nonce>' 'strict-dynamic'` and pass the same Content-Security-Policy on the request headers so Next.js adds the nonce to its scripts (the pages then render per request); or allow them with 'unsafe-inline' in script-src. Fix the header where it is set (next.config.js headers(), middleware, or the proxy/CDN), then load a page with the console open: no \"Refused to execute\" messages."
          : "Allow the site's own scripts: add 'self' (and the origin the chunks load from, e.g. an assetPrefix CDN) to script-src, or to script-src-elem when that is set. Fix the header where it is set (next.config.js headers(), middleware, or the proxy/CDN).",
    };
  }
  if (evalOnly) {
    return {
      severity: "medium",
      title: `Content-Security-Policy refuses eval on ${pages.length} page${pages.length === 1 ? "" : "s"}`,
      description: `Chromium refused a script's eval()/new Function under "${directives[0] ?? "script-src"}" on ${on}; the code that needed it fails. ${where}`,
      subject: `${origin}/`,
      evidence,
      recommendation: "Find the library that evaluates strings (the console stack names it) and replace it or use its CSP-safe build; add 'unsafe-eval' only if there is no other way.",
    };
  }
  const hosts = [...new Set(judged.flatMap((b) => (b.refusal.url && URL.canParse(b.refusal.url) ? [new URL(b.refusal.url).host] : [])))];
  return {
    severity: "low",
    title: `Content-Security-Policy blocks third-party scripts (${hosts.slice(0, 3).join(", ")})`,
    description: `Chromium refused scripts of ${hosts.join(", ")} under "${directives[0] ?? "script-src"}" on ${on}; the site's own scripts run, but whatever these provide (analytics, widgets) does not. ${where}`,
    subject: `${origin}/`,
    evidence: { ...evidence, hosts },
    recommendation: "If the pages need these scripts, add their origins to script-src; if not, remove the tags that load them.",
  };
}
