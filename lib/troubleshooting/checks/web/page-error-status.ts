import type { Check, IssueDraft } from "../../catalogue";
import { outcome } from "../outcome";
import { answeredPages, pathOf } from "./shared";

/** 401/403 mean the page exists behind a login: not an error of the site. */
const AUTH_STATUSES = new Set([401, 403]);

export const webPageErrorStatus: Check = {
  code: "web.page_error_status",
  domain: "web",
  title: "Page answers with an error status",
  description: "Every page must answer below 400: 5xx is critical; 4xx (other than 401/403) on a configured page or the base URL is high. A 4xx on a linked page is a broken link.",
  async run({ site }) {
    const answered = await answeredPages(site);
    if ("outcome" in answered) return answered.outcome;
    const issues: IssueDraft[] = [];
    for (const page of answered.pages) {
      const status = page.status as number;
      const serverError = status >= 500;
      if (!serverError && !(status >= 400 && page.configured && !AUTH_STATUSES.has(status))) continue;
      issues.push({
        severity: serverError ? "critical" : "high",
        title: `${pathOf(page.finalUrl)} answers ${status}`,
        description: serverError
          ? `The page fails on the server (HTTP ${status}); users see an error page.`
          : `A configured page answers HTTP ${status}; visitors and links to it land on an error.`,
        subject: page.url,
        evidence: { url: page.finalUrl, status, redirects: page.redirects, ttfbMs: page.ttfbMs },
        recommendation: serverError
          ? "Read the server logs around the time of the run for the exception behind the 5xx; check the database and upstream APIs it depends on. If it began with the last deploy, roll back."
          : "Restore the page, or redirect its URL to where the content now lives, or remove it from TARGET_PAGES.",
      });
    }
    return outcome(issues, { pages: answered.pages.map((p) => ({ url: p.url, status: p.status })) });
  },
};
