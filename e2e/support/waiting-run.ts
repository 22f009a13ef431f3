// A run that waits for an admin: a long query in the platform's database makes the database bot
// report it, and its cancel (db.cancel_query) needs approval. Database only, so it settles fast.
import { type APIRequestContext, expect } from "@playwright/test";
import { type LongQuery, startLongQuery } from "./long-query";
import { type Mount, platformDatabaseUrl } from "./mount";
import { runsPath, startOrJoinRun, untilSettled } from "./runs";

export interface WaitingRun {
  runId: string;
  victim: LongQuery;
}

/** Starts the long query and a database-only run; `settle: false` returns at once (the run is
 * still working), else once the run waits for approval. End `victim` in a finally. */
export async function startWaitingRun(request: APIRequestContext, addon: Mount, application: string, { settle = true } = {}): Promise<WaitingRun> {
  const victim = await startLongQuery(platformDatabaseUrl(addon), application);
  const runId = await startOrJoinRun(request, addon, { domains: ["database"], initialIssue: `e2e ${application}` });
  if (settle) expect(await untilSettled(request, addon, runId)).toBe("awaiting_approval");
  return { runId, victim };
}

/** The ids of the run's fixes waiting for a decision. */
export async function pendingActionIds(request: APIRequestContext, addon: Mount, runId: string): Promise<string[]> {
  const report = (await (await request.get(`${runsPath(addon)}/${runId}`)).json()) as { actions: { id: string; status: string }[] };
  return report.actions.filter((a) => a.status === "pending_approval").map((a) => a.id);
}

/** Approves every waiting fix through the API and waits until the run has ended. */
export async function approveAll(request: APIRequestContext, addon: Mount, runId: string): Promise<void> {
  for (const actionId of await pendingActionIds(request, addon, runId)) {
    expect((await request.post(`${runsPath(addon)}/${runId}/decisions`, { data: { actionId, decision: "approve" } })).status()).toBe(200);
  }
  await expect.poll(async () => ((await (await request.get(`${runsPath(addon)}/${runId}`)).json()) as { status: string }).status, { timeout: 60_000 }).toMatch(/^(completed|failed)$/);
}
