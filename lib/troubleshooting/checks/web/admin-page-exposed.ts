// An admin page that renders for anyone. Real apps guard the admin area in middleware with a list
// of paths, and the page someone adds later is not on it; the page then renders its table of users
// for whoever opens the URL. Each admin page is asked for without credentials, following redirects
// as a browser would, and what comes back is read: being sent to a login page, a 401/403/404 or a
// password form is protection; a 200 under the admin path that shows data is the hole. A page with
// no data (an app shell whose scripts fetch it, a "please sign in" notice) is not called exposed:
// its APIs are net.data_exposure's to judge.
import { Parser } from "htmlparser2";
import type { Check, IssueDraft } from "../../catalogue";
import type { HttpResult } from "../../probes/http";
import type { SiteProbe } from "../../site/site-probe";
import { EMAIL, askAllAnonymously, contentTypeOf, isHtml, maskEmail, shownPath } from "../exposure";
import { clip } from "./content";
import { outcome } from "../outcome";
import { answeredPages } from "./shared";

/** Admin pages asked besides those the crawl found (an admin area is seldom linked from public
 * pages, and a missed guard is typically on one page of it, not its entry). */
const WELL_KNOWN_ADMIN_PAGES = ["/admin", "/admin/users", "/admin/settings", "/admin/orders", "/dashboard"];

const ADMIN_PREFIXES = ["/admin", "/dashboard"];
const MAX_PAGES = 20;
/** Pages are asked as a browser opens them: redirects followed. */
const AS_A_BROWSER = { followRedirects: true };
/** Wording of a notice that asks to sign in or refuses, shown instead of the admin content. */
const REFUSAL = /\b(sign[ -]?in|log[ -]?in|access denied|not authori[sz]ed|unauthori[sz]ed|forbidden|permission|session (has )?expired)\b/i;

const prefixOf = (url: string): string | null => {
  const path = new URL(url).pathname;
  return ADMIN_PREFIXES.find((p) => path === p || path.startsWith(`${p}/`)) ?? null;
};

/** What an HTML page shows, for judging: no personal data is kept, only counts. */
export interface PageReading {
  title: string;
  passwordForm: boolean;
  /** Table rows with data cells. */
  tableRows: number;
  /** E-mail-like strings in the visible text. */
  emails: string[];
  /** Same-origin links to other pages under the admin prefix. */
  adminLinks: number;
  refusal: boolean;
  /** The visible text, whitespace collapsed (to tell a catch-all page apart). */
  text: string;
}

export function readPage(html: string, pageUrl: string, prefix: string): PageReading {
  const origin = new URL(pageUrl).origin;
  const self = new URL(pageUrl).pathname;
  let title = "";
  let inTitle = false;
  let hidden = 0; // inside script, style, template, noscript
  let passwordForm = false;
  let tableRows = 0;
  let rowHasCell = false;
  const adminLinks = new Set<string>();
  const text: string[] = [];
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === "script" || name === "style" || name === "template" || name === "noscript") hidden++;
      else if (name === "title") inTitle = true;
      else if (name === "input" && (attrs.type ?? "").toLowerCase() === "password") passwordForm = true;
      else if (name === "tr") rowHasCell = false;
      else if (name === "td") rowHasCell = true;
      else if (name === "a" && attrs.href) {
        try {
          const link = new URL(attrs.href, pageUrl);
          const path = link.pathname;
          if (link.origin === origin && path !== self && (path === prefix || path.startsWith(`${prefix}/`))) adminLinks.add(path);
        } catch {
          // not a URL
        }
      }
    },
    ontext(data) {
      if (inTitle) title += data;
      else if (hidden === 0) text.push(data);
    },
    onclosetag(name) {
      if (name === "script" || name === "style" || name === "template" || name === "noscript") hidden = Math.max(0, hidden - 1);
      else if (name === "title") inTitle = false;
      else if (name === "tr" && rowHasCell) tableRows++;
    },
  });
  parser.write(html);
  parser.end();
  const visible = text.join(" ").replace(/\s+/g, " ").trim();
  return {
    title: clip(title.replace(/\s+/g, " ").trim().replace(EMAIL, maskEmail), 120),
    passwordForm,
    tableRows,
    emails: [...new Set(visible.match(EMAIL) ?? [])],
    adminLinks: adminLinks.size,
    refusal: REFUSAL.test(visible) || REFUSAL.test(title),
    text: visible,
  };
}

type Verdict = { exposed: false; reason: string } | { exposed: true; severity: "critical" | "medium"; reason: string; reading: PageReading };

/** Whether the anonymous answer to an admin page shows the admin area, and why. */
function judge(url: string, res: HttpResult): Verdict {
  if (res.redirectLoop) return { exposed: false, reason: "redirect loop (see web.redirect_loop)" };
  const prefix = prefixOf(url) as string;
  const final = new URL(res.url);
  if (final.origin !== new URL(url).origin || prefixOf(res.url) !== prefix) return { exposed: false, reason: `redirected to ${shownPath(res.url)}` };
  if (res.status < 200 || res.status >= 300) return { exposed: false, reason: `answers ${res.status}` };
  if (!isHtml(res)) return { exposed: false, reason: `answers ${contentTypeOf(res) ?? "no content type"}, not a page` };
  const reading = readPage(res.body, res.url, prefix);
  if (reading.passwordForm) return { exposed: false, reason: "shows a password form (a login page)" };
  const data: string[] = [];
  if (reading.tableRows > 0 && prefix === "/admin") data.push(`a table with ${reading.tableRows} row${reading.tableRows === 1 ? "" : "s"}`);
  if (reading.emails.length > 0) data.push(`${reading.emails.length} e-mail-like text${reading.emails.length === 1 ? "" : "s"}`);
  if (data.length > 0) return { exposed: true, severity: "critical", reason: `no password form; the page shows ${data.join(" and ")}`, reading };
  if (reading.adminLinks >= 2 && !reading.refusal) {
    return { exposed: true, severity: "medium", reason: `no password form and no sign-in notice; the admin navigation renders (links to ${reading.adminLinks} admin pages), its data not in the server's HTML`, reading };
  }
  return { exposed: false, reason: reading.refusal ? "shows a sign-in or access notice" : "shows no admin content (an app shell or a notice)" };
}

