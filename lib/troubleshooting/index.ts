// The library API: run a whole troubleshooting in-process and get the report.
import type { Env } from "../env";
import type { Engine } from "./workflow/engine";
import type { RunReport } from "./report";
import { buildReport } from "./queries/report";
import { cancelRun } from "./runs/run-control";
import { type StartRunInput, createRun, defaultTarget, executeRun } from "./runs/run-service";

export * from "./workflow/bots";
export type { RunReport } from "./report";

export interface RunTroubleshootingOptions extends Omit<StartRunInput, "trigger"> {
  trigger?: StartRunInput["trigger"];
  signal?: AbortSignal;
  /** The add-on instance's engine and configuration (`troubleshooter.context.engine()`, `.config()`). */
  engine: Engine;
  config: Env;
}

/** Runs every phase and resolves to the report (status awaiting_approval when fixes wait for an
 * admin; approve them through the API or the CLI). */
export async function runTroubleshooting(options: RunTroubleshootingOptions): Promise<RunReport> {
  const { engine } = options;
  const { runId, config } = await createRun(engine, { ...options, trigger: options.trigger ?? "api" }, defaultTarget(options.config, options.target));
  const abort = () => void cancelRun(engine, runId, { id: null, email: "library caller" }).catch(() => {});
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    await executeRun(engine, runId, config);
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
  const report = await buildReport(engine.deps.prisma, runId);
  if (!report) throw new Error(`run ${runId} vanished`);
  return report;
}
