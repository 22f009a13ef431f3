import type { Check } from "../../catalogue";
import type { PageSnapshot } from "../../site/crawl";
import { outcome } from "../outcome";
import { contentPages } from "./shared";

interface HeaderRule {
  name: string;
  serious: boolean;
  present(headers: Record<string, string>, https: boolean): boolean;
}

const RULES: HeaderRule[] = [
  { name: "Content-Security-Policy", serious: true, present: (h) => Boolean(h["content-security-policy"]) },
  {
    name: "frame-ancestors or X-Frame-Options",
    serious: true,
    present: (h) => /frame-ancestors/i.test(h["content-security-policy"] ?? "") || /^(deny|sameorigin)$/i.test((h["x-frame-options"] ?? "").trim()),
  },
  { name: "Strict-Transport-Security", serious: true, present: (h, https) => !https || /max-age=[1-9]/i.test(h["strict-transport-security"] ?? "") },
  { name: "X-Content-Type-Options", serious: false, present: (h) => (h["x-content-type-options"] ?? "").trim().toLowerCase() === "nosniff" },
  { name: "Referrer-Policy", serious: false, present: (h) => Boolean(h["referrer-policy"]) },
];

export const webMissingSecurityHeaders: Check = {
  code: "web.missing_security_headers",
  domain: "web",
  title: "Missing security headers",
  description:
    "HTML pages must send Content-Security-Policy, frame-ancestors (or X-Frame-Options), Strict-Transport-Security (on https), X-Content-Type-Options: nosniff and Referrer-Policy. Medium when one of the first three is missing, else low.",
  async run({ target, site }) {
    const content = await contentPages(site);
    if ("outcome" in content) return content.outcome;
    const html = content.pages.filter((p) => (p.headers["content-type"] ?? "").includes("html"));
    const missing = RULES.map((rule) => ({ rule, pages: html.filter((p) => !rule.present(p.headers, isHttps(p))).map((p) => p.finalUrl) })).filter(
      (m) => m.pages.length > 0,
    );
    if (missing.length === 0) return outcome([], { pages: html.length });
    const names = missing.map((m) => m.rule.name);
    return outcome(
      [
        {
          severity: missing.some((m) => m.rule.serious) ? "medium" : "low",
          title: `Missing security headers: ${names.join(", ")}`,
          description: "Without these headers the pages are easier to attack: script injection (CSP), clickjacking (frame-ancestors), protocol downgrade (HSTS), MIME sniffing, and leaking URLs to other sites.",
          subject: `${new URL(target.baseUrl).origin} security headers`,
          evidence: { missing: missing.map((m) => ({ header: m.rule.name, pages: m.pages.slice(0, 10) })), pagesChecked: html.length },
          recommendation: "Add the headers in next.config `headers()` for every path (the advice action has a ready snippet), or in the proxy/CDN in front of the app.",
        },
      ],
      {},
    );
  },
};

const isHttps = (page: PageSnapshot) => new URL(page.finalUrl).protocol === "https:";
