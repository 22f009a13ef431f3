import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { platformRequest } from "./platform-request";
import { pathsOf } from "./same-origin";

const params = z.object({ paths: z.array(z.string().regex(/^\/[^\s]*$/, "a path")).min(1).max(50) });

/** On-demand revalidation (revalidatePath) through the platform's own endpoint: it throws away
 * cached pages, so the next visitor waits for a fresh render. Needs approval. */
export const webRevalidatePaths: FixActionDef<z.infer<typeof params>> = {
  code: "web.revalidate_paths",
  domain: "web",
  title: "Revalidate the affected pages",
  description:
    "POSTs {\"paths\": [...]} to the platform's revalidation endpoint (TARGET_REVALIDATE_URL, with its secret as a bearer token), which calls revalidatePath for each: cached pages that reference a missing build or cached an error are rebuilt.",
  addresses: ["web.page_error_status", "web.failed_assets", "web.failed_requests"],
  risk: "needs_approval",
  params,
  plan: (issue, context) => {
    if (!context?.integrations.has("revalidate")) return null;
    const pages = Array.isArray(issue.evidence.pages) ? issue.evidence.pages : [issue.evidence.url];
    const paths = pathsOf(pages.slice(0, 50));
    return paths.length > 0 ? { paths } : null;
  },
  describe: (p) => `Revalidate ${p.paths.length} path${p.paths.length === 1 ? "" : "s"} through the platform's revalidation endpoint: ${p.paths.join(", ")}.`,
  async apply(p, { integrations, signal }) {
    const revalidate = integrations.revalidate;
    if (!revalidate) return { ok: false, detail: "no revalidation endpoint is configured (TARGET_REVALIDATE_URL)" };
    const answer = await platformRequest("POST", revalidate.url, signal, { authorization: `Bearer ${revalidate.secret}` }, { paths: p.paths });
    if (answer.status < 200 || answer.status >= 300) return { ok: false, detail: `the revalidation endpoint answered ${answer.status}` };
    return { ok: true, detail: `revalidated ${p.paths.join(", ")} (the endpoint answered ${answer.status})` };
  },
};
