// The production deployment from a loopback stand-in of Vercel's REST API: only that host is
// asked, with the bearer token, and the answer is parsed, not trusted; stored on the run row by
// the assessment's recordDeploy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type VercelFake, startVercelFake } from "../../../fixtures/test/vercel-fake";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { type PrismaClient, createPrismaClient } from "../../db";
import { recordDeploy } from "./record";
import { commitTitle, latestProductionDeployment } from "./vercel";

const TOKEN = "vercel-token-test-8d1f";
let api: VercelFake;
let prisma: PrismaClient;

beforeAll(async () => {
  api = await startVercelFake();
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(async () => {
  await prisma.$disconnect();
  await api.close();
});

const vercel = () => ({ apiUrl: api.apiUrl, token: TOKEN, projectId: "prj_abc", teamId: "team_42" });
const signal = () => AbortSignal.timeout(5_000);

describe("the production deployment from the Vercel API", () => {
  it("asks for the project's latest ready production deployment with the token, and records it with its commit", async () => {
    const message = `Fix the checkout's totals ${"x".repeat(200)}\n\nLong body with details`;
    api.answer = { status: 200, body: { deployments: [{ uid: "dpl_9Hq2", url: "acme-git-main.vercel.app", state: "READY", meta: { githubCommitSha: "9F8E7D6C5B4A39281706f5e4d3c2b1a098765432", githubCommitMessage: message } }], pagination: {} } };
    api.seen.length = 0;
    const found = await latestProductionDeployment(vercel(), signal());
    expect(api.seen).toEqual([{ path: "/v6/deployments", query: { projectId: "prj_abc", target: "production", state: "READY", limit: "1", teamId: "team_42" }, authorization: `Bearer ${TOKEN}` }]);
    expect(found).toEqual({
      deployment: { deploymentId: "dpl_9Hq2", deploymentUrl: "https://acme-git-main.vercel.app", commitSha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", commitMessage: commitTitle(message) },
    });
    expect(commitTitle(message)).toHaveLength(120);
    expect(commitTitle(message)?.endsWith("…")).toBe(true);

    // The run row gets the build id and the deployment; a stored target gets no lookup of the default's project.
    const run = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "running", target: {}, targetKey: "k-vercel" } });
    const recorded = await recordDeploy(prisma, run.id, "BuildAAAA1111", vercel());
    expect(recorded.deploymentNote).toBeNull();
    expect(await prisma.troubleshootingRun.findUnique({ where: { id: run.id }, select: { buildId: true, deploymentId: true, deploymentUrl: true, commitSha: true, commitMessage: true } })).toEqual({
      buildId: "BuildAAAA1111", deploymentId: "dpl_9Hq2", deploymentUrl: "https://acme-git-main.vercel.app", commitSha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", commitMessage: commitTitle(message),
    });
    const stored = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "running", target: {}, targetKey: "k-stored", targetId: "t1" } });
    api.seen.length = 0;
    expect((await recordDeploy(prisma, stored.id, null, vercel())).deploymentNote).toMatch(/default target's/);
    expect(api.seen).toEqual([]);
  });

  it("says why there is no deployment, without echoing the answer or the token", async () => {
    api.answer = { status: 403, body: { error: { code: "forbidden", message: `bad token ${TOKEN}` } } };
    expect(await latestProductionDeployment(vercel(), signal())).toEqual({ error: "the Vercel API answered 403" });
    api.answer = { status: 200, body: { deployments: [{ url: "no-uid.vercel.app" }] } };
    expect(await latestProductionDeployment(vercel(), signal())).toEqual({ error: "the Vercel API's answer was not a list of deployments" });
    api.answer = { status: 200, body: { deployments: [] } };
    expect(await latestProductionDeployment(vercel(), signal())).toEqual({ deployment: null });
    api.answer = { status: 200, body: { deployments: [{ uid: "dpl_1", meta: { githubCommitSha: "not-a-sha; rm -rf" } }] } };
    expect(await latestProductionDeployment(vercel(), signal())).toEqual({ deployment: { deploymentId: "dpl_1", deploymentUrl: null, commitSha: null, commitMessage: null } });
    const run = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "running", target: {}, targetKey: "k-none" } });
    expect(await recordDeploy(prisma, run.id, null, undefined)).toEqual({ buildId: null, deployment: null, deploymentNote: "no Vercel credentials (VERCEL_TOKEN, VERCEL_PROJECT_ID)" });
  });
});
