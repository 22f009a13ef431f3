import type { Check, IssueDraft } from "../../catalogue";
import { isAdminEndpoint } from "../../site/endpoints";
import { outcome } from "../outcome";
import { askEach } from "./shared";

export const netUnprotectedAdminApi: Check = {
  code: "net.unprotected_admin_api",
  domain: "network",
  title: "Admin API open to anonymous requests",
  description: "An admin endpoint (a path with /admin/) must refuse a request without credentials; answering it with 2xx is a security hole (critical).",
  async run({ site }) {
    const endpoints = (await site.endpoints()).map((e) => e.url).filter(isAdminEndpoint);
    if (endpoints.length === 0) return { status: "skipped", reason: "no admin endpoints among the target's endpoints" };
    const asked = await askEach(site, endpoints);
    if ("outcome" in asked) return asked.outcome;
    const answers = asked.answers.map(({ url, res }) => ({ url, status: res?.status ?? null, contentType: res?.headers["content-type"] ?? null }));
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
