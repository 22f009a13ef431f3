// With Vercel credentials (VERCEL_TOKEN, VERCEL_PROJECT_ID; VERCEL_TEAM_ID when set): which
// production deployment serves the target, and its commit. One GET to VERCEL_API_URL only (the
// token goes nowhere else; redirects are not followed); the answer is zod-parsed and summarised,
// never echoed (it could carry tokens or private data).
import { z } from "zod";
import { describeHttpError } from "../probes/http";
import { platformRequest } from "../fixes/web/platform-request";
import type { Integrations } from "../workflow/integrations";

/** What a run records of the deployment (all shown on pages: nothing secret). */
export interface DeploymentInfo {
  /** Vercel's deployment id (`uid`, "dpl_..."). */
  deploymentId: string;
  /** The deployment's own host, as an https URL (null when Vercel gave none). */
  deploymentUrl: string | null;
  /** The git commit it was built from (GitHub, GitLab or Bitbucket meta), when Vercel knows it. */
  commitSha: string | null;
  /** The commit message's first line, at most COMMIT_MESSAGE_MAX characters. */
  commitMessage: string | null;
}

export const COMMIT_MESSAGE_MAX = 120;

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

const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** The first line of a commit message, shortened to `max` characters ("…" when cut). */
export function commitTitle(message: string | null, max = COMMIT_MESSAGE_MAX): string | null {
  const line = message?.split(/\r?\n/, 1)[0]?.trim();
  if (!line) return null;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** One deployment as Vercel's list gives it, summarised (nothing secret). */
export interface DeploymentSummary {
  id: string;
  /** The deployment's own host as an https URL, or null. */
  url: string | null;
  /** READY, ERROR, BUILDING, CANCELED…, as Vercel says it. */
  state: string | null;
  /** production or preview. */
  target: string;
  createdAt: string | null;
  commitSha: string | null;
  commitMessage: string | null;
}

/** The project's latest deployments, newest first (`filter`: Vercel's own query: target, state),
 * or why they are not known (an error text that names the status or failure, never the answer's
 * body nor the token). */
export async function listDeployments(
  vercel: NonNullable<Integrations["vercel"]>,
  signal: AbortSignal,
  filter: { limit: number; target?: "production"; state?: "READY" },
): Promise<{ deployments: DeploymentSummary[] } | { error: string }> {
  const url = new URL("/v6/deployments", `${vercel.apiUrl}/`);
  const query: Record<string, string | undefined> = { projectId: vercel.projectId, target: filter.target, state: filter.state, limit: String(filter.limit), teamId: vercel.teamId };
  for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
  let answer;
  try {
    answer = await platformRequest("GET", url.toString(), signal, { authorization: `Bearer ${vercel.token}` });
  } catch (err) {
    return { error: `the Vercel API did not answer (${describeHttpError(err)})` };
  }
  if (answer.status !== 200) return { error: `the Vercel API answered ${answer.status}` };
  const parsed = deploymentsSchema.safeParse(answer.json);
  if (!parsed.success) return { error: "the Vercel API's answer was not a list of deployments" };
  return {
    deployments: parsed.data.deployments.slice(0, filter.limit).map((d) => {
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
    }),
  };
}

/** The latest ready production deployment of the project, or why it is not known. */
export async function latestProductionDeployment(vercel: NonNullable<Integrations["vercel"]>, signal: AbortSignal): Promise<{ deployment: DeploymentInfo | null } | { error: string }> {
  const found = await listDeployments(vercel, signal, { limit: 1, target: "production", state: "READY" });
  if ("error" in found) return found;
  const latest = found.deployments[0];
  if (!latest) return { deployment: null };
  return { deployment: { deploymentId: latest.id, deploymentUrl: latest.url, commitSha: latest.commitSha, commitMessage: latest.commitMessage } };
}
