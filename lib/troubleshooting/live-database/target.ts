// Which database the live view reads: `?target=<name>` (absent: the default target, the configured
// TARGET_DATABASE_URL), a stored target opened with its sealed password. The URL with the password
// stays on the server; pages get the name and "host:port/db".
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { openStoredTarget } from "../../targets/runtime";
import { DEFAULT_TARGET_NAME } from "../../targets/scope";
import { databaseLabel } from "../../ui/target";
import type { Target } from "../catalogue";
import { defaultTarget } from "../runs/run-service";

export interface LiveTarget {
  name: string;
  /** "host:port/dbname", for the page. */
  database: string;
  /** The run-shaped target the fix actions take (database URL with its password): server only. */
  target: Target;
}

export type LiveTargetLookup = { ok: true; live: LiveTarget } | { ok: false; reason: "unknown" | "sealed"; name: string };

export async function liveTargetFor(prisma: PrismaClient, config: Env, name: string | undefined): Promise<LiveTargetLookup> {
  if (!name || name === DEFAULT_TARGET_NAME) {
    return { ok: true, live: { name: DEFAULT_TARGET_NAME, database: databaseLabel(config.targetDatabaseUrl), target: defaultTarget(config) } };
  }
  const row = await prisma.target.findUnique({ where: { name } });
  if (!row) return { ok: false, reason: "unknown", name };
  try {
    return { ok: true, live: { name: row.name, database: databaseLabel(row.databaseUrl), target: openStoredTarget(row, config.AUTH_SECRET).target } };
  } catch {
    // Sealed with another AUTH_SECRET: say so rather than connect without the password.
    return { ok: false, reason: "sealed", name };
  }
}
