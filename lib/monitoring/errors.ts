// Error tracking (placeholder until it lands).
import type { PrismaClient } from "../db";

/** Records the errors an ended run met (checks that errored, failed fixes, a failed run). */
export async function trackRunErrors(_prisma: PrismaClient, _runId: string): Promise<void> {}
