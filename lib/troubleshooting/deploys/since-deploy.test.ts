// Deploys from the runs' build ids: marked on the history of the target they happened on (never on
// another target's), and the issues a run after a deploy was the first to find are "since" it.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { createPrismaClient } from "../../db";
import { history } from "../queries/history";
import { rollUpEndedRuns } from "../queries/rollup";
import { recordDeploy } from "./record";
import { runDeploy } from "./since-deploy";

describe("deploys between runs", () => {
  it("marks a build id change on its target, and names the issues first seen right after it", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
      // Each run records its build id as a run does (recordDeploy: the previous build, a deploy or not).
      const run = async (targetKey: string, h: number, buildId: string | null, extra: Record<string, string> = {}) => {
        const created = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "completed", target: {}, targetKey, startedAt: hoursAgo(h), healthScoreAfter: 90 } });
        await recordDeploy(prisma, created.id, buildId, undefined);
        return prisma.troubleshootingRun.update({ where: { id: created.id }, data: extra });
      };
      const issue = (runId: string, code: string, subject: string) =>
        prisma.issue.create({ data: { runId, code, domain: "web", severity: "high", title: code, description: "d", evidence: { subject }, detectedBy: "test" } });
      // Target a: build A (issue X seen), nothing visible, build A again, then build B with a commit.
      const a1 = await run("a", 5, "BuildAAAA1111");
      await issue(a1.id, "web.failed_assets", "https://a.example/");
      const a2 = await run("a", 4, null);
      const a3 = await run("a", 3, "BuildAAAA1111");
      const a4 = await run("a", 2, "BuildBBBB2222", { commitSha: "9f8e7d6c5b4a", commitMessage: "Ship the new checkout", deploymentId: "dpl_b" });
      const old = await issue(a4.id, "web.failed_assets", "https://a.example/"); // seen before the deploy
      const fresh = await issue(a4.id, "web.failed_assets", "https://a.example/checkout"); // new subject
      const freshCode = await issue(a4.id, "web.console_errors", "https://a.example/");
      // Target b: its own build, which differs from a's: no deploy (nothing earlier on b).
      const b1 = await run("b", 1, "BuildCCCC3333");
      await issue(b1.id, "web.console_errors", "https://b.example/");

      await rollUpEndedRuns(prisma);
      const all = await history(prisma, "24h");
      expect(all.deploys.map((d) => [d.runId, d.previousBuildId, d.buildId, d.commitSha, d.commitMessage])).toEqual([[a4.id, "BuildAAAA1111", "BuildBBBB2222", "9f8e7d6c5b4a", "Ship the new checkout"]]);
      expect(all.buildIdsSeen).toEqual({ runs: 5, withBuildId: 4 });
      expect(all.scores.find((s) => s.runId === a2.id)?.buildId).toBeNull();
      // Per target: a's history has its deploy; b's has none, and none of a's runs.
      expect((await history(prisma, "24h", "a")).deploys.map((d) => d.runId)).toEqual([a4.id]);
      const onB = await history(prisma, "24h", "b");
      expect(onB.deploys).toEqual([]);
      expect(onB.scores.map((s) => s.runId)).toEqual([b1.id]);

      expect(await runDeploy(prisma, a4.id)).toEqual({
        buildId: "BuildBBBB2222", previousBuildId: "BuildAAAA1111", deploymentId: "dpl_b", deploymentUrl: null, commitSha: "9f8e7d6c5b4a", commitMessage: "Ship the new checkout",
        afterDeploy: true, newIssueIds: [fresh.id, freshCode.id].sort(),
      });
      expect((await runDeploy(prisma, a4.id))?.newIssueIds).not.toContain(old.id);
      // Same build as the latest run that saw one (a2 saw none): no deploy.
      expect(await runDeploy(prisma, a3.id)).toMatchObject({ afterDeploy: false, previousBuildId: "BuildAAAA1111", newIssueIds: [] });
      // Nothing visible: nothing claimed.
      expect(await runDeploy(prisma, a2.id)).toMatchObject({ buildId: null, afterDeploy: false, newIssueIds: [] });
      expect(await runDeploy(prisma, b1.id)).toMatchObject({ previousBuildId: null, afterDeploy: false });
      expect(await runDeploy(prisma, "nosuchrun0000000000000")).toBeNull();
    } finally {
      await prisma.$disconnect();
    }
  });
});
