import type { Check } from "../../catalogue";

export const webUnreachable: Check = {
  code: "web.unreachable",
  domain: "web",
  title: "Site unreachable",
  description: "The target's base URL must answer HTTP at all (any status).",
  async run({ target, site }) {
    const [home] = await site.pages();
    if (!home) return { status: "error", reason: "no page to probe" };
    if (home.blocked) return { status: "error", reason: home.error ?? "refused by the address policy" };
    if (home.status !== undefined) return { status: "passed", evidence: { status: home.status, ttfbMs: home.ttfbMs } };
    return {
      status: "issues",
      issues: [
        {
          severity: "critical",
          title: `${target.baseUrl} does not answer`,
          description: `An HTTP request to the site failed: ${home.error}. Users cannot reach it.`,
          subject: target.baseUrl,
          evidence: { url: home.url, error: home.error },
          recommendation: "Check that the web server process is running and listening, and that DNS and the load balancer point at it.",
        },
      ],
    };
  },
};
