import type { Check } from "../../catalogue";
import { BlockedAddressError } from "../../probes/address-policy";
import { describeHttpError, httpGet } from "../../probes/http";

export const webUnreachable: Check = {
  code: "web.unreachable",
  domain: "web",
  title: "Site unreachable",
  description: "The target's base URL must answer HTTP at all (any status).",
  async run({ target, signal }) {
    try {
      const res = await httpGet(target.baseUrl, signal, { readBody: false });
      return { status: "passed", evidence: { status: res.status, ttfbMs: Math.round(res.ttfbMs) } };
    } catch (err) {
      if (err instanceof BlockedAddressError) return { status: "error", reason: err.message };
      const error = describeHttpError(err);
      return {
        status: "issues",
        issues: [
          {
            severity: "critical",
            title: `${target.baseUrl} does not answer`,
            description: `An HTTP request to the site failed: ${error}. Users cannot reach it.`,
            subject: target.baseUrl,
            evidence: { url: target.baseUrl, error },
            recommendation: "Check that the web server process is running and listening, and that DNS and the load balancer point at it.",
          },
        ],
      };
    }
  },
};
