// A scheduled run (Vercel Cron, or `npm run troubleshoot` from plain cron): started like any run,
// with trigger "cron"; skipped, not failed, while another run on the target is active.
import { ApiError } from "../../api/errors";
import type { Env } from "../../env";
import type { Engine } from "../workflow/engine";
import { createRun, defaultTarget, executeRun } from "./run-service";

export type ScheduledRun = { started: true; runId: string; execute: () => Promise<void> } | { started: false; runId: string };

export async function startScheduledRun(engine: Engine, config: Env): Promise<ScheduledRun> {
  try {
    const { runId, config: runConfig } = await createRun(engine, { trigger: "cron" }, defaultTarget(config));
    return { started: true, runId, execute: () => executeRun(engine, runId, runConfig) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return { started: false, runId: String(err.details?.runId) };
    throw err;
  }
}
