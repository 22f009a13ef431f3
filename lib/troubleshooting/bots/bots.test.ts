import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../scripts/test/databases";
import { createStaleTable } from "../../../scripts/test/stale-table";
import { startTargetServer } from "../../../scripts/test/target-server";
import { databaseDiagnosticBot, databaseFixBot, webDiagnosticBot } from ".";

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
});
