// What runs when, for the alerts page (read-only): the default target's cron as the deployment
// declares it (vercel.json's crons calling the add-on's cron route), and each stored target's own
// interval and next run (edited on the targets page).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { PrismaClient } from "../../db";

export interface DeploymentCron {
  /** The cron expression, e.g. "0 *\/6 * * *" (UTC, as Vercel Cron reads it). */
  schedule: string;
  path: string;
}

const vercelJson = z.object({ crons: z.array(z.object({ path: z.string(), schedule: z.string() })).default([]) });

/**
 * The crons of `vercel.json` in `dir` (the app's directory) that call `cronPath` (the add-on's
 * cron route); null when there is no readable vercel.json (a host deployed elsewhere schedules
 * the route its own way, which this page cannot see).
 */
export async function deploymentCrons(cronPath: string, dir = process.cwd()): Promise<DeploymentCron[] | null> {
  try {
    const parsed = vercelJson.safeParse(JSON.parse(await readFile(path.join(dir, "vercel.json"), "utf8")));
    return parsed.success ? parsed.data.crons.filter((c) => c.path === cronPath) : null;
  } catch {
    return null;
  }
}

export interface TargetSchedule {
  name: string;
  /** Minutes between runs; null: not scheduled. */
  scheduleMinutes: number | null;
  nextRunAt: Date | null;
}

export async function targetSchedules(prisma: PrismaClient): Promise<TargetSchedule[]> {
  return prisma.target.findMany({ orderBy: { name: "asc" }, select: { name: true, scheduleMinutes: true, nextRunAt: true }, take: 500 });
}

/** "every 6 hours" from "0 *\/6 * * *" for the common shapes; the expression itself otherwise. */
export function describeCron(expr: string): string {
  const [min, hour, dom, mon, dow] = expr.trim().split(/\s+/);
  if (dom !== "*" || mon !== "*" || dow !== "*" || !min || !hour) return expr;
  const step = /^\*\/(\d+)$/.exec(hour);
  if (/^\d+$/.test(min) && step) return `every ${step[1]} hours, at minute ${min} (UTC)`;
  if (/^\d+$/.test(min) && hour === "*") return `every hour, at minute ${min}`;
  if (/^\d+$/.test(min) && /^\d+$/.test(hour)) return `every day at ${hour.padStart(2, "0")}:${min.padStart(2, "0")} UTC`;
  return expr;
}
