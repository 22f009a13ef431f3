// `npm run troubleshoot -- targets`: the targets a run may name with --target. What a target's
// secrets are is never read here: the listing comes from columns that hold none (the database
// URL is stored without its password, and shown as host:port/dbname only).
import type { PrismaClient } from "../../lib/db";
import type { Env } from "../../lib/env";
import { openStoredTarget } from "../../lib/targets/runtime";
import { DEFAULT_TARGET_NAME } from "../../lib/targets/scope";
import { sealTarget } from "../../lib/troubleshooting/runs/target-secrets";
import type { CommandContext } from "./session";
import { databaseLabel } from "../../lib/ui/target";
import { EXIT } from "./exit-codes";
import { writeJson } from "./stdout";
import { oneLine } from "./terminal";

/** One target as the listing shows it (stdout, JSON or a line each). */
export interface TargetListing {
  name: string;
  /** false: the configured target (TARGET_*), which has no row. */
  stored: boolean;
  baseUrl: string;
  /** "host:port/dbname". */
  database: string;
  /** Minutes between scheduled runs; null: not scheduled by the fleet (the default target runs from the cron route). */
  scheduleMinutes: number | null;
  /** ISO 8601 (UTC); null: due at the next tick, or not scheduled. */
  nextRunAt: string | null;
}

export async function targetListing(prisma: PrismaClient, config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">): Promise<TargetListing[]> {
  const rows = await prisma.target.findMany({ orderBy: { name: "asc" }, select: { name: true, baseUrl: true, databaseUrl: true, scheduleMinutes: true, nextRunAt: true } });
  return [
    { name: DEFAULT_TARGET_NAME, stored: false, baseUrl: config.targetBaseUrl, database: databaseLabel(config.targetDatabaseUrl), scheduleMinutes: null, nextRunAt: null },
    ...rows.map((r) => ({ name: r.name, stored: true, baseUrl: r.baseUrl, database: databaseLabel(r.databaseUrl), scheduleMinutes: r.scheduleMinutes, nextRunAt: r.nextRunAt?.toISOString() ?? null })),
  ];
}

function scheduleText(t: TargetListing): string {
  if (!t.stored) return "cron route";
  if (t.scheduleMinutes === null) return "not scheduled";
  return `every ${t.scheduleMinutes} min, next ${t.nextRunAt ?? "at the next tick"}`;
}

/** Prints the listing on stdout; exit 0. */
export async function listTargets(prisma: PrismaClient, config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">, json: boolean): Promise<number> {
  const targets = await targetListing(prisma, config);
  if (json) return writeJson({ targets }), EXIT.clean;
  const width = Math.max(...targets.map((t) => t.name.length));
  // Names and URLs are the admins' text: made visible, never obeyed by the terminal.
  const lines = targets.map((t) => [oneLine(t.name).padEnd(width), oneLine(t.baseUrl), oneLine(t.database), scheduleText(t)].join("  "));
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.clean;
}

/** approve / reject / resume of a run on a stored target: this process learns the target's
 * database URL (with its password, opened from the store) the way --database-url teaches it for
 * an ad-hoc target, so the run can go on here. Nothing is printed but a failure's reason. */
export async function rememberStoredTarget(prisma: PrismaClient, config: Pick<Env, "AUTH_SECRET">, runId: string, ctx: Pick<CommandContext, "log">): Promise<void> {
  const run = await prisma.troubleshootingRun.findUnique({ where: { id: runId }, select: { targetId: true } });
  if (!run?.targetId) return;
  const row = await prisma.target.findUnique({ where: { id: run.targetId } });
  if (!row) return ctx.log(`run ${runId}: its stored target was deleted; its database cannot be reached from here`);
  try {
    sealTarget(openStoredTarget(row, config.AUTH_SECRET).target);
  } catch (err) {
    ctx.log(`run ${runId}: target ${JSON.stringify(row.name)}: ${err instanceof Error ? err.message : "its secrets cannot be opened"}`);
  }
}
