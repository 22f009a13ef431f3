// Alerts (placeholder until the alerts module lands).
import type { PrismaClient } from "../../db";

/** Raises the alerts an ended run calls for. */
export async function raiseRunAlerts(_prisma: PrismaClient, _runId: string): Promise<void> {}
