import { describe, expect, it } from "vitest";
import { healthScores } from "./health-score";

describe("healthScores", () => {
  it("is 100 with no issues and subtracts penalties by severity per domain", () => {
    expect(healthScores(["web", "database"], [], [])).toEqual({ overall: 100, byDomain: { web: 100, database: 100 } });
    const issues = [
      { domain: "web" as const, severity: "high" as const, status: "open" },
      { domain: "database" as const, severity: "critical" as const, status: "open" },
      { domain: "database" as const, severity: "medium" as const, status: "resolved" },
    ];
    expect(healthScores(["web", "database", "network"], issues, [])).toEqual({ overall: 80, byDomain: { web: 80, database: 60, network: 100 } });
  });

  it("charges checks that could not run and never goes below 0", () => {
    const crit = { domain: "web" as const, severity: "critical" as const, status: "open" };
    const errored = { code: "web.x", domain: "web" as const, status: "error" as const, durationMs: 1 };
    expect(healthScores(["web"], [crit, crit, crit], [errored]).byDomain.web).toBe(0);
    expect(healthScores(["web"], [], [errored, errored]).byDomain.web).toBe(90);
  });
});