export const webAdminPageExposed: Check = {
  code: "web.admin_page_exposed",
  domain: "web",
  title: "Admin page renders for anonymous visitors",
  description:
    "Admin pages (those the crawl found under /admin or /dashboard, and /admin, /admin/users, /admin/settings, /admin/orders, /dashboard) must not render for a visitor without a session. " +
    "Asked anonymously, redirects followed: a redirect out of the area (to a login page), a 4xx or a password form is protection. " +
    "A 2xx that stays under the path and shows data (table rows under /admin, e-mail-like text not on the home page) is critical; one that shows the admin navigation (links to 2+ admin pages) without data or a sign-in notice is medium. " +
    "A page identical to the site's catch-all or home page is not an admin page.",
  async run({ target, site }) {
    const answered = await answeredPages(site);
    if ("outcome" in answered) return answered.outcome;
    const discovery = await site.discovery();
    const origin = new URL(target.baseUrl).origin;
    const found = [
      ...discovery.pages.flatMap((p) => [p.url, p.finalUrl, ...p.refs.links]),
      ...discovery.unchecked.map((u) => u.url),
      ...WELL_KNOWN_ADMIN_PAGES.map((p) => new URL(p, origin).toString()),
    ];
    const candidates = [
      ...new Set(
        found.flatMap((raw) => {
          const url = new URL(raw);
          url.hash = "";
          return url.origin === origin && prefixOf(url.toString()) ? [url.toString()] : [];
        }),
      ),
    ].slice(0, MAX_PAGES);
    const asked = await askAllAnonymously(site, candidates, AS_A_BROWSER);
    if ("outcome" in asked) return asked.outcome;

    const verdicts: { url: string; res?: HttpResult; verdict: Verdict }[] = [
      ...asked.answers.map(({ url, res }) => ({ url, res, verdict: judge(url, res) })),
      ...asked.unanswered.map(({ url, error }) => ({ url, verdict: { exposed: false as const, reason: error } })),
    ];
    // A site that answers every path with the same page (an SPA fallback, a catch-all) renders
    // it under /admin too: that page is the site's, not the admin area's.
    if (verdicts.some((v) => v.verdict.exposed)) {
      const ordinary = await ordinaryTexts(site, target.baseUrl);
      for (const v of verdicts) {
        if (v.verdict.exposed && ordinary.texts.has(v.verdict.reading.text)) v.verdict = { exposed: false, reason: "the same page as the site's home or catch-all page" };
        else if (v.verdict.exposed && v.verdict.severity === "critical" && v.verdict.reading.tableRows === 0) {
          // E-mail addresses every page shows (a support address in the footer) are not data.
          const own = v.verdict.reading.emails.filter((e) => !ordinary.emails.has(e));
          if (own.length === 0) v.verdict = { exposed: false, reason: "its only e-mail-like texts are on the home page too" };
        }
      }
    }

    const issues: IssueDraft[] = verdicts.flatMap(({ url, res, verdict }) => {
      if (!verdict.exposed || !res) return [];
      const { reading } = verdict;
      return [
        {
          severity: verdict.severity,
          title: `${shownPath(url)} renders for anonymous visitors${verdict.severity === "critical" ? " with its data" : ""}`,
          description:
            verdict.severity === "critical"
              ? "A visitor without a session opened this admin page and got its content: anyone with the URL sees what the admins see."
              : "A visitor without a session gets the admin interface (its navigation and layout); its data did not appear in the server's HTML, but nothing stopped the visit.",
          subject: url,
          evidence: {
            url,
            finalUrl: res.url,
            status: res.status,
            title: reading.title,
            reason: verdict.reason,
            requestCredentials: "none",
            redirects: res.redirects.length,
            passwordForm: reading.passwordForm,
            tableRows: reading.tableRows,
            emailLikeTexts: reading.emails.length,
            adminLinks: reading.adminLinks,
          },
          recommendation:
            "Guard the whole admin area where it renders: in app/admin/layout.tsx (or each page) read the session and redirect() to the login page unless the user has the admin role, so that a page added later is covered. " +
            "A middleware/proxy list of protected paths misses new pages; keep it only as a second layer. Also check the admin APIs these pages use (net.data_exposure).",
        },
      ];
    });
    return outcome(issues, { pages: verdicts.map((v) => ({ url: v.url, status: v.res?.status ?? null, finalUrl: v.res?.url ?? null, verdict: v.verdict.reason })) });
  },
};

/** The visible text and e-mail-like texts of the home page and of a path the site cannot have. */
async function ordinaryTexts(site: SiteProbe, baseUrl: string): Promise<{ texts: Set<string>; emails: Set<string> }> {
  const origin = new URL(baseUrl).origin;
  const pages = await Promise.all([baseUrl, `${origin}/admin/troubleshooter-absent-page`].map((url) => site.anonymous(url, AS_A_BROWSER)));
  const texts = new Set<string>();
  const emails = new Set<string>();
  for (const { res } of pages) {
    if (!res || res.status >= 300 || !isHtml(res)) continue;
    const reading = readPage(res.body, res.url, "/admin");
    texts.add(reading.text);
    for (const e of reading.emails) emails.add(e);
  }
  return { texts, emails };
}
