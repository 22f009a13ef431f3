import pg from "pg";
import { APP_SCHEMA } from "../lib/own-schemas";
import { login } from "./support/login";
import { type Mount, addonDatabaseUrl } from "./support/mount";
import { endRun, runsPath, startOrJoinRun, untilSettled } from "./support/runs";
import { expect, test } from "./support/test";

type Fields = Record<string, string[]>;

/** Row counts of every table of the add-on's a request could write to (the standalone app's users
 * too: a host's are its own), and the newest audit entry. */
async function snapshot(addon: Mount): Promise<Record<string, string>> {
  const db = new pg.Client({ connectionString: addonDatabaseUrl(addon), options: `-c search_path=${APP_SCHEMA}` });
  await db.connect();
  try {
    const tables = ["TroubleshootingRun", "RunEvent", "Issue", "FixAction", "AuditLog", "MetricSample", ...(addon.mode === "standalone" ? ["User"] : [])];
    const counts = await Promise.all(tables.map(async (table) => [table, (await db.query(`SELECT count(*)::text AS n FROM "${table}"`)).rows[0].n as string]));
    const newestAudit = (await db.query(`SELECT coalesce(max(id), 0)::text AS id FROM "AuditLog"`)).rows[0].id as string;
    return { ...Object.fromEntries(counts), newestAudit };
  } finally {
    await db.end();
  }
}

test("bad query strings, bodies, ids and Last-Event-ID get 400/413/422 naming the field, and nothing is written", async ({ page, addon }) => {
  const RUNS = runsPath(addon);
  await login(page, addon.admin);
  // A real run, so that its routes get past the lookup to the input (409: another spec's run).
  const runId = await startOrJoinRun(page.request, addon, { domains: ["database"] });
  // A settled run writes nothing more, so any change below would be the bad requests' doing.
  await untilSettled(page.request, addon, runId);
  const before = await snapshot(addon);

  const cases: { name: string; send: () => Promise<import("@playwright/test").APIResponse>; status: number; field?: string }[] = [
    { name: "runs: unknown status", send: () => page.request.get(`${RUNS}?status=sleeping`), status: 422, field: "status" },
    { name: "runs: page size 0", send: () => page.request.get(`${RUNS}?pageSize=0`), status: 422, field: "pageSize" },
    { name: "runs: initialIssue of the wrong type", send: () => page.request.post(RUNS, { data: { initialIssue: 42 } }), status: 422, field: "initialIssue" },
    { name: "runs: a body over 64 KiB", send: () => page.request.post(RUNS, { data: { initialIssue: "x".repeat(70_000) } }), status: 413 },
    { name: "run: an invalid id", send: () => page.request.get(`${RUNS}/..%2Fetc`), status: 422 },
    { name: "events: a malformed Last-Event-ID", send: () => page.request.get(`${RUNS}/${runId}/events`, { headers: { "last-event-id": "abc" } }), status: 422, field: "lastEventId" },
    { name: "export: an unknown format", send: () => page.request.get(`${RUNS}/${runId}/export?format=pdf`), status: 422, field: "format" },
    { name: "decisions: missing fields", send: () => page.request.post(`${RUNS}/${runId}/decisions`, { data: {} }), status: 422, field: "actionId" },
    { name: "decisions: an unknown decision", send: () => page.request.post(`${RUNS}/${runId}/decisions`, { data: { actionId: "a", decision: "maybe" } }), status: 422, field: "decision" },
    { name: "decisions: an unknown field", send: () => page.request.post(`${RUNS}/${runId}/decisions`, { data: { actionId: "a", decision: "approve", force: true } }), status: 422 },
    { name: "decisions: not JSON", send: () => page.request.post(`${RUNS}/${runId}/decisions`, { data: Buffer.from("{nope"), headers: { "content-type": "application/json" } }), status: 400 },
    { name: "logs: an unknown level", send: () => page.request.get(`${addon.api}/logs?level=chatty`), status: 422, field: "level" },
    { name: "logs: a limit too large", send: () => page.request.get(`${addon.api}/logs?limit=100000`), status: 422, field: "limit" },
    { name: "logs: a since that is no date", send: () => page.request.get(`${addon.api}/logs?since=yesterday`), status: 422, field: "since" },
    { name: "monitoring export: from after to", send: () => page.request.get(`${addon.api}/monitoring/export?from=2026-12-01&to=2026-11-01`), status: 422, field: "from" },
  ];
  for (const c of cases) {
    const res = await c.send();
    expect(res.status(), c.name).toBe(c.status);
    const body = (await res.json()) as { error: { code: string; fields?: Fields } };
    expect(body.error.code, c.name).toBeTruthy();
    if (c.field) expect(Object.keys(body.error.fields ?? {}), c.name).toContain(c.field);
  }
  expect(await snapshot(addon)).toEqual(before);
  // Leave no active run behind for the next spec.
  await endRun(page.request, addon, runId);
});
