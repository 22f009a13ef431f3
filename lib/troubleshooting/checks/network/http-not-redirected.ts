import type { Check } from "../../catalogue";
import { describeHttpError } from "../../probes/http";
import { DEFAULT_SAMPLING } from "../../site/sampling";

export const netHttpNotRedirected: Check = {
  code: "net.http_not_redirected",
  domain: "network",
  title: "Plain http not redirected to https",
  description: "On an https target, plain http (port 80, or the same port) must answer with a redirect to https, or not at all (medium when it serves the page).",
  async run({ target, site }) {
    const base = new URL(target.baseUrl);
    if (base.protocol !== "https:") return { status: "skipped", reason: "not applicable: the target is served over plain http" };
    const plain = new URL(base);
    plain.protocol = "http:";
    plain.port = base.port === "" || base.port === "443" ? "" : base.port;
    let res;
    try {
      res = await site.fetcher.get(plain.toString(), { anonymous: true, followRedirects: false, readBody: false, timeoutMs: DEFAULT_SAMPLING.timeoutMs });
    } catch (err) {
      const error = describeHttpError(err);
      if (error.startsWith("refused to probe")) return { status: "error", reason: error };
      return { status: "passed", evidence: { url: plain.toString(), served: false, error } }; // nothing answers plain http: fine
    }
    const location = res.headers.location ? new URL(res.headers.location, plain) : null;
    if (res.status >= 300 && res.status < 400 && location?.protocol === "https:") return { status: "passed", evidence: { url: plain.toString(), status: res.status, location: location.origin } };
    return {
      status: "issues",
      issues: [
        {
          severity: "medium",
          title: `${plain.origin} serves plain http (${res.status})`,
          description: "Visitors who type the address without https:// stay on an unencrypted connection, and HSTS never gets a chance to take effect.",
          subject: plain.origin,
          evidence: { url: plain.toString(), status: res.status, location: location?.toString() ?? null },
          recommendation: "Redirect all plain http requests to https with a 301/308 at the load balancer or CDN (Vercel does this by default), and send Strict-Transport-Security.",
        },
      ],
    };
  },
};
