// The monitoring module's programmatic surface (the original system's, in TypeScript), over an
// add-on instance's Prisma client (`troubleshooter.context.prisma()`).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../db";
import { EXPORT_DEFAULT_DAYS, exportMonitoringData as monitoringData } from "./export";
import { type MonitoredOperation, monitorOperation as monitor } from "./operations";
import { type ComprehensiveStatus, comprehensiveStatus } from "./status";

export type { ComprehensiveStatus, MonitoredOperation };
export { categorizeError, trackError } from "./errors";

/** The system's health score and each component's health. */
export function getComprehensiveStatus(options: { prisma: PrismaClient; llmConfigured?: boolean; webhookConfigured?: boolean }): Promise<ComprehensiveStatus> {
  const { prisma, llmConfigured = false, webhookConfigured = false } = options;
  return comprehensiveStatus(prisma, { llmConfigured, webhookConfigured });
}

/** Writes the metrics and errors of a period (default: the last 30 days) to a JSON file in `dir`
 * (default ./exports) and returns the file's path. */
export async function exportMonitoringData(options: { dir?: string; from?: Date; to?: Date; prisma: PrismaClient }): Promise<string> {
  const to = options.to ?? new Date();
  const from = options.from ?? new Date(to.getTime() - EXPORT_DEFAULT_DAYS * 86_400_000);
  const data = await monitoringData(options.prisma, { from, to });
  const dir = path.resolve(options.dir ?? "exports");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `troubleshooter-monitoring-${to.toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** Times, counts and error-tracks `fn`, returning its result (or re-throwing its error). */
export function monitorOperation<T>(operation: MonitoredOperation, fn: () => Promise<T>, prisma: PrismaClient): Promise<T> {
  return monitor(prisma, operation, fn);
}
