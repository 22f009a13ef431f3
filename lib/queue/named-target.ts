// A target named as the CLI (--target) and a queued job name it: "default" (the configured
// TARGET_* target, no row) or a stored target (model Target), opened from the store when the run
// starts, so that a queued job never carries a stored target's secret.
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import { DEFAULT_TARGET_NAME } from "../targets/scope";
import { openStoredTarget } from "../targets/runtime";
import { type Domain, domainSchema } from "../troubleshooting/report";
import type { Target } from "../troubleshooting/catalogue";
import { defaultTarget } from "../troubleshooting/runs/run-service";

/** No target has this name (refused at enqueue time, or the target was deleted since). */
export class UnknownTargetError extends Error {
  constructor(readonly targetName: string) {
    // JSON quoting shows spaces and control characters plainly; the name is the caller's own text.
    super(`no target named ${JSON.stringify(targetName)} (list them with \`npm run troubleshoot -- targets\`)`);
    this.name = "UnknownTargetError";
  }
}

/** The stored target's secrets cannot be opened (sealed with another AUTH_SECRET, or altered). */
export class TargetSecretsError extends Error {
  constructor(readonly targetName: string) {
    super(`the target ${JSON.stringify(targetName)}'s secrets cannot be opened (AUTH_SECRET changed?): set them again on the Targets page`);
    this.name = "TargetSecretsError";
  }
}

export interface NamedTarget {
  name: string;
  /** The stored target's id (TroubleshootingRun.targetId); null for the default target. */
  targetId: string | null;
  /** With the database password: for the process that runs it only. */
  target: Target;
  /** The domains its scheduled runs check (the stored target's `domains`); undefined: all. */
  domains?: Domain[];
}

/** Whether a target of that name exists (no secret is opened). */
export async function targetExists(prisma: PrismaClient, name: string): Promise<boolean> {
  if (name === DEFAULT_TARGET_NAME) return true;
  return (await prisma.target.count({ where: { name } })) > 0;
}

/** The target of that name, opened for a run. Throws UnknownTargetError when there is none, and
 * TargetSecretsError when its secrets were sealed with another AUTH_SECRET. */
export async function openNamedTarget(prisma: PrismaClient, config: Env, name: string, overrides: { browser?: boolean } = {}): Promise<NamedTarget> {
  if (name === DEFAULT_TARGET_NAME) {
    return { name, targetId: null, target: defaultTarget(config, overrides.browser === undefined ? {} : { browser: overrides.browser }) };
  }
  const row = await prisma.target.findUnique({ where: { name } });
  if (!row) throw new UnknownTargetError(name);
  let target: Target;
  try {
    // The configured platform's CA, migrations folder and expected statuses are not this target's.
    target = { ...openStoredTarget(row, config.AUTH_SECRET).target, crawlLimit: config.TARGET_CRAWL_LIMIT, caCertificates: null, migrationsDir: null };
  } catch {
    throw new TargetSecretsError(row.name);
  }
  const domains = row.domains.flatMap((d) => {
    const parsed = domainSchema.safeParse(d);
    return parsed.success ? [parsed.data] : [];
  });
  return {
    name,
    targetId: row.id,
    target: { ...target, ...(overrides.browser === undefined ? {} : { browser: overrides.browser }) },
    domains: domains.length ? domains : undefined,
  };
}
