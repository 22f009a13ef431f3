import type { Check, IssueDraft } from "../../catalogue";
import { DEFAULT_SAMPLING, isAdminEndpoint } from "../../site/endpoints";
import { outcome } from "../outcome";

export const netUnprotectedAdminApi: Check = {
  code: "net.unprotected_admin_api",
  domain: "network",
  title: "Admin API open to anonymous requests",
  description: "An admin endpoint (a path with /admin/) must refuse a request without credentials; answering it with 2xx is a security hole (critical).",
  async run({ target, site }) {
    const endpoints = target.endpoints.filter(isAdminEndpoint);
    if (endpoints.length === 0) return { status: "skipped", reason: "no admin endpoints among the target's endpoints" };
    const answers = await Promise.all(
      endpoints.map(async (url) => {
        try {
          const res = await site.fetcher.get(url, { anonymous: true, followRedirects: false, readBody: false, timeoutMs: DEFAULT_SAMPLING.timeoutMs });
          return { url, status: res.status, contentType: res.headers["content-type"] ?? null };
        } catch {
          return { url, status: null, contentType: null };
        }
      }),
    );
    const issues: IssueDraft[] = answers
      .filter((a) => a.status !== null && a.status >= 200 && a.status < 300)
      .map((a) => ({
        severity: "critical",
        title: `${new URL(a.url).pathname} answers ${a.status} without credentials`,
        description: "Anyone on the internet can call this admin endpoint: it answered a request that carried no session cookie and no token.",
        subject: a.url,
        evidence: { url: a.url, status: a.status, contentType: a.contentType, requestCredentials: "none" },
        recommendation: "Check the session and the admin role at the top of the route handler (or in a shared wrapper) and answer 401/403 before doing anything else; middleware alone is not enough.",
      }));
    return outcome(issues, { endpoints: answers });
  },
};
