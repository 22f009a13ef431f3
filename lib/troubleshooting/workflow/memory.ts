// What checks remember between runs (deadlock counters, database size), kept as MetricSamples so
// that history pages can chart them too.
import type { PrismaClient } from "../../db";

export interface CheckMemory {
  /** The value recorded by an earlier run for this name and key, with when. */
  previous(name: string, key: string): Promise<{ value: number; at: Date } | null>;
  record(name: string, key: string, value: number): Promise<void>;
}

/** `scope` names the target (two targets may both have a database called "app"). */
export function metricMemory(prisma: PrismaClient, runId: string, scope: string): CheckMemory {
  return {
    async previous(name, key) {
      const row = await prisma.metricSample.findFirst({
        where: { name, labels: { path: ["key"], equals: `${scope}|${key}` }, NOT: { runId } },
        orderBy: { recordedAt: "desc" },
      });
      return row ? { value: row.value, at: row.recordedAt } : null;
    },
    async record(name, key, value) {
      await prisma.metricSample.create({ data: { runId, name, value, domain: "database", labels: { key: `${scope}|${key}`, database: key } } });
    },
  };
}

/** For checks run outside a run (bots used alone): remembers nothing. */
export const noMemory: CheckMemory = { previous: async () => null, record: async () => {} };
