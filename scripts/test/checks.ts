// Running one catalogue check or fix against a real database, as the bots do.
import pg from "pg";
import type { Check, CheckOutcome, FixActionDef, IssueDraft, Target, Thresholds } from "../../lib/troubleshooting/catalogue";
import { type CheckMemory, noMemory } from "../../lib/troubleshooting/memory";
import { createSiteProbe } from "../../lib/troubleshooting/site/site-probe";
import { testTarget } from "./engine";

const NO_SITE = "http://127.0.0.1:9";
const targetFor = (databaseUrl: string, overrides: Partial<Target> = {}) => testTarget(NO_SITE, databaseUrl, overrides);

export function runCheck(
  check: Check,
  databaseUrl: string,
  thresholds: Thresholds = {},
  memory: CheckMemory = noMemory,
  target: Partial<Target> = {},
): Promise<CheckOutcome> {
  const resolved = targetFor(databaseUrl, target);
  const signal = AbortSignal.timeout(20_000);
  return check.run({
    target: resolved,
    signal,
    site: createSiteProbe(resolved, signal),
    thresholds: { ...check.thresholds, ...thresholds },
    breakerThreshold: 5,
    memory,
  });
}

export function issuesOf(outcome: CheckOutcome): IssueDraft[] {
  if (outcome.status !== "issues") throw new Error(`expected issues, got ${outcome.status}${"reason" in outcome ? `: ${outcome.reason}` : ""}`);
  return outcome.issues;
}

/** Plans the action for the finding (as a fix bot would) and applies it. */
export async function planAndApply(action: FixActionDef<never>, code: string, draft: IssueDraft, databaseUrl: string) {
  const params = action.plan({ id: "issue", code, subject: draft.subject, evidence: draft.evidence });
  if (params === null) throw new Error(`${action.code} did not plan for ${draft.subject}`);
  return action.apply(params, { target: targetFor(databaseUrl), signal: AbortSignal.timeout(20_000), integrations: {}, credentials: null });
}

/** An in-memory CheckMemory, for checks that compare with an earlier run. */
export function memoryForTest(): CheckMemory {
  const values = new Map<string, number>();
  return {
    previous: async (name, key) => (values.has(`${name}|${key}`) ? { value: values.get(`${name}|${key}`) as number, at: new Date() } : null),
    record: async (name, key, value) => void values.set(`${name}|${key}`, value),
  };
}

export type Session = pg.Client & { pid: number };

/** A connected client with a name, as an application session would be, and its backend pid. */
export async function session(url: string, application: string): Promise<Session> {
  const client = new pg.Client({ connectionString: url, application_name: application });
  client.on("error", () => {});
  await client.connect();
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return Object.assign(client, { pid: rows[0]?.pid ?? 0 });
}

/** The URL of the same database as a non-superuser application role (created once). */
export async function asAppRole(databaseUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_user') THEN CREATE ROLE app_user LOGIN PASSWORD 'app-user-pw'; END IF; END $$`);
    const db = new URL(databaseUrl).pathname.slice(1);
    await admin.query(`GRANT ALL ON SCHEMA public TO app_user; GRANT CREATE, CONNECT ON DATABASE "${db}" TO app_user`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.username = "app_user";
  url.password = "app-user-pw";
  return url.toString();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Statistics reach the shared counters a moment after a transaction: poll until `ok`. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, tries = 40): Promise<T> {
  let value = await read();
  for (let i = 1; i < tries && !ok(value); i++) {
    await sleep(200);
    value = await read();
  }
  return value;
}
