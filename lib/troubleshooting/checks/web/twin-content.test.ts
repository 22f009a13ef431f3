// Against the platform twin (a real Next.js app, fixtures/platform): healthy, with its traps on
// (client-rendered nav, Vercel's analytics 404 off Vercel, a failing third-party beacon, AUTH_URL on
// 127.0.0.1 while probed as localhost), none of the content checks finds anything at medium or
// worse; each content fault is found by the check that names its cause, once.
import { describe, expect, it } from "vitest";
import { testTarget } from "../../../../fixtures/test/engine";
import type { TwinFault } from "../../../../fixtures/test/platform-twin";
import { twinPerTest } from "../../../../fixtures/test/twin-harness";
import { diagnose, found } from "../../../../fixtures/test/site-bots";
import type { DiagnosticResult } from "../../workflow/bots/diagnostic-bot";

const NO_DATABASE = "postgresql://nobody:none@127.0.0.1:9/none";
const CONTENT_CHECKS = new Set([
  "web.failed_assets",
  "web.failed_requests",
  "web.console_errors",
  "web.hydration_error",
  "web.csp_blocks_scripts",
  "web.slow_page_load",
  "web.layout_shift",
  "net.auth_broken",
  "net.api_not_json",
]);
const WORSE_THAN_LOW = new Set(["critical", "high", "medium"]);

const twins = twinPerTest();

async function both(faults: TwinFault[]): Promise<{ web: DiagnosticResult; network: DiagnosticResult; serious: [string, string, string][] }> {
  const twin = await twins.start({ faults });
  // Auth.js's routes as the "addon" preset names them: judged where the twin serves them.
  const auth = ["/api/auth/session", "/api/auth/providers", "/api/auth/csrf"].map((p) => `${twin.url}${p}`);
  const target = testTarget(twin.url, NO_DATABASE, { endpoints: auth, presetEndpoints: auth, browser: true });
  const [web, network] = await Promise.all([diagnose("web", target), diagnose("network", target)]);
  const serious = [...found(web), ...found(network)].filter(([code, severity]) => CONTENT_CHECKS.has(code) && WORSE_THAN_LOW.has(severity));
  return { web, network, serious };
}

const drafts = (result: DiagnosticResult, code: string) => result.findings.filter((f) => f.code === code).map((f) => f.draft);

describe("content checks against the platform twin", () => {
  it("find nothing at medium or worse on the healthy twin, and rate its traps low or info", async () => {
    const { web, network, serious } = await both([]);
    expect(serious).toEqual([]);
    for (const code of CONTENT_CHECKS) {
      const check = [...web.checks, ...network.checks].find((c) => c.code === code);
      expect(check?.status === "passed" || check?.status === "issues", `${code}: ${check?.status} ${check?.reason ?? ""}`).toBe(true);
    }
    const insights = [...drafts(web, "web.failed_assets"), ...drafts(web, "web.failed_requests")].filter((d) => d.subject.includes("/_vercel/insights/"));
    expect(insights.map((d) => d.severity)).toEqual(["info"]);
  });

  it("chunk-html: the stale chunk answered 200 text/html is one critical failed asset", async () => {
    const { serious, web } = await both(["chunk-html"]);
    expect(serious).toEqual([["web.failed_assets", "critical", "/_next/static/chunks/app-stale-4f2a9c1e.js"]]);
    expect(drafts(web, "web.failed_assets").find((d) => d.severity === "critical")?.evidence).toMatchObject({ status: 200, contentType: expect.stringContaining("text/html") });
  });

  it("auth-redirect: the session endpoint sent to /login is a broken Auth.js route", async () => {
    const { serious, network } = await both(["auth-redirect"]);
    expect(serious).toEqual([["net.auth_broken", "high", "/api/auth/session"]]);
    expect(drafts(network, "net.auth_broken")[0]?.evidence).toMatchObject({ status: 307, location: expect.stringMatching(/^\/login/) });
  });

  it("api-html: /api/status answering HTML to the home page's fetch is net.api_not_json, and its JSON parse error no console error", async () => {
    const { serious, network } = await both(["api-html"]);
    expect(serious).toEqual([["net.api_not_json", "high", "/api/status"]]);
    expect(drafts(network, "net.api_not_json")[0]?.evidence).toMatchObject({ calledBy: expect.arrayContaining([expect.stringMatching(/:\d+\/$/)]) });
  });

  it("csp-blocks-scripts: one high issue naming the directive and the policy, nothing else", async () => {
    const { serious, web } = await both(["csp-blocks-scripts"]);
    expect(serious).toEqual([["web.csp_blocks_scripts", "high", "/"]]);
    expect(drafts(web, "web.csp_blocks_scripts")[0]?.evidence).toMatchObject({ directive: expect.stringContaining("script-src-elem"), policy: expect.stringContaining("script-src-elem 'self' 'nonce-") });
  });
});
