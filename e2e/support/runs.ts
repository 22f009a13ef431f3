import { type APIRequestContext, expect } from "@playwright/test";
import type { Mount } from "./mount";

/** The runs API of the project's add-on. */
export const runsPath = (addon: Mount) => `${addon.api}/runs`;

/** Starts a run as the signed-in admin, or joins the one already active on the target (409). */
export async function startOrJoinRun(request: APIRequestContext, addon: Mount, data: Record<string, unknown> = {}): Promise<string> {
  const body = (await (await request.post(runsPath(addon), { data })).json()) as { runId?: string; error?: { runId?: string } };
  const runId = body.runId ?? body.error?.runId;
  expect(runId, "a run id, started or joined").toBeTruthy();
  return runId as string;
}

export async function runStatus(request: APIRequestContext, addon: Mount, runId: string): Promise<string> {
  return ((await (await request.get(`${runsPath(addon)}/${runId}`)).json()) as { status: string }).status;
}

/** Waits until the run has stopped moving: ended, or waiting for an approval. */
export async function untilSettled(request: APIRequestContext, addon: Mount, runId: string, timeout = 60_000): Promise<string> {
  await expect.poll(() => runStatus(request, addon, runId), { timeout }).toMatch(/^(completed|cancelled|failed|awaiting_approval)$/);
  return runStatus(request, addon, runId);
}

/** Cancels the run if it is still active and waits until it has ended, so the next spec can start one. */
export async function endRun(request: APIRequestContext, addon: Mount, runId: string): Promise<void> {
  await request.post(`${runsPath(addon)}/${runId}/cancel`);
  await expect.poll(() => runStatus(request, addon, runId), { timeout: 30_000 }).toMatch(/^(completed|cancelled|failed)$/);
}
