// What every CLI command shares: its stderr log, the person it acts as, and how it reports.
import os from "node:os";
import type { PrismaClient } from "../../lib/db";
import type { OutputContext } from "./output";
import { runExpiryMinutes } from "../../lib/troubleshooting/runs/approval-expiry";
import { redactDatabaseUrl } from "../../lib/troubleshooting/probes/database";
import { oneLine } from "./terminal";

export interface CommandContext {
  /** A line on stderr, "[troubleshoot] "-prefixed and made visible. */
  log: (line: string) => void;
  /** Who decides, cancels or resumes: the OS user, as the audit log records it. */
  actor: { id: null; email: string };
  /** Whether the caller set DATABASE_URL (commands it is told to run need the same). */
  ownDatabase: boolean;
  /** APPROVAL_EXPIRY_MINUTES. */
  expiryMinutes: number;
  output: (prisma: PrismaClient, json: boolean) => OutputContext;
}

export function commandContext(options: { ownDatabase: boolean; expiryMinutes: number }): CommandContext {
  // Log lines carry server messages and ids: made visible as a whole (they are the CLI's own text plus those).
  const log = (line: string) => process.stderr.write(`[troubleshoot] ${oneLine(line)}\n`);
  return {
    log,
    actor: { id: null, email: `cli:${os.userInfo().username}` },
    ...options,
    output: (prisma, json) => ({ prisma, json, log, ...options }),
  };
}

/** Why nothing started: the active run on the target, and the commands that deal with it. */
export async function busyHint(prisma: PrismaClient, runId: string, ctx: CommandContext, databaseUrl?: string): Promise<void> {
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { status: true, config: true } });
  const status = run?.status ?? "active";
  ctx.log(`target busy: run ${runId} on this target is ${status.replace("_", " ")}; nothing started`);
  const cli = "npm run troubleshoot --";
  if (status === "awaiting_approval") {
    const db = databaseUrl ? ` --database-url ${redactDatabaseUrl(databaseUrl)}` : "";
    ctx.log(`it waits for decisions: ${cli} show ${runId}, then ${cli} approve ${runId} --all${db} (or reject ${runId} --all${db}, or cancel ${runId});`);
    ctx.log(`undecided, its fixes are rejected as expired after APPROVAL_EXPIRY_MINUTES=${runExpiryMinutes(run?.config, ctx.expiryMinutes)} (when it started) and the target is free again`);
  } else {
    ctx.log(`follow it with ${cli} show ${runId}, or stop it with ${cli} cancel ${runId}`);
  }
}
