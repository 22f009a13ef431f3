// recent_deploys against a loopback stand-in of Vercel's REST API (as deploys/vercel.test.ts):
// only that host is asked, with the token; the answer is parsed and summarised, never echoed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, okResult, toolContext } from "../../../../fixtures/test/investigation-tools";
import { recentDeploys } from "./recent-deploys";

const TOKEN = "vercel-token-test-41ac";
let answer: { status: number; body: unknown } = { status: 200, body: {} };
const seen: { path: string; query: Record<string, string>; authorization: string | undefined }[] = [];
let server: http.Server;
let apiUrl = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization });
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ctx = () => toolContext({ integrations: { vercel: { apiUrl, token: TOKEN, projectId: "prj_abc", teamId: "team_42" } } });

describe("recent_deploys", () => {
  it("lists the latest deployments with state, target, time and commit", async () => {
    answer = {
      status: 200,
      body: {
        deployments: [
          { uid: "dpl_new", url: "acme-abc.vercel.app", state: "ERROR", target: "production", createdAt: Date.parse("2026-11-30T09:00:00Z"), meta: { githubCommitSha: "ABCDEF1234567", githubCommitMessage: "Switch the checkout to the new API\n\ndetails", githubCommitAuthorLogin: "dev" }, creator: { uid: "u1", email: "dev@example.com" } },
          { uid: "dpl_old", url: "acme-old.vercel.app", readyState: "READY", target: null, created: Date.parse("2026-11-29T09:00:00Z"), meta: {} },
        ],
        pagination: { count: 2 },
      },
    };
    seen.length = 0;
    const result = await okResult(recentDeploys, { limit: 3 }, ctx());
    expect(seen).toEqual([{ path: "/v6/deployments", query: { projectId: "prj_abc", limit: "3", teamId: "team_42" }, authorization: `Bearer ${TOKEN}` }]);
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
    answer = { status: 403, body: { error: { message: `bad token ${TOKEN}` } } };
    expect(await callTool(recentDeploys, {}, ctx())).toEqual({ status: "error", reason: "the Vercel API answered 403" });
    answer = { status: 200, body: { deployments: [{ url: "no-uid.vercel.app" }] } };
    expect(await callTool(recentDeploys, {}, ctx())).toEqual({ status: "error", reason: "the Vercel API's answer was not a list of deployments" });
    expect(await callTool(recentDeploys, { limit: 11 }, ctx())).toMatchObject({ status: "refused" });
  });

  it("is not offered without Vercel credentials", () => {
    expect(recentDeploys.unavailable?.(toolContext())).toBe("no Vercel credentials for this target");
    expect(recentDeploys.unavailable?.(ctx())).toBeNull();
  });
});
