"use client";

import { useEffect, useState } from "react";
import type { ReportAction } from "../../../troubleshooting/report";
import type { RunDeploy } from "../../../troubleshooting/deploys/since-deploy";
import { commitLabel, shortBuildId } from "../../../troubleshooting/deploys/labels";
import { usePaths } from "../../paths";

/** The actions that act on the deploy itself, next to which "since deploy" matters most. */
export const DEPLOY_ACTIONS: ReadonlySet<string> = new Set(["web.rollback_deployment", "web.redeploy"]);

/** The run's deploy (GET /runs/:id/deploy), fetched again when the run's issue count changes;
 * null until known, or when it cannot be read (then nothing is claimed). */
export function useRunDeploy(runId: string, issueCount: number): RunDeploy | null {
  const { apiBasePath } = usePaths();
  const [deploy, setDeploy] = useState<RunDeploy | null>(null);
  useEffect(() => {
    let live = true;
    fetch(`${apiBasePath}/runs/${runId}/deploy`, { cache: "no-store" })
      .then((res) => (res.ok ? (res.json() as Promise<RunDeploy>) : null))
      .then((value) => live && setDeploy(value))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [apiBasePath, runId, issueCount]);
  return deploy;
}

/** Next to an action: "Since deploy a1b2c3d4 (commit 9f8e7d6: ...)" when an issue it addresses
 * first appeared in this run, right after the build changed; for a rollback or redeploy, what is
 * known when nothing can be claimed (no build id visible, or no deploy before this run). */
export function SinceDeploy({ deploy, action }: { deploy: RunDeploy | null; action: ReportAction }) {
  if (!deploy) return null;
  const newOnes = action.issueIds.filter((id) => deploy.newIssueIds.includes(id));
  const onDeploy = DEPLOY_ACTIONS.has(action.code);
  if (deploy.afterDeploy && deploy.buildId && newOnes.length > 0) {
    const commit = commitLabel(deploy);
    return (
      <p className="tr:text-xs tr:font-medium tr:text-amber-800 tr:dark:text-amber-300" data-testid="since-deploy">
        Since deploy <code>{shortBuildId(deploy.buildId)}</code>
        {commit ? <> (commit {commit})</> : null}: {newOnes.length === 1 ? "its issue" : `${newOnes.length} of its issues`} first appeared in this run, the first on this build (the run before saw{" "}
        <code>{shortBuildId(deploy.previousBuildId ?? "")}</code>).
      </p>
    );
  }
  if (!onDeploy) return null;
  const why = !deploy.buildId
    ? "Build id not visible on the target's page: whether these issues came with a deploy is not known."
    : !deploy.previousBuildId
      ? `Build ${shortBuildId(deploy.buildId)}; no earlier run on this target saw a build id to compare with.`
      : deploy.afterDeploy
        ? `Build ${shortBuildId(deploy.buildId)} (deployed since the previous run); its issues were seen before that deploy too.`
        : `Build ${shortBuildId(deploy.buildId)}, the same as the previous run's: no deploy since.`;
  return (
    <p className="tr-muted tr:text-xs" data-testid="deploy-context">
      {why}
    </p>
  );
}
