// The project's latest Vercel deployments (any state, any target), when the platform has Vercel
// credentials: one GET to VERCEL_API_URL only (the token goes nowhere else; redirects are not
// followed), the answer zod-parsed and summarised, as deploys/vercel.ts does for the run's own.
import { z } from "zod";
import { commitTitle } from "../../deploys/vercel";
import { platformRequest } from "../../fixes/web/platform-request";
import { describeHttpError } from "../../probes/http";
import type { InvestigationTool } from "./tool";

const args = z.object({ limit: z.number().int().min(1).max(10).optional().describe("deployments returned at most, newest first (default 5)") }).strict();

const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const deploymentsSchema = z.object({
  deployments: z.array(
    z.object({
      uid: z.string().min(1).max(100),
      url: z.string().max(300).nullish(),
      state: z.string().max(32).nullish(),
      readyState: z.string().max(32).nullish(),
      target: z.string().max(32).nullish(),
      // epoch ms; bounded so that a wild value cannot make an invalid date
      created: z.number().min(0).max(1e14).nullish(),
      createdAt: z.number().min(0).max(1e14).nullish(),
      meta: z.record(z.string(), z.unknown()).nullish(),
    }),
  ),
});

export const recentDeploys: InvestigationTool<z.output<typeof args>> = {
  name: "recent_deploys",
  description:
    "The target's latest Vercel deployments, newest first: id, url, state (READY, ERROR, BUILDING, CANCELED...), target (production or preview), createdAt, commit sha and message. Use it to tell whether a problem began with a deploy.",
  args,
  unavailable: (ctx) => (ctx.integrations.vercel ? null : "no Vercel credentials for this target"),
  async run({ limit }, ctx) {
    const vercel = ctx.integrations.vercel;
    if (!vercel) throw new Error("no Vercel credentials for this target");
    const url = new URL("/v6/deployments", `${vercel.apiUrl}/`);
    const query: Record<string, string> = { projectId: vercel.projectId, limit: String(limit ?? 5), ...(vercel.teamId ? { teamId: vercel.teamId } : {}) };
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let answer;
    try {
      answer = await platformRequest("GET", url.toString(), ctx.signal, { authorization: `Bearer ${vercel.token}` });
    } catch (err) {
      throw new Error(`the Vercel API did not answer (${describeHttpError(err)})`);
    }
    if (answer.status !== 200) throw new Error(`the Vercel API answered ${answer.status}`);
    const parsed = deploymentsSchema.safeParse(answer.json);
    if (!parsed.success) throw new Error("the Vercel API's answer was not a list of deployments");
    const deployments = parsed.data.deployments.slice(0, limit ?? 5).map((d) => {
      const m = d.meta ?? {};
      const sha = text(m.githubCommitSha) ?? text(m.gitlabCommitSha) ?? text(m.bitbucketCommitSha);
      const created = d.createdAt ?? d.created ?? null;
      return {
        id: d.uid,
        url: d.url ? `https://${d.url.replace(/^https?:\/\//, "")}` : null,
        state: d.state ?? d.readyState ?? null,
        target: d.target ?? "preview",
        createdAt: created === null ? null : new Date(created).toISOString(),
        commitSha: sha && /^[0-9a-f]{7,64}$/i.test(sha) ? sha.toLowerCase() : null,
        commitMessage: commitTitle(text(m.githubCommitMessage) ?? text(m.gitlabCommitMessage) ?? text(m.bitbucketCommitMessage)),
      };
    });
    return { count: deployments.length, deployments };
  },
};
