// Advice actions: exact steps for an admin, never applied, never reported as resolving anything.
import { z } from "zod";
import type { FixActionDef, IssueView } from "../../catalogue";

function advice(code: string, addresses: string, title: string, steps: (issue: IssueView) => string | null): FixActionDef<{ steps: string }> {
  const params = z.object({ steps: z.string() });
  return {
    code,
    domain: "database",
    title,
    description: `Steps for ${addresses} (advice: not applied by Troubleshooter).`,
    addresses: [addresses],
    risk: "advice",
    params,
    plan: (issue) => {
      const text = steps(issue);
      return text ? { steps: text } : null;
    },
    describe: ({ steps: text }) => text,
    apply: async () => ({ ok: false, detail: "advice is not applied" }),
  };
}

const str = (value: unknown) => (typeof value === "string" ? value : String(value ?? ""));

export const dbAdviseQueryStatistics = advice("db.advise_pg_stat_statements", "db.slow_queries", "Enable pg_stat_statements", (issue) =>
  issue.evidence.missingExtension
    ? issue.evidence.preloaded
      ? "Run in the database: CREATE EXTENSION pg_stat_statements;"
      : "1. Add pg_stat_statements to shared_preload_libraries (postgresql.conf or your provider's parameter group). 2. Restart PostgreSQL. 3. Run: CREATE EXTENSION pg_stat_statements;"
    : null,
);
