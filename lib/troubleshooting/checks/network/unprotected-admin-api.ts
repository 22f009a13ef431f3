// An admin endpoint that serves anonymous requests. Judged by what it answers, not by its status:
// a 200 carrying a login page or the app's HTML shell refuses just as a 401 does (the old rule,
// any 2xx, cried wolf on those), while a 200 carrying the endpoint's data is the hole. Answers
// that hold records are net.data_exposure's, which reports them with their fields: one finding
// per endpoint.
import type { Check, IssueDraft } from "../../catalogue";
import { isAdminEndpoint } from "../../site/endpoints";
import { askAllAnonymously, contentTypeOf, shownPath, urlsOf } from "../exposure";
import { listed } from "../web/content";
import { outcome } from "../outcome";
import { readApiAnswer } from "./data-exposure";

export const netUnprotectedAdminApi: Check = {
  code: "net.unprotected_admin_api",
  domain: "network",
  title: "Admin API open to anonymous requests",
  description:
    "An admin endpoint (a path with /admin/) must refuse a request without credentials. Answering it 2xx with its data (JSON or text that is not an error object or empty) is a security hole (critical). " +
    "A 2xx HTML page (a login page, an app shell), an empty body or an error object is a refusal; an answer holding records is reported by net.data_exposure instead.",
  async run({ target, site }) {
    const endpoints = (await site.endpoints()).map((e) => e.url).filter(isAdminEndpoint);
    if (endpoints.length === 0) return { status: "skipped", reason: "no admin endpoints among the target's endpoints" };
    const asked = await askAllAnonymously(site, urlsOf(target.baseUrl, endpoints));
    if ("outcome" in asked) return asked.outcome;
    const answers = asked.answers.map(({ url, res }) => ({ url, res, answer: readApiAnswer(res) }));
    const issues: IssueDraft[] = answers
      .filter(({ res, answer }) => res.status >= 200 && res.status < 300 && answer.kind === "data")
      .map(({ url, res, answer }) => {
        const keys = answer.kind === "data" ? answer.keys : [];
        return {
          severity: "critical",
          title: `${shownPath(url)} answers ${res.status} with its data without credentials`,
          description:
            "Anyone on the internet can call this admin endpoint: it answered a request that carried no session cookie and no token with its content" +
            (keys.length > 0 ? ` (a JSON object with ${listed(keys)})` : "") +
            ", not with a refusal or a login page.",
          subject: url,
          evidence: { url, status: res.status, contentType: contentTypeOf(res), requestCredentials: "none", answer: "data", keys },
          recommendation:
            "Check the session and the admin role at the top of the route handler (or in a shared wrapper) and answer 401/403 before doing anything else; middleware alone is not enough.",
        };
      });
    return outcome(issues, { endpoints: answers.map(({ url, res, answer }) => ({ url, status: res.status, contentType: contentTypeOf(res), answer: answer.kind })), unanswered: asked.unanswered });
  },
};
