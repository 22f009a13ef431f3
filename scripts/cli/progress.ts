// Progress of a run on stderr: a live line per phase on a terminal, plain lines otherwise.
import { setTimeout as sleep } from "node:timers/promises";
import type { PrismaClient } from "../../lib/db";
import { block, oneLine } from "./terminal";

/** Prints the run's events after seq `afterSeq` (default: all) until stop() (which prints the last ones). */
export function followRun(prisma: PrismaClient, runId: string, tty: boolean, afterSeq = 0): { stop(): Promise<void> } {
  let last = afterSeq;
  // stop() wakes the loop at once: waiting out the poll interval cost a run about 100 ms at its end.
  const stopping = new AbortController();
  const write = (line: string) => process.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
  const poll = async () => {
    const events = await prisma.runEvent.findMany({ where: { runId, seq: { gt: last } }, orderBy: { seq: "asc" } });
    for (const e of events) {
      last = e.seq;
      const line = describe(e.type, e.payload as Record<string, unknown>);
      if (line) write(line);
    }
  };
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      await poll().catch(() => {});
      await sleep(200, undefined, { signal: stopping.signal }).catch(() => {});
    }
    await poll().catch(() => {});
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

function describe(type: string, p: Record<string, unknown>): string | null {
  switch (type) {
    case "phase_started":
      return p.bot ? null : `▶ ${oneLine(p.phase)}`;
    case "phase_completed":
      return p.bot ? `  ${oneLine(p.bot)} done (${oneLine(p.durationMs)} ms)` : `✓ ${oneLine(p.phase)} (${oneLine(p.durationMs)} ms)`;
    case "phase_skipped":
      return `– ${oneLine(p.phase)} skipped: ${oneLine(p.reason)}`;
    case "check_completed":
      return `  ${p.status === "passed" ? "✓" : p.status === "issues" ? "✗" : "·"} ${oneLine(p.code)}: ${oneLine(p.status)}${p.reason ? ` (${oneLine(p.reason)})` : ""}`;
    case "issue_found":
      return `  ! [${oneLine(p.severity)}] ${oneLine(p.title)}`;
    case "bot_degraded":
      return `  ⚠ ${oneLine(p.reason)}`;
    case "action_planned":
      return `  → ${oneLine(p.code)}: ${block(p.detail)}${p.needsApproval ? " (needs approval)" : ""}`;
    case "action_applied":
    case "action_failed":
      // An apply that changed nothing (p.effect) is neither a success nor a failure of the fix.
      return `  ${p.effect === "none" ? "· no effect," : p.effect === "persists" ? "· still failing," : type === "action_applied" ? "✓" : "✗"} ${oneLine(p.code)}: ${block(p.detail)}`;
    case "issue_verified":
      return `  ${p.status === "resolved" ? "✓" : "·"} ${oneLine(p.code)}: ${oneLine(p.status)} (${oneLine(p.reason)})`;
    case "run_resumed":
      return `↻ run resumed from its last checkpoint${p.reason ? `: ${oneLine(p.reason)}` : p.by ? ` by ${oneLine(p.by)}` : ""}`;
    case "run_failed":
    case "run_cancelled":
    case "run_interrupted":
      return `✗ ${type.replace("run_", "run ")}: ${oneLine(p.reason)}`;
    default:
      return null;
  }
}
