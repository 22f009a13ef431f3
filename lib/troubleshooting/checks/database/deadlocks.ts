import type { Check } from "../../catalogue";
import { withDatabase } from "../../probes/database";
import { dbCheckError } from "./shared";

const DEADLOCK_THRESHOLDS = { highCount: 10 };
const METRIC = "db.deadlocks_total";

export const dbDeadlocks: Check = {
  code: "db.deadlocks",
  domain: "database",
  title: "Deadlocks since the last run",
  description: `Deadlocks counted by pg_stat_database since the previous run: medium, high from ${DEADLOCK_THRESHOLDS.highCount}.`,
  thresholds: DEADLOCK_THRESHOLDS,
  async run({ target, signal, thresholds, memory }) {
    const t = { ...DEADLOCK_THRESHOLDS, ...thresholds };
    try {
      const { database, deadlocks, resetAt } = await withDatabase(target.databaseUrl, signal, "read-only", async (client) => {
        const { rows } = await client.query<{ database: string; deadlocks: string; reset_at: Date | null }>(
          "SELECT datname AS database, deadlocks::text, stats_reset AS reset_at FROM pg_stat_database WHERE datname = current_database()",
        );
        const row = rows[0];
        return { database: row?.database ?? "", deadlocks: Number(row?.deadlocks ?? 0), resetAt: row?.reset_at ?? null };
      });
      const previous = await memory.previous(METRIC, database);
      await memory.record(METRIC, database, deadlocks);
      if (!previous) return { status: "skipped", reason: `first run on this database: ${deadlocks} deadlocks so far recorded as the baseline` };
      const since = deadlocks - previous.value;
      const evidence = { database, deadlocksSinceLastRun: since, total: deadlocks, previousRunAt: previous.at.toISOString() };
      if (since < 0) return { status: "skipped", reason: `statistics were reset${resetAt ? ` at ${resetAt.toISOString()}` : ""}; baseline recorded again` };
      if (since === 0) return { status: "passed", evidence };
      return {
        status: "issues",
        issues: [
          {
            severity: since >= t.highCount ? "high" : "medium",
            title: `${since} deadlock${since === 1 ? "" : "s"} since the last run`,
            description: "Transactions locked rows in opposite orders; PostgreSQL aborted one of each pair, and those requests failed.",
            subject: `deadlocks:${database}`,
            evidence,
            recommendation: "Find the statements in the server log (log_lock_waits, deadlock details) and make every transaction lock rows in the same order.",
          },
        ],
      };
    } catch (err) {
      return dbCheckError(err);
    }
  },
};
