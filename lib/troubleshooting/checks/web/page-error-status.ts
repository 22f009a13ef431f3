import type { Check } from "../../catalogue";
import { type HttpResult, httpGet } from "../../probes/http";
import { skippedUnreachable } from "./shared";

/** 401/403 mean the page exists behind a login: not an error of the site. */
const AUTH_STATUSES = new Set([401, 403]);

export const webPageErrorStatus: Check = {
  code: "web.page_error_status",
  domain: "web",
  title: "Page answers with an error status",
  description: "The base URL (after redirects) must not answer 5xx (high) or 4xx other than 401/403 (medium).",
  async run({ target, signal }) {
    let res: HttpResult;
    try {
      res = await httpGet(target.baseUrl, signal);
    } catch (err) {
      return skippedUnreachable(err);
    }
    if (res.status < 400 || AUTH_STATUSES.has(res.status)) return { status: "passed", evidence: { url: res.url, status: res.status } };
    const serverError = res.status >= 500;
    return {
      status: "issues",
      issues: [
        {
          severity: serverError ? "high" : "medium",
          title: `${new URL(res.url).pathname} answers ${res.status}`,
          description: serverError
            ? `The page fails on the server (HTTP ${res.status}); users see an error page.`
            : `The page answers HTTP ${res.status}; links to it are broken.`,
          subject: res.url,
          evidence: { url: res.url, status: res.status, redirects: res.redirects, bodyExcerpt: res.body.slice(0, 300) },
          recommendation: serverError
            ? "Read the server logs around the time of the run for the exception behind the 5xx; check the database and upstream APIs it depends on."
            : "Restore the page or redirect its URL to where the content now lives.",
        },
      ],
    };
  },
};
