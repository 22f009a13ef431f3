// Checks and fix actions that misbehave on purpose, added to the real catalogues of a test engine
// (deps.checks / deps.fixes): the engine runs them exactly as it runs the real ones.
import pg from "pg";
import { z } from "zod";
import type { Check, FixActionDef } from "../../lib/troubleshooting/catalogue";
import { readOnly } from "../../lib/troubleshooting/checks/database/shared";

/** A database check whose query takes `seconds` on the target (a slow catalogue query). */
export function slowDatabaseCheck(seconds: number): Check {
  return {
    code: "db.test_slow",
    domain: "database",
    title: "Slow test query",
    description: `pg_sleep(${seconds}) on the target`,
    run: ({ target, signal }) =>
      readOnly(target, signal, async (client) => {
        await client.query("SELECT pg_sleep($1)", [seconds]);
        return { status: "passed" };
      }),
  };
}

/** A check with a bug: it throws instead of returning an outcome. */
export const throwingCheck: Check = {
  code: "web.test_throws",
  domain: "web",
  title: "Buggy test check",
  description: "throws",
  run: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'status')")),
};

/** A database check that always reports one issue, so that a fix gets planned for it. */
export function findingCheck(code: string, severity: "critical" | "low" = "critical"): Check {
  return {
    code,
    domain: "database",
    title: "Test finding",
    description: "always finds one issue",
    run: async () => ({ status: "issues", issues: [{ severity, title: `Test finding ${code}`, description: "planted by the test", subject: code, evidence: {} }] }),
  };
}

function fixFor(code: string, addresses: string, risk: "safe" | "needs_approval", apply: FixActionDef<Record<string, never>>["apply"]): FixActionDef<never> {
  const action: FixActionDef<Record<string, never>> = {
    code,
    domain: "database",
    title: `Test fix ${code}`,
    description: "test fix",
    addresses: [addresses],
    risk,
    params: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    plan: () => ({}),
    describe: () => `Applies ${code}.`,
    apply,
  };
  return action as unknown as FixActionDef<never>;
}

/** A fix that does part of its work (a row in `fault_marker` on the target) and then throws. */
export function halfDoneFix(addresses: string): FixActionDef<never> {
  return fixFor("db.test_half_done", addresses, "safe", async (_params, { target }) => {
    const client = new pg.Client({ connectionString: target.databaseUrl });
    await client.connect();
    try {
      await client.query("CREATE TABLE IF NOT EXISTS fault_marker (step text)");
      await client.query("INSERT INTO fault_marker VALUES ('first half')");
    } finally {
      await client.end();
    }
    throw new Error("the second half failed");
  });
}

/** A fix that needs approval and counts how often it is applied. */
export function countingFix(addresses: string): { fix: FixActionDef<never>; applied: () => number } {
  let count = 0;
  const fix = fixFor("db.test_counted", addresses, "needs_approval", async () => {
    count++;
    await new Promise((r) => setTimeout(r, 200)); // long enough for a second applier to overlap
    return { ok: true, detail: "applied" };
  });
  return { fix, applied: () => count };
}
