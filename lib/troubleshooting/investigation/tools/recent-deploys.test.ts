// recent_deploys against a loopback stand-in of Vercel's REST API (as deploys/vercel.test.ts):
// only that host is asked, with the token; the answer is parsed and summarised, never echoed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type VercelFake, startVercelFake } from "../../../../fixtures/test/vercel-fake";
import { callTool, okResult, toolContext } from "../../../../fixtures/test/investigation-tools";
import { recentDeploys } from "./recent-deploys";

const TOKEN = "vercel-token-test-41ac";
let api: VercelFake;

beforeAll(async () => {
  api = await startVercelFake();
});
afterAll(async () => {
  await api.close();
});

const ctx = () => toolContext({ integrations: { vercel: { apiUrl: api.apiUrl, token: TOKEN, projectId: "prj_abc", teamId: "team_42" } } });

describe("recent_deploys", () => {
  it("lists the latest deployments with state, target, time and commit", async () => {
    api.answer = {
      status: 200,
      body: {
        deployments: [
          { uid: "dpl_new", url: "acme-abc.vercel.app", state: "ERROR", target: "production", createdAt: Date.parse("2026-11-30T09:00:00Z"), meta: { githubCommitSha: "ABCDEF1234567", githubCommitMessage: "Switch the checkout to the new API\n\ndetails", githubCommitAuthorLogin: "dev" }, creator: { uid: "u1", email: "dev@example.com" } },
          { uid: "dpl_old", url: "acme-old.vercel.app", readyState: "READY", target: null, created: Date.parse("2026-11-29T09:00:00Z"), meta: {} },
        ],
        pagination: { count: 2 },
      },
    };
    api.seen.length = 0;
    const result = await okResult(recentDeploys, { limit: 3 }, ctx());
    expect(api.seen).toEqual([{ path: "/v6/deployments", query: { projectId: "prj_abc", limit: "3", teamId: "team_42" }, authorization: `Bearer ${TOKEN}` }]);
    expect(result).toEqual({
      count: 2,
      deployments: [
        { id: "dpl_new", url: "https://acme-abc.vercel.app", state: "ERROR", target: "production", createdAt: "2026-11-30T09:00:00.000Z", commitSha: "abcdef1234567", commitMessage: "Switch the checkout to the new API" },
        { id: "dpl_old", url: "https://acme-old.vercel.app", state: "READY", target: "preview", createdAt: "2026-11-29T09:00:00.000Z", commitSha: null, commitMessage: null },
      ],
    });
    expect(JSON.stringify(result)).not.toContain("dev@example.com");
  });

  it("says why it has no answer, without echoing it or the token", async () => {
    api.answer = { status: 403, body: { error: { message: `bad token ${TOKEN}` } } };
    expect(await callTool(recentDeploys, {}, ctx())).toEqual({ status: "error", reason: "the Vercel API answered 403" });
    api.answer = { status: 200, body: { deployments: [{ url: "no-uid.vercel.app" }] } };
    expect(await callTool(recentDeploys, {}, ctx())).toEqual({ status: "error", reason: "the Vercel API's answer was not a list of deployments" });
    expect(await callTool(recentDeploys, { limit: 11 }, ctx())).toMatchObject({ status: "refused" });
  });

  it("is not offered without Vercel credentials", () => {
    expect(recentDeploys.unavailable?.(toolContext())).toBe("no Vercel credentials for this target");
    expect(recentDeploys.unavailable?.(ctx())).toBeNull();
  });
});
