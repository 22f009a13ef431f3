import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import { platformRequest } from "./platform-request";

const params = z.object({ via: z.literal("deploy_hook") });

/** A new production build from the branch through the platform's Vercel deploy hook: HTML and
 * static files come from one build again. Needs approval (it ships whatever the branch holds). */
export const webRedeploy: FixActionDef<z.infer<typeof params>> = {
  code: "web.redeploy",
  domain: "web",
  title: "Redeploy the site",
  description: "Triggers the platform's Vercel deploy hook (VERCEL_DEPLOY_HOOK_URL): a fresh production build of the configured branch.",
  addresses: ["web.failed_assets", "web.failed_requests", "web.page_error_status"],
  risk: "needs_approval",
  params,
  plan: (_issue, context) => (context?.integrations.has("deployHook") ? { via: "deploy_hook" } : null),
  describe: () => "Trigger the deploy hook: Vercel builds the configured branch and promotes it to production when the build succeeds (a few minutes).",
  async apply(_p, { integrations, signal }) {
    const hook = integrations.deployHook;
    if (!hook) return { ok: false, detail: "no deploy hook is configured (VERCEL_DEPLOY_HOOK_URL)" };
    const answer = await platformRequest("POST", hook.url, signal);
    const job = z.object({ job: z.object({ id: z.string(), state: z.string().optional() }) }).safeParse(answer.json);
    if (answer.status < 200 || answer.status >= 300 || !job.success) return { ok: false, detail: `the deploy hook answered ${answer.status}` };
    return {
      ok: true,
      detail: `deployment job ${job.data.job.id} queued (${job.data.job.state ?? "pending"}); verification re-checks at once and may still see the old deployment until the build is live`,
    };
  },
};
