// Per-check history, written once a run has ended (a step of afterRunEnded): one CheckSample per
// check that ran (its outcome, from the run's `checks`), and one per page request and endpoint
// sample the bots made (their outcome and time to first byte, from the run's probe metrics:
// probe-samples.ts). Real measurements only: a time the prober's own stall touched, or a request
// that got no answer, has no latency.
import { z } from "zod";
import type { PrismaClient } from "../../db";
import { checkResultSchema } from "../report";
import { PROBE_METRICS } from "./probe-samples";

/** CheckSample.code of a page request and of an endpoint sample. */
export const PROBE_CODES = { page: "probe.page", endpoint: "probe.endpoint" } as const;

const CHECK_OUTCOME = { passed: "passed", issues: "failed", skipped: "skipped", error: "error" } as const;
const labelsSchema = z.object({ url: z.string().max(2_048), outcome: z.enum(["passed", "failed", "skipped"]), latencyValid: z.boolean() });

/** Writes the run's samples (none for a run still going, or unknown). Idempotent: what an earlier
 * attempt wrote for the run is replaced. Returns how many were written. */
export async function recordCheckSamples(prisma: PrismaClient, runId: string): Promise<number> {
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { targetKey: true, checks: true, startedAt: true, finishedAt: true } });
  if (!run) return 0;
  const at = run.finishedAt ?? new Date();
  const checks = z.array(checkResultSchema).catch([]).parse(run.checks ?? []);
  const metrics = await prisma.metricSample.findMany({
    where: { runId, name: { in: [PROBE_METRICS.page, PROBE_METRICS.endpoint] } },
    select: { name: true, value: true, labels: true, recordedAt: true },
  });
  const rows = [
    ...checks.map((c) => ({ targetKey: run.targetKey, runId, code: c.code, subject: "", outcome: CHECK_OUTCOME[c.status], latencyMs: null, at })),
    ...metrics.flatMap((m) => {
      const labels = labelsSchema.safeParse(m.labels);
      if (!labels.success) return [];
      const code = m.name === PROBE_METRICS.page ? PROBE_CODES.page : PROBE_CODES.endpoint;
      return [{ targetKey: run.targetKey, runId, code, subject: labels.data.url, outcome: labels.data.outcome, latencyMs: labels.data.latencyValid ? m.value : null, at: m.recordedAt }];
    }),
  ];
  // (targetKey, at) bounds the delete to the run's own time: CheckSample has no index on runId.
  await prisma.$transaction([
    prisma.checkSample.deleteMany({ where: { targetKey: run.targetKey, at: { gte: run.startedAt }, runId } }),
    prisma.checkSample.createMany({ data: rows }),
  ]);
  return rows.length;
}
