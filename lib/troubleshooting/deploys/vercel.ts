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

const meta = z.record(z.string(), z.unknown()).optional();
const deploymentsSchema = z.object({
  deployments: z.array(z.object({ uid: z.string().min(1).max(100), url: z.string().max(300).nullish(), meta })),
});

const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** The first line of a commit message, shortened to `max` characters ("…" when cut). */
export function commitTitle(message: string | null, max = COMMIT_MESSAGE_MAX): string | null {
  const line = message?.split(/\r?\n/, 1)[0]?.trim();
  if (!line) return null;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The latest ready production deployment of the project, or why it is not known (an error text
 * that names the status or failure, never the answer's body nor the token). */
export async function latestProductionDeployment(vercel: NonNullable<Integrations["vercel"]>, signal: AbortSignal): Promise<{ deployment: DeploymentInfo | null } | { error: string }> {
  const url = new URL("/v6/deployments", `${vercel.apiUrl}/`);
  const query: Record<string, string> = { projectId: vercel.projectId, target: "production", state: "READY", limit: "1", ...(vercel.teamId ? { teamId: vercel.teamId } : {}) };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  let answer;
  try {
    answer = await platformRequest("GET", url.toString(), signal, { authorization: `Bearer ${vercel.token}` });
  } catch (err) {
    return { error: `the Vercel API did not answer (${describeHttpError(err)})` };
  }
  if (answer.status !== 200) return { error: `the Vercel API answered ${answer.status}` };
  const parsed = deploymentsSchema.safeParse(answer.json);
  if (!parsed.success) return { error: "the Vercel API's answer was not a list of deployments" };
  const latest = parsed.data.deployments[0];
  if (!latest) return { deployment: null };
  const m = latest.meta ?? {};
  const sha = text(m.githubCommitSha) ?? text(m.gitlabCommitSha) ?? text(m.bitbucketCommitSha);
  return {
    deployment: {
      deploymentId: latest.uid,
      deploymentUrl: latest.url ? `https://${latest.url.replace(/^https?:\/\//, "")}` : null,
      commitSha: sha && /^[0-9a-f]{7,64}$/i.test(sha) ? sha.toLowerCase() : null,
      commitMessage: commitTitle(text(m.githubCommitMessage) ?? text(m.gitlabCommitMessage) ?? text(m.bitbucketCommitMessage)),
    },
  };
}
