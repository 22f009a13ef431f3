// What /admin/troubleshooting/monitoring shows for a time range, read in one go.
import type { PrismaClient } from "../db";
import { type HistoryRange, rangeStart } from "../troubleshooting/queries/history";
import { listAlerts } from "./alerts";
import { errorReport } from "./error-report";
import { botPerformance, checkPerformance, performanceSample } from "./performance";
import { type StatusConfiguration, comprehensiveStatus } from "./status";

export async function monitoringOverview(prisma: PrismaClient, range: HistoryRange, configured: StatusConfiguration) {
  const since = rangeStart(range);
  const [status, errors, bots, checks, alerts, sample] = await Promise.all([
    comprehensiveStatus(prisma, configured),
    errorReport(prisma, since),
    botPerformance(prisma, since),
    checkPerformance(prisma, since),
    listAlerts(prisma, { limit: 20 }),
    performanceSample(prisma, since),
  ]);
  // `sample`: the bot and check figures read the latest `sample.runs` of `sample.runsInRange` runs.
  return { range, since, status, errors, bots, checks, alerts, sample };
}

export type MonitoringOverview = Awaited<ReturnType<typeof monitoringOverview>>;
