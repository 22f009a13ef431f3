// Like with like: a run's score, or what it found, is only compared with runs on the same target
// (its targetKey) that checked the same domains (its config's scope). A web-only run's 0 says
// nothing about the full run before it, nor a run on another site about this one.
import type { PrismaClient } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import { DOMAINS, type Domain } from "../report";

/** The domains a run checked, from its stored config, in DOMAINS order; every domain when the
 * config does not say (runs stored before the config recorded them checked all three). */
export function scopeOf(config: unknown): Domain[] {
  const listed = (config as { domains?: unknown } | null)?.domains;
  if (!Array.isArray(listed)) return [...DOMAINS];
  const scope = DOMAINS.filter((d) => listed.includes(d));
  return scope.length > 0 ? scope : [...DOMAINS];
}

/** The comparison key of a scope: "database,network,web" (sorted, as scopeSql computes it). */
export const scopeKey = (scope: readonly Domain[]) => [...scope].sort().join(",");

const DOMAIN_WORDS: Record<Domain, string> = { web: "web", database: "database", network: "network" };

/** "full" for every domain, else "web-only" or "web + database": how a run's scope reads in a sentence. */
export function scopeLabel(scope: readonly Domain[]): string {
  if (DOMAINS.every((d) => scope.includes(d))) return "full";
  if (scope.length === 1) return `${DOMAIN_WORDS[scope[0] as Domain]}-only`;
  return scope.map((d) => DOMAIN_WORDS[d]).join(" + ");
}

/** A readable name for a run's target: its site origin and database name ("https://shop.example ·
 * shop"), from the targetKey (no credentials in it); the key itself when it has another shape. */
export function targetLabel(targetKey: string): string {
  const [site, database] = targetKey.split("|");
  if (!site || database === undefined) return targetKey;
  const name = database.split("?")[0]?.split("/").filter(Boolean).at(-1);
  return name && !name.includes(":") ? `${site} · ${name}` : site;
}

/** SQL for the scope key of the run aliased `r` (the same string scopeKey gives for scopeOf(config)). */
export const scopeSql = Prisma.sql`coalesce((
  SELECT string_agg(DISTINCT d, ',' ORDER BY d) FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(r.config->'domains') = 'array' THEN r.config->'domains' ELSE '[]'::jsonb END) d
  WHERE d IN ('web', 'database', 'network')), ${scopeKey(DOMAINS)})`;

export interface ComparableRun {
  id: string;
  healthScoreAfter: number;
  startedAt: Date;
}

/** The latest completed, scored run before `run` on the same target with the same scope, or null
 * (then there is nothing to compare with: the first full run on this target, say). */
export async function previousComparableRun(
  prisma: PrismaClient,
  run: { id: string; targetKey: string; startedAt: Date; config: unknown },
): Promise<ComparableRun | null> {
  const [row] = await prisma.$queryRaw<ComparableRun[]>`
    SELECT r.id, r."healthScoreAfter", r."startedAt" FROM troubleshooter."TroubleshootingRun" r
    WHERE r."targetKey" = ${run.targetKey} AND r.status = 'completed' AND r."healthScoreAfter" IS NOT NULL
      AND r.id <> ${run.id} AND r."startedAt" < ${run.startedAt} AND ${scopeSql} = ${scopeKey(scopeOf(run.config))}
    ORDER BY r."startedAt" DESC LIMIT 1`;
  return row ?? null;
}
