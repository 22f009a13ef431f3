import type { Check, IssueDraft } from "../../catalogue";
import { outcome } from "../outcome";
import { askEach } from "./shared";

/** An origin no site has: an endpoint that grants it credentialed access grants it to anyone. */
const FOREIGN_ORIGIN = "https://cors-probe.troubleshooter.invalid";

export const netCorsMisconfigured: Check = {
  code: "net.cors_misconfigured",
  domain: "network",
  title: "CORS open with credentials",
  description: "An endpoint must not allow any origin (a wildcard, or whatever Origin is sent) together with Access-Control-Allow-Credentials: true (high): any site could act for a logged-in user.",
  async run({ target, site }) {
    const endpoints = [...new Set([target.baseUrl, ...(await site.endpoints()).map((e) => e.url)])];
    const asked = await askEach(site, endpoints, { origin: FOREIGN_ORIGIN });
    if ("outcome" in asked) return asked.outcome;
    const answers = asked.answers.map(({ url, res }) => ({
      url,
      allowOrigin: res?.headers["access-control-allow-origin"] ?? null,
      allowCredentials: res?.headers["access-control-allow-credentials"] ?? null,
    }));
    const issues: IssueDraft[] = answers
      .filter((a) => (a.allowOrigin === "*" || a.allowOrigin === FOREIGN_ORIGIN) && a.allowCredentials?.toLowerCase() === "true")
      .map((a) => ({
        severity: "high",
        title: `${new URL(a.url).pathname} allows ${a.allowOrigin === "*" ? "any origin (*)" : "any origin it is sent"} with credentials`,
        description: "Browsers let other sites call this endpoint with the user's cookies and read the answer (reflected origins), or the configuration is a wildcard that will break the moment credentials are used.",
        subject: a.url,
        evidence: { url: a.url, requestOrigin: FOREIGN_ORIGIN, accessControlAllowOrigin: a.allowOrigin, accessControlAllowCredentials: a.allowCredentials },
        recommendation: "Answer Access-Control-Allow-Origin only for a fixed list of trusted origins (and Vary: Origin), or drop Access-Control-Allow-Credentials.",
      }));
    return outcome(issues, { endpoints: answers.length });
  },
};
