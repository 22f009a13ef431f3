// Per-bot progress of a run (checks done of total, issues found), from its stored events, so the
// live page is right when rendered on the server; the browser then follows the event stream.
import type { PrismaClient } from "../../db";
import { CHECKS } from "../checks";
import { DOMAINS, type Domain } from "../report";

export type BotProgress = Record<Domain, { done: number; total: number; issues: number }>;

function emptyProgress(): BotProgress {
  return Object.fromEntries(DOMAINS.map((d) => [d, { done: 0, total: CHECKS.filter((c) => c.domain === d).length, issues: 0 }])) as BotProgress;
}

export async function runProgress(prisma: PrismaClient, runId: string): Promise<{ progress: BotProgress; lastSeq: number }> {
  const [rows, run] = await Promise.all([
    prisma.$queryRaw<{ domain: Domain; type: string; n: bigint }[]>`
      SELECT payload->>'domain' AS domain, type, count(*) AS n FROM troubleshooter."RunEvent"
      WHERE "runId" = ${runId} AND type IN ('check_completed', 'issue_found') GROUP BY 1, 2`,
    prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { eventSeq: true } }),
  ]);
  const progress = emptyProgress();
  for (const row of rows) {
    const bot = progress[row.domain];
    if (!bot) continue;
    if (row.type === "check_completed") bot.done = Number(row.n);
    else bot.issues = Number(row.n);
  }
  return { progress, lastSeq: run?.eventSeq ?? 0 };
}
