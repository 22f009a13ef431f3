// Which target a page, an API call or a command is about. The configured target (TARGET_* or a
// host's `target` option) is the default one, named "default", with no row; stored targets
// (model Target) have their own names. Everything here is free of secrets: a TargetRef may be
// shown and sent to the browser.
import { ApiError } from "../api/errors";
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import { targetKeyOf } from "../troubleshooting/runs/run-service";
import { databaseLabel } from "../ui/target";

/** The configured target's name; no stored target may take it. */
export const DEFAULT_TARGET_NAME = "default";

export interface TargetRef {
  /** The stored target's id; null for the default target. */
  id: string | null;
  name: string;
  /** How its runs, history and issues are found (TroubleshootingRun.targetKey). */
  targetKey: string;
  baseUrl: string;
  /** "host:port/dbname": never a user or password. */
  database: string;
}

/** The default target as a TargetRef. */
export function defaultTargetRef(config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">): TargetRef {
  return { id: null, name: DEFAULT_TARGET_NAME, targetKey: targetKeyOf({ baseUrl: config.targetBaseUrl, databaseUrl: config.targetDatabaseUrl }), baseUrl: config.targetBaseUrl, database: databaseLabel(config.targetDatabaseUrl) };
}

/** Every target: the default one first, then the stored ones by name. */
export async function listTargetRefs(prisma: PrismaClient, config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">): Promise<TargetRef[]> {
  const rows = await prisma.target.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, targetKey: true, baseUrl: true, databaseUrl: true } });
  return [defaultTargetRef(config), ...rows.map((r) => ({ id: r.id, name: r.name, targetKey: r.targetKey, baseUrl: r.baseUrl, database: databaseLabel(r.databaseUrl) }))];
}

/** The target a `?target=<name>` names; null when none is named (all targets). Unknown names are
 * null too, and `unknown` says so, for a page to tell the admin. */
export async function targetScope(prisma: PrismaClient, config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">, name: string | undefined): Promise<{ target: TargetRef | null; unknown: boolean }> {
  if (!name) return { target: null, unknown: false };
  if (name === DEFAULT_TARGET_NAME) return { target: defaultTargetRef(config), unknown: false };
  const row = await prisma.target.findUnique({ where: { name }, select: { id: true, name: true, targetKey: true, baseUrl: true, databaseUrl: true } });
  return row ? { target: { id: row.id, name: row.name, targetKey: row.targetKey, baseUrl: row.baseUrl, database: databaseLabel(row.databaseUrl) }, unknown: false } : { target: null, unknown: true };
}

/** Each target's name by its key (TroubleshootingRun.targetKey), to name runs. */
export function targetNames(refs: readonly TargetRef[]): Map<string, string> {
  return new Map(refs.map((r) => [r.targetKey, r.name]));
}

/** Every target, and the one `?target=<name>` names (undefined for none). An unknown name is a
 * 422 naming `target`, as the API answers a bad field. */
export async function resolveTargetFilter(prisma: PrismaClient, config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">, name: string | undefined): Promise<{ refs: TargetRef[]; target: TargetRef | undefined }> {
  const refs = await listTargetRefs(prisma, config);
  const target = name ? refs.find((r) => r.name === name) : undefined;
  if (name && !target) throw new ApiError(422, "validation_failed", "The request is not valid.", { fields: { target: [`no target is named ${JSON.stringify(name)}`] } });
  return { refs, target };
}
