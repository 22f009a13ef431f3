// Log lines kept in the database for GET /api/admin/bots/logs: a pino destination that batches
// entries of level info and above, and keeps only the newest `maxRows`. Logging never throws and
// never logs its own failures (that would loop).
import { Writable } from "node:stream";
import { z } from "zod";
import type { PrismaClient } from "../db";
import type { Prisma } from "../generated/prisma/client";

const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

interface Line {
  level: number;
  time?: number;
  msg?: string;
  component?: string;
  runId?: string;
  correlationId?: string;
  [key: string]: unknown;
}

/** Fields pino adds to every line: not worth a row's space. */
const PROCESS_FIELDS = new Set(["pid", "hostname", "service"]);

export interface LogStore {
  stream: Writable;
  flush(): Promise<void>;
}

export function createLogStore(prisma: () => PrismaClient, options: { maxRows?: number; flushMs?: number } = {}): LogStore {
  const { maxRows = 10_000, flushMs = 500 } = options;
  let queue: Prisma.LogEntryCreateManyInput[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushes = 0;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      await prisma().logEntry.createMany({ data: batch });
      if (++flushes % 20 === 1) {
        await prisma().$executeRaw`DELETE FROM troubleshooter."LogEntry" WHERE id <= (SELECT id FROM troubleshooter."LogEntry" ORDER BY id DESC OFFSET ${maxRows} LIMIT 1)`;
      }
    } catch {
      // the database is unreachable: the lines still went to stdout
    }
  };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        const { level, time, msg, component, runId, correlationId, ...rest } = JSON.parse(chunk.toString()) as Line;
        const data = Object.fromEntries(Object.entries(rest).filter(([key]) => !PROCESS_FIELDS.has(key)));
        if (level >= LOG_LEVELS.info) {
          queue.push({
            at: new Date(time ?? Date.now()),
            level,
            msg: String(msg ?? ""),
            component: component ?? null,
            runId: runId ?? null,
            correlationId: correlationId ?? null,
            data: data as Prisma.InputJsonObject,
          });
          timer ??= setTimeout(() => void flush(), flushMs);
          timer.unref?.();
        }
      } catch {
        // not a JSON line: nothing to store
      }
      done();
    },
  });
  return { stream, flush };
}

export const logQuerySchema = z.object({
  level: z.enum(["info", "warn", "error", "fatal"]).default("info"),
  since: z.coerce.date().optional(),
  runId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

/** The newest entries at or above a level, optionally since a time or for one run. */
export async function queryLogs(prisma: PrismaClient, query: z.output<typeof logQuerySchema>) {
  const rows = await prisma.logEntry.findMany({
    where: { level: { gte: LOG_LEVELS[query.level] }, at: query.since ? { gte: query.since } : undefined, runId: query.runId },
    orderBy: { id: "desc" },
    take: query.limit,
  });
  const names = Object.fromEntries(Object.entries(LOG_LEVELS).map(([name, value]) => [value, name]));
  return rows.map((r) => ({ id: String(r.id), at: r.at, level: names[r.level] ?? String(r.level), msg: r.msg, component: r.component, runId: r.runId, correlationId: r.correlationId, data: r.data }));
}
