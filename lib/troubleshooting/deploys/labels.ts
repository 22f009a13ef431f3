// How a deploy reads on pages: "deploy a1b2c3d4 (commit 9f8e7d6: Fix the checkout)". Build ids,
// commit SHAs and messages are the target's data: pages render them as text (React escapes them).
import { shortBuildId } from "./build-id";

export { shortBuildId };

export interface DeployNames {
  buildId: string | null;
  commitSha?: string | null;
  commitMessage?: string | null;
}

/** The commit, when Vercel named it: "9f8e7d6: Fix the checkout", or null. */
export function commitLabel(d: DeployNames): string | null {
  if (!d.commitSha) return d.commitMessage ?? null;
  return d.commitMessage ? `${d.commitSha.slice(0, 7)}: ${d.commitMessage}` : d.commitSha.slice(0, 7);
}

/** "deploy <short build id> (<commit>)": the commit part only when known. */
export function deployLabel(d: DeployNames): string {
  const commit = commitLabel(d);
  return `deploy ${d.buildId ? shortBuildId(d.buildId) : "(build id not visible)"}${commit ? ` (commit ${commit})` : ""}`;
}
