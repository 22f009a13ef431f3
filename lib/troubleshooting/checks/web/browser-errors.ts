// Browser-level checks that read the pages' errors (one visit per page, shared).
import type { Check, IssueDraft } from "../../catalogue";
import { outcome } from "../outcome";
import { browserPages, pathOf } from "./shared";

/** React's hydration mismatch, in development wording and as production error codes
 * (#418 text, #419/#422/#423 recovery, #425 text content). */
export const HYDRATION = /hydrat|Minified React error #(418|419|422|423|425)\b|react\.dev\/errors\/(418|419|422|423|425)\b/i;

export const webConsoleErrors: Check = {
  code: "web.console_errors",
  domain: "web",
  title: "Errors in the browser console",
  description: "In a real headless Chromium, pages must not throw uncaught exceptions or unhandled rejections (high) or log console.error (medium). Hydration errors are web.hydration_error's.",
  async run({ site }) {
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const issues: IssueDraft[] = [];
    for (const page of seen.pages) {
      const thrown = page.pageErrors.filter((m) => !HYDRATION.test(m));
      const logged = page.consoleErrors.filter((m) => !HYDRATION.test(m));
      if (thrown.length + logged.length === 0) continue;
      issues.push({
        severity: thrown.length > 0 ? "high" : "medium",
        title: `${pathOf(page.url)}: ${thrown.length > 0 ? `${thrown.length} uncaught error${thrown.length === 1 ? "" : "s"}` : `${logged.length} console error${logged.length === 1 ? "" : "s"}`}`,
        description: thrown.length > 0 ? `The page throws in the browser: "${thrown[0]}". Interactive parts after the error may not work.` : `The page logs errors: "${logged[0]}".`,
        subject: page.url,
        evidence: { url: page.url, uncaught: thrown, consoleErrors: logged },
        recommendation: "Reproduce in a browser with the console open; the stack trace names the component. Wrap risky client code in an error boundary so one failure does not take the page down.",
      });
    }
    return outcome(issues, { pages: seen.pages.length });
  },
};

export const webHydrationError: Check = {
  code: "web.hydration_error",
  domain: "web",
  title: "React hydration mismatch",
  description: "The HTML rendered on the server must match what React renders in the browser (high): a mismatch re-renders the page on the client and can lose state.",
  async run({ site }) {
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const issues: IssueDraft[] = seen.pages.flatMap((page) => {
      const messages = [...page.pageErrors, ...page.consoleErrors].filter((m) => HYDRATION.test(m));
      if (messages.length === 0) return [];
      return [
        {
          severity: "high" as const,
          title: `${pathOf(page.url)}: hydration mismatch`,
          description: `React could not hydrate the server HTML ("${messages[0]}"); it threw the server HTML away and rendered again on the client.`,
          subject: page.url,
          evidence: { url: page.url, messages },
          recommendation:
            "Look for render output that differs between server and browser: Date.now()/new Date(), Math.random(), `typeof window` branches, locale-dependent formatting, or invalid HTML nesting (<div> in <p>). Move browser-only values into useEffect, or render them with suppressHydrationWarning where the difference is intended.",
        },
      ];
    });
    return outcome(issues, { pages: seen.pages.length });
  },
};

export const webFailedRequests: Check = {
  code: "web.failed_requests",
  domain: "web",
  title: "Requests that fail in the browser",
  description: "Requests a page makes while loading (scripts, data fetches, images) must not fail or answer 4xx/5xx (medium; high for scripts and fetches of the page's own origin).",
  async run({ site }) {
    const seen = await browserPages(site);
    if ("outcome" in seen) return seen.outcome;
    const issues: IssueDraft[] = seen.pages.flatMap((page) => {
      if (page.failedRequests.length === 0) return [];
      const sameOrigin = page.failedRequests.filter((r) => new URL(r.url).origin === new URL(page.url).origin);
      return [
        {
          severity: sameOrigin.length > 0 ? ("high" as const) : ("medium" as const),
          title: `${pathOf(page.url)}: ${page.failedRequests.length} failed request${page.failedRequests.length === 1 ? "" : "s"}`,
          description: `While loading, the page made requests that failed, e.g. ${page.failedRequests[0]?.url} (${page.failedRequests[0]?.failure}).`,
          subject: page.url,
          evidence: { url: page.url, failedRequests: page.failedRequests },
          recommendation: "Restore what the requests point at (a missing chunk means a broken deploy: redeploy or roll back); for API calls, see the network bot's findings for that endpoint.",
        },
      ];
    });
    return outcome(issues, { pages: seen.pages.length });
  },
};
