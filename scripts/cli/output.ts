// What the CLI prints about a run: its report on stdout (human or --json), the decisions it waits
// for on stderr with the exact commands that make them, and its exit status.
import type { PrismaClient } from "../../lib/db";
import { redactDatabaseUrl } from "../../lib/troubleshooting/probes/database";
import { approvalsExpired, runExpiryMinutes } from "../../lib/troubleshooting/runs/approval-expiry";
import type { RunReport } from "../../lib/troubleshooting/report";
import { actionStatusText, runOutcome, summaryPlain } from "../../lib/troubleshooting/report-view";
import { costText, investigationStatusText } from "../../lib/troubleshooting/investigation-view";
import { exitCodeOf } from "./exit-codes";
import { writeJson } from "./stdout";
import { block, oneLine } from "./terminal";

export interface OutputContext {
  prisma: PrismaClient;
  json: boolean;
  /** stderr lines, prefixed "[troubleshoot] ". */
  log: (line: string) => void;
  /** APPROVAL_EXPIRY_MINUTES, for the hint on a run that does not carry its own. */
  expiryMinutes: number;
  /** Whether the run is stored in a DATABASE_URL the caller set (the commands then need it too). */
  ownDatabase: boolean;
  /** The --database-url the run was given: deciding needs it again (the run keeps no password). */
  databaseUrl?: string;
}

/** Prints the report (stdout) and, when it waits, how to decide (stderr); returns the exit status. */
export async function printOutcome(report: RunReport, ctx: OutputContext): Promise<number> {
  const expired = await approvalsExpired(ctx.prisma, report.runId);
  if (report.status === "awaiting_approval") await printDecisionHint(report, ctx);
  if (expired) ctx.log("fixes left waiting past APPROVAL_EXPIRY_MINUTES were rejected as expired; the run went on without them");
  if (ctx.json) writeJson(report);
  else process.stdout.write(`${humanReport(report)}\n`);
  return exitCodeOf(report, expired);
}

/** The fixes awaiting approval, and the exact commands that decide them from a terminal. */
async function printDecisionHint(report: RunReport, ctx: OutputContext): Promise<void> {
  const pending = report.actions.filter((a) => a.status === "pending_approval");
  const cli = `npm run troubleshoot --`;
  const id = oneLine(report.runId);
  ctx.log(`${pending.length} fix${pending.length === 1 ? "" : "es"} await${pending.length === 1 ? "s" : ""} approval on run ${id}:`);
  for (const a of pending) process.stderr.write(`[troubleshoot]   ${oneLine(a.id)} ${oneLine(a.code)}: ${block(a.detail)}\n`);
  ctx.log("decide from a terminal (or in the dashboard):");
  // The password is not printed (logs, CI output): the command names where it goes.
  const db = ctx.databaseUrl ? ` --database-url ${redactDatabaseUrl(ctx.databaseUrl)}` : "";
  ctx.log(`  ${cli} approve ${id} --all${db}      (or: approve ${id} ACTION_ID...)`);
  ctx.log(`  ${cli} reject ${id} --all${db}       (or: reject ${id} ACTION_ID...)`);
  if (db.includes("***")) ctx.log("  (with the database password in place of ***)");
  if (ctx.ownDatabase) ctx.log("  (with the same DATABASE_URL as this run)");
  // The run expires with its oldest pending action, after the expiry it was created with
  // (lib/troubleshooting/runs/approval-expiry.ts), whatever this process's setting.
  const oldest = await ctx.prisma.fixAction.findFirst({ where: { runId: report.runId, status: "pending_approval" }, orderBy: { updatedAt: "asc" }, select: { updatedAt: true, run: { select: { config: true } } } });
  const minutes = runExpiryMinutes(oldest?.run.config, ctx.expiryMinutes);
  const at = oldest ? new Date(oldest.updatedAt.getTime() + minutes * 60_000).toISOString() : "soon";
  ctx.log(`undecided, they are rejected as expired at ${at} (APPROVAL_EXPIRY_MINUTES=${minutes} when the run started)`);
}

export function humanReport(report: RunReport): string {
  // Everything but the CLI's own words comes from the run (and so from the target): made visible.
  const lines = [
    `Run ${oneLine(report.runId)}: ${oneLine(runOutcome(report).text)}${report.statusReason ? ` (${oneLine(report.statusReason)})` : ""}`,
    `Health score: ${report.healthScore.before ?? "n/a"} → ${report.healthScore.after ?? "n/a"}`,
    block(summaryPlain(report.summary, report.issues), ""),
    ...report.checks.filter((c) => c.note).map((c) => block(c.note, "  ")),
    ...report.issues.map((i) => `  [${oneLine(i.severity)}] ${oneLine(i.title)} — ${oneLine(i.status)}`),
    ...investigationLines(report),
    ...report.actions.map((a) => `  fix ${oneLine(a.code)}: ${oneLine(actionStatusText(a.status))}${a.verified ? " (verified)" : ""}${a.decidedBy ? ` by ${oneLine(a.decidedBy)}` : ""}`),
    ...(report.recommendations.length ? ["Recommendations:", ...report.recommendations.map((r) => `  - ${block(r)}`)] : []),
  ];
  return lines.join("\n");
}

/** The AI investigation in short: its outcome, each claim kept with what it cites, the cost. The
 * full record (tool calls, results) is in --json and the exports. */
function investigationLines(report: RunReport): string[] {
  const record = report.investigation;
  if (!record) return [];
  const head = `AI investigation: ${oneLine(investigationStatusText(record))}${record.model ? ` (model ${oneLine(record.model)})` : ""}`;
  if (record.status === "not_run") return [head];
  const title = (id: string) => oneLine(report.issues.find((i) => i.id === id)?.title ?? id);
  const tool = (id: string) => record.toolCalls.find((c) => c.id === id)?.tool;
  return [
    head,
    ...record.claims.map((c) => `  - ${c.issueIds.map(title).join("; ")} (${oneLine(c.confidence)} confidence): ${block(c.rootCause, "      ")}\n      cites ${c.citations.map((id) => `${oneLine(id)}${tool(id) ? ` ${oneLine(tool(id))}` : ""}`).join(", ")}`),
    ...(record.dropped.length ? [`  not kept: ${record.dropped.length} claim${record.dropped.length === 1 ? "" : "s"} (${record.dropped.map((d) => oneLine(d.reason)).join("; ")})`] : []),
    `  cost: ${costText(record.cost)}`,
  ];
}
