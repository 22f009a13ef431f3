import { z } from "zod";
import type { FixActionDef } from "../../catalogue";
import type { Integrations } from "../../workflow/integrations";
import { platformRequest } from "./platform-request";

const params = z.object({ to: z.literal("previous_production") });
const deploymentsSchema = z.object({ deployments: z.array(z.object({ uid: z.string(), url: z.string().optional(), created: z.number().optional() })) });

/** Vercel Instant Rollback: production points at the previous ready production deployment
 * again. Needs approval: it undoes whatever the current deployment shipped. */
export const webRollbackDeployment: FixActionDef<z.infer<typeof params>> = {
  code: "web.rollback_deployment",
  domain: "web",
  title: "Roll back to the previous deployment",
  description:
    "With VERCEL_TOKEN and VERCEL_PROJECT_ID: lists the project's ready production deployments and rolls production back to the one before the current (Vercel's Instant Rollback).",
  addresses: ["web.failed_assets", "web.failed_requests", "web.page_error_status", "web.console_errors", "web.hydration_error"],
  risk: "needs_approval",
  params,
  plan: (_issue, context) => (context?.integrations.has("vercel") ? { to: "previous_production" } : null),
  describe: () => "Roll production back to the previous ready production deployment (Vercel Instant Rollback); the current one stays available to promote again.",
  async apply(_p, { integrations, signal }) {
    const vercel = integrations.vercel;
    if (!vercel) return { ok: false, detail: "Vercel access is not configured (VERCEL_TOKEN, VERCEL_PROJECT_ID)" };
    const auth = { authorization: `Bearer ${vercel.token}` };
    const listed = await platformRequest("GET", apiUrl(vercel, "/v6/deployments", { projectId: vercel.projectId, target: "production", state: "READY", limit: "2" }), signal, auth);
    const deployments = deploymentsSchema.safeParse(listed.json);
    if (listed.status !== 200 || !deployments.success) return { ok: false, detail: `listing deployments failed (${listed.status})` };
    const [current, previous] = deployments.data.deployments;
    if (!current || !previous) return { ok: false, detail: "there is no earlier production deployment to roll back to" };
    const rolled = await platformRequest("POST", apiUrl(vercel, `/v1/projects/${encodeURIComponent(vercel.projectId)}/rollback/${encodeURIComponent(previous.uid)}`, {}), signal, auth);
    if (rolled.status < 200 || rolled.status >= 300) return { ok: false, detail: `the rollback request answered ${rolled.status}` };
    return { ok: true, detail: `production rolled back from ${current.uid} to ${previous.uid}` };
  },
};

function apiUrl(vercel: NonNullable<Integrations["vercel"]>, path: string, query: Record<string, string>): string {
  const url = new URL(path, `${vercel.apiUrl}/`);
  for (const [key, value] of Object.entries({ ...query, ...(vercel.teamId ? { teamId: vercel.teamId } : {}) })) url.searchParams.set(key, value);
  return url.toString();
}
