// monitorOperation: times, counts and error-tracks any bot operation. The count and time go to
// the database (so every instance's operations add up in the metrics) and to this process's
// histogram; a failure is tracked with its category and re-thrown unchanged.
import type { PrismaClient } from "../db";
import { trackError } from "./errors";
import { processMetrics } from "./process-metrics";

export interface MonitoredOperation {
  botName: string;
  /** diagnostic | fix | coordinator | ... */
  botType: string;
  operation: string;
  runId?: string | null;
}

export const OPERATION_METRIC = "operation_ms";

export async function monitorOperation<T>(prisma: PrismaClient, op: MonitoredOperation, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let outcome: "ok" | "error" = "ok";
  try {
    return await fn();
  } catch (err) {
    outcome = "error";
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    await trackError(prisma, { source: "operation", code: `${op.botName}.${op.operation}`, botName: op.botName, message, runId: op.runId }).catch(() => {});
    throw err;
  } finally {
    const ms = performance.now() - started;
    processMetrics().operations.observe({ bot: op.botName, type: op.botType, operation: op.operation, outcome }, ms / 1000);
    await prisma.metricSample
      .create({ data: { name: OPERATION_METRIC, value: ms, runId: op.runId ?? null, labels: { botName: op.botName, botType: op.botType, operation: op.operation, outcome } } })
      .catch(() => {}); // monitoring must not turn a working operation into a failed one
  }
}
