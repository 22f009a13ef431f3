// The target a run is started on, by name: the configured one ("default", or no name) or a
// stored one opened from its sealed secrets. For run starters (POST /runs, the CLI, the queue).
import { ApiError } from "../api/errors";
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import type { Target } from "../troubleshooting/catalogue";
import { defaultTarget } from "../troubleshooting/runs/run-service";
import { openStoredTarget } from "./runtime";
import { DEFAULT_TARGET_NAME } from "./scope";

export interface RunTarget {
  /** With its database password: for createRun only (it seals it before the graph sees it). */
  target: Target;
  /** The stored target's id; null for the default target. */
  targetId: string | null;
  name: string;
}

/** Unknown names are a 422 naming `target` (the field the API and the run form use). */
export async function runTargetByName(prisma: PrismaClient, config: Env, name: string | undefined): Promise<RunTarget> {
  if (!name || name === DEFAULT_TARGET_NAME) return { target: defaultTarget(config), targetId: null, name: DEFAULT_TARGET_NAME };
  const row = await prisma.target.findUnique({ where: { name } });
  if (!row) throw new ApiError(422, "validation_failed", "The request is not valid.", { fields: { target: [`no target is named ${JSON.stringify(name)}`] } });
  let opened;
  try {
    opened = openStoredTarget(row, config.AUTH_SECRET);
  } catch {
    throw new ApiError(409, "target_secrets_unreadable", `The target "${row.name}"'s secrets cannot be opened (AUTH_SECRET changed?): set them again on the Targets page.`);
  }
  // The configured platform's CA, migrations folder and expected statuses are not this target's.
  return { target: { ...opened.target, crawlLimit: config.TARGET_CRAWL_LIMIT, caCertificates: null, migrationsDir: null }, targetId: row.id, name: row.name };
}
