// The project's latest Vercel deployments (any state, any target), when the platform has Vercel
// credentials: deploys/vercel.ts's one GET to VERCEL_API_URL (the token goes nowhere else), the
// answer zod-parsed and summarised.
import { z } from "zod";
import { listDeployments } from "../../deploys/vercel";
import type { InvestigationTool } from "./tool";

const args = z.object({ limit: z.number().int().min(1).max(10).optional().describe("deployments returned at most, newest first (default 5)") }).strict();

export const recentDeploys: InvestigationTool<z.output<typeof args>> = {
  name: "recent_deploys",
  description:
    "The target's latest Vercel deployments, newest first: id, url, state (READY, ERROR, BUILDING, CANCELED...), target (production or preview), createdAt, commit sha and message. Use it to tell whether a problem began with a deploy.",
  args,
  unavailable: (ctx) => (ctx.integrations.vercel ? null : "no Vercel credentials for this target"),
  async run({ limit }, ctx) {
    const vercel = ctx.integrations.vercel;
    if (!vercel) throw new Error("no Vercel credentials for this target");
    const found = await listDeployments(vercel, ctx.signal, { limit: limit ?? 5 });
    if ("error" in found) throw new Error(found.error);
    return { count: found.deployments.length, deployments: found.deployments };
  },
};
