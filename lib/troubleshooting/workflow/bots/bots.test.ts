import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { Check } from "../../catalogue";
import { createTestDatabase } from "../../../../fixtures/test/databases";
import { createStaleTable } from "../../../../fixtures/test/stale-table";
import { startTargetServer } from "../../../../fixtures/test/target-server";
import { databaseDiagnosticBot, databaseFixBot, webDiagnosticBot } from "./";

describe("bots used on their own", () => {
  it("the database bots find stale statistics and fix them; the web bot reports a 502", async () => {
    const databaseUrl = await createTestDatabase({ migrate: false });
    await createStaleTable(databaseUrl);
    const site = await startTargetServer({ status: 502 });
    try {
      const target = { baseUrl: site.url, databaseUrl, endpoints: [], browser: false };
      const web = await webDiagnosticBot.runDiagnostics(target);
      expect(web.findings.map((f) => [f.code, f.draft.severity])).toEqual([["web.page_error_status", "critical"]]);

      const found = await databaseDiagnosticBot.runDiagnostics(target);
      const stale = found.findings.filter((f) => f.code === "db.stale_statistics");
      expect(stale.map((f) => f.draft.subject)).toEqual(["public.orders"]);

      const issues = stale.map((f, i) => ({ id: `i${i}`, code: f.code, domain: f.domain, title: f.draft.title, subject: f.draft.subject, evidence: f.draft.evidence }));
      const resolved = await databaseFixBot.resolveIssues(issues, { target });
      expect(resolved.map((r) => [r.action.code, r.status])).toEqual([["db.analyze_table", "applied"]]);

      const again = await databaseDiagnosticBot.runDiagnostics(target);
      expect(again.checks.find((c) => c.code === "db.stale_statistics")?.status).toBe("passed");
    } finally {
      await site.close();
    }
  });

  it("times a check's own work, not its wait for the crawl it shares with the other checks", async () => {
    const site = await startTargetServer({ delayMs: 600 }); // the crawl takes longer than a check may
    const check = (code: string, ownMs: number): Check => ({
      code, domain: "web", title: code, description: code, thresholds: {},
      async run({ site: probe, signal }) {
        await probe.pages();
        await sleep(ownMs, undefined, { signal });
        return { status: "passed" };
      },
    });
    try {
      const target = { baseUrl: site.url, databaseUrl: "postgresql://127.0.0.1:9/none", endpoints: [], browser: false };
      const result = await webDiagnosticBot.runDiagnostics(target, {
        checkTimeoutMs: 300, botTimeoutMs: 10_000, breakerThreshold: 100,
        catalogue: [check("web.fake_reader", 0), check("web.fake_other_reader", 50), check("web.fake_slow_self", 500)],
      });
      expect(result.checks.map((c) => [c.code, c.status, c.reason])).toEqual([
        ["web.fake_reader", "passed", undefined],
        ["web.fake_other_reader", "passed", undefined],
        ["web.fake_slow_self", "error", "timed out after 300 ms"],
      ]);
      expect(result.checks[0]?.durationMs).toBeGreaterThanOrEqual(600);
    } finally {
      await site.close();
    }
  });
});


describe("what findings say", () => {
  it("keeps the target's text but not its control characters (a table or page named with escape sequences)", async () => {
    const hostile = "\u001b]0;owned\u0007\u001b[2J/admin";
    const check: Check = {
      code: "web.fake_quoter", domain: "web", title: "quotes", description: "quotes the target",
      run: async () => ({ status: "issues", issues: [{ severity: "low", title: `page ${hostile}`, description: `said ${hostile}`, subject: hostile, evidence: {}, recommendation: `fix ${hostile}` }] }),
    };
    const result = await webDiagnosticBot.runDiagnostics({ baseUrl: "http://127.0.0.1:9", databaseUrl: "postgresql://n:n@127.0.0.1:9/n", endpoints: [], browser: false }, { checkTimeoutMs: 5_000, botTimeoutMs: 10_000, breakerThreshold: 5, catalogue: [check] });
    const draft = result.findings[0]?.draft;
    for (const text of [draft?.title, draft?.description, draft?.recommendation]) {
      expect(text).toContain("/admin");
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it("carries no secret a URL or message held (a configured endpoint's ?token=, a connection string's password)", async () => {
    const url = "https://platform.test/api/admin/health?token=tok-secret-42";
    const check: Check = {
      code: "web.fake_quoter", domain: "web", title: "quotes", description: "quotes the target",
      run: async () => ({ status: "issues", issues: [{ severity: "low", title: `${url} answers 200`, description: "from postgresql://app:pw-secret-42@db:5432/app", subject: url, evidence: { url, nested: { dsn: "postgresql://app:pw-secret-42@db:5432/app" } } }] }),
    };
    const result = await webDiagnosticBot.runDiagnostics({ baseUrl: "http://127.0.0.1:9", databaseUrl: "postgresql://n:n@127.0.0.1:9/n", endpoints: [], browser: false }, { checkTimeoutMs: 5_000, botTimeoutMs: 10_000, breakerThreshold: 5, catalogue: [check] });
    const stored = JSON.stringify(result.findings);
    expect(stored).toContain("/api/admin/health");
    expect(stored).not.toContain("tok-secret-42");
    expect(stored).not.toContain("pw-secret-42");
  });
});
