// Stored targets (model Target): what an admin adds, edits and removes in the dashboard. Secrets
// are write-only: they go in through create/update and come back only as presence flags
// (TargetView.secrets). Every change is audited, with field names and never a secret's value.
import { z } from "zod";
import { ApiError } from "../api/errors";
import type { Admin } from "../auth/guard";
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import type { Target as TargetRow } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { ACTIVE_RUN_STATUSES, domainSchema } from "../troubleshooting/report";
import { targetKeyOf } from "../troubleshooting/runs/run-service";
import { hideUrlPasswords, isPathOnOrigin, isPostgresUrl, isSiteUrl } from "../url-rules";
import { databaseLabel } from "../ui/target";
import { DEFAULT_TARGET_NAME, defaultTargetRef } from "./scope";
import { type SecretsPresence, type TargetSecrets, openTargetSecrets, sealTargetSecrets, secretsPresence } from "./secrets";

export const SECRET_NAMES = ["databasePassword", "sessionCookie", "bearerToken", "vercelToken"] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

const nameSchema = z
  .string()
  .trim()
  .min(1, "give the target a name")
  .max(64, "at most 64 characters")
  .regex(NAME_PATTERN, "letters, digits, '.', '_' and '-' only")
  .refine((name) => name.toLowerCase() !== DEFAULT_TARGET_NAME, `"${DEFAULT_TARGET_NAME}" is the configured target's name`);

const siteUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine(isSiteUrl, "an http(s) URL without a user name or password, such as https://shop.example.com (the session cookie and bearer token carry credentials)");

const postgresUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine(isPostgresUrl, "a postgres:// URL, such as postgres://app@db.internal:5432/app");

/** A path under the base URL ("/api/health") or an absolute URL (its origin is checked against
 * the base URL once both are known: checkOrigins). */
const refSchema = z
  .string()
  .trim()
  .min(1)
  .max(2_000)
  .refine((value) => isPathOnOrigin(value) || isSiteUrl(value), { error: (issue) => `${hideUrlPasswords(JSON.stringify(issue.input))} is neither a path on the base URL (/...) nor an http(s) URL without a user name or password` });

const secretValue = z.string().max(8_000, "at most 8000 characters");

const fields = {
  name: nameSchema,
  baseUrl: siteUrl,
  /** May carry the password; it is taken out and sealed. */
  databaseUrl: postgresUrl,
  endpoints: z.array(refSchema).max(200),
  pages: z.array(refSchema).max(200),
  domains: z.array(domainSchema),
  /** Minutes between scheduled runs (5 minutes to a week); null: not scheduled. */
  scheduleMinutes: z.number().int("whole minutes").min(5, "at least every 5 minutes").max(10_080, "at most every 10080 minutes (a week)").nullable(),
  alertChannelIds: z.array(z.string().min(1).max(64)).max(50),
  /** Write-only; "" (or absent) keeps what is stored. Wins over a password in databaseUrl. */
  databasePassword: secretValue,
  sessionCookie: secretValue,
  bearerToken: secretValue,
  vercelToken: secretValue,
  /** Secrets to clear (after any new value: a secret both given and removed ends up removed). */
  removeSecrets: z.array(z.enum(SECRET_NAMES)),
};

export const createTargetSchema = z.strictObject({
  ...fields,
  endpoints: fields.endpoints.default([]),
  pages: fields.pages.default([]),
  domains: fields.domains.default([]),
  scheduleMinutes: fields.scheduleMinutes.default(null),
  alertChannelIds: fields.alertChannelIds.default([]),
  databasePassword: fields.databasePassword.optional(),
  sessionCookie: fields.sessionCookie.optional(),
  bearerToken: fields.bearerToken.optional(),
  vercelToken: fields.vercelToken.optional(),
  removeSecrets: fields.removeSecrets.optional(),
});
export type CreateTargetInput = z.input<typeof createTargetSchema>;

export const updateTargetSchema = z.strictObject(fields).partial();
export type UpdateTargetInput = z.input<typeof updateTargetSchema>;

export const targetIdSchema = z.object({ id: z.string().regex(/^[a-z0-9]{20,40}$/, "not a target id") });

/** A stored target as pages and API answers show it: no secret, only whether each is set. */
export interface TargetView {
  id: string;
  name: string;
  baseUrl: string;
  /** The database URL without its password. */
  databaseUrl: string;
  /** "host:port/dbname". */
  database: string;
  endpoints: string[];
  pages: string[];
  domains: string[];
  scheduleMinutes: number | null;
  nextRunAt: string | null;
  alertChannelIds: string[];
  targetKey: string;
  secrets: SecretsPresence;
  /** True when the sealed secrets cannot be opened (AUTH_SECRET changed): set them again. */
  secretsUnreadable: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface StoreContext {
  prisma: PrismaClient;
  /** The add-on's secret (AUTH_SECRET): seals the target's secrets. */
  secret: string;
  /** The configured (default) target: a stored one may not be the same site and database. */
  config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">;
  /** Who acts, for the audit log; null for a system caller (a test, a script). */
  actor: Admin | null;
}

function readSecrets(row: Pick<TargetRow, "sealedSecrets">, secret: string): { secrets: TargetSecrets; unreadable: boolean } {
  try {
    return { secrets: openTargetSecrets(row.sealedSecrets, secret), unreadable: false };
  } catch {
    return { secrets: {}, unreadable: true };
  }
}

export function toView(row: TargetRow, secret: string): TargetView {
  const { secrets, unreadable } = readSecrets(row, secret);
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    databaseUrl: row.databaseUrl,
    database: databaseLabel(row.databaseUrl),
    endpoints: row.endpoints,
    pages: row.pages,
    domains: row.domains,
    scheduleMinutes: row.scheduleMinutes,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    alertChannelIds: row.alertChannelIds,
    targetKey: row.targetKey,
    secrets: secretsPresence(secrets),
    secretsUnreadable: unreadable,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A 422 like the API's ZodError answer, for checks that need more than one field. */
function invalid(field: string, message: string): ApiError {
  return new ApiError(422, "validation_failed", "The request is not valid.", { fields: { [field]: [message] } });
}

/** Every absolute endpoint or page must be on the base URL's origin: the target's credentials go
 * there, and a run must not probe another site under this target's name. */
function checkOrigins(baseUrl: string, refs: { endpoints: string[]; pages: string[] }): void {
  const origin = new URL(baseUrl).origin;
  for (const field of ["endpoints", "pages"] as const) {
    const outside = refs[field].find((ref) => !ref.startsWith("/") && new URL(ref).origin !== origin);
    if (outside) throw invalid(field, `${JSON.stringify(outside)} is not on ${origin}`);
  }
}

async function checkChannels(prisma: PrismaClient, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await prisma.alertChannel.findMany({ where: { id: { in: ids } }, select: { id: true } });
  const missing = ids.find((id) => !found.some((f) => f.id === id));
  if (missing) throw invalid("alertChannelIds", `no alert channel has the id ${JSON.stringify(missing)}`);
}

/** The database URL split: without its password (stored), and the password (sealed). */
function splitDatabaseUrl(databaseUrl: string): { url: string; password: string | undefined } {
  const url = new URL(databaseUrl);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = "";
  return { url: url.toString(), password };
}

/** Refuses a target that another (stored or the default) already is: same site and database. */
async function checkUniqueKey(ctx: StoreContext, targetKey: string, exceptId: string | null): Promise<void> {
  if (targetKey === defaultTargetRef(ctx.config).targetKey) throw new ApiError(409, "target_exists", `The "${DEFAULT_TARGET_NAME}" target (from the environment) is already this site and database.`, { existing: DEFAULT_TARGET_NAME });
  const other = await ctx.prisma.target.findUnique({ where: { targetKey }, select: { id: true, name: true } });
  if (other && other.id !== exceptId) throw new ApiError(409, "target_exists", `The target "${other.name}" is already this site and database.`, { existing: other.name });
}

async function checkUniqueName(prisma: PrismaClient, name: string, exceptId: string | null): Promise<void> {
  const other = await prisma.target.findUnique({ where: { name }, select: { id: true } });
  if (other && other.id !== exceptId) throw new ApiError(409, "name_taken", `A target named "${name}" exists already.`, { existing: name });
}

/** A unique index beat our check (two admins at once): the same 409. */
function conflictOnRace(err: unknown): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new ApiError(409, "target_exists", "Another target has this name, or this site and database.");
  throw err;
}

function audit(ctx: StoreContext, action: string, id: string, detail: Prisma.InputJsonObject) {
  return ctx.prisma.auditLog.create({ data: { actorId: ctx.actor?.id ?? null, actorEmail: ctx.actor?.email ?? "system", action, targetType: "target", targetId: id, detail } });
}

/** The secrets after an edit: new non-empty values replace, removals clear, the rest stay. */
function mergeSecrets(stored: TargetSecrets, given: Partial<Record<SecretName, string | undefined>>, remove: readonly SecretName[]): { secrets: TargetSecrets; changed: SecretName[] } {
  const secrets: TargetSecrets = { ...stored };
  const changed = new Set<SecretName>();
  for (const name of SECRET_NAMES) {
    const value = given[name];
    if (value) {
      if (secrets[name] !== value) changed.add(name);
      secrets[name] = value;
    }
  }
  for (const name of remove) {
    if (secrets[name]) changed.add(name);
    delete secrets[name];
  }
  return { secrets, changed: [...changed] };
}

export async function listTargets(prisma: PrismaClient, secret: string): Promise<TargetView[]> {
  return (await prisma.target.findMany({ orderBy: { name: "asc" } })).map((row) => toView(row, secret));
}

export async function getTarget(prisma: PrismaClient, secret: string, id: string): Promise<TargetView | null> {
  const row = await prisma.target.findUnique({ where: { id } });
  return row ? toView(row, secret) : null;
}

export async function createTarget(ctx: StoreContext, raw: unknown): Promise<TargetView> {
  const input = createTargetSchema.parse(raw);
  checkOrigins(input.baseUrl, input);
  await checkChannels(ctx.prisma, input.alertChannelIds);
  const database = splitDatabaseUrl(input.databaseUrl);
  const targetKey = targetKeyOf({ baseUrl: input.baseUrl, databaseUrl: database.url });
  await checkUniqueName(ctx.prisma, input.name, null);
  await checkUniqueKey(ctx, targetKey, null);
  const { secrets, changed } = mergeSecrets({}, { ...input, databasePassword: input.databasePassword || database.password }, input.removeSecrets ?? []);
  const row = await ctx.prisma.target
    .create({
      data: {
        name: input.name,
        baseUrl: input.baseUrl,
        databaseUrl: database.url,
        sealedSecrets: sealTargetSecrets(secrets, ctx.secret),
        endpoints: [...new Set(input.endpoints)],
        pages: [...new Set(input.pages)],
        domains: [...new Set(input.domains)],
        scheduleMinutes: input.scheduleMinutes,
        // A newly scheduled target is due at once: the scheduler takes it on its next pass.
        nextRunAt: input.scheduleMinutes === null ? null : new Date(),
        alertChannelIds: [...new Set(input.alertChannelIds)],
        targetKey,
      },
    })
    .catch(conflictOnRace);
  await audit(ctx, "target.created", row.id, { name: row.name, baseUrl: row.baseUrl, database: databaseLabel(row.databaseUrl), secretsSet: changed });
  return toView(row, ctx.secret);
}

export async function updateTarget(ctx: StoreContext, id: string, raw: unknown): Promise<TargetView> {
  const input = updateTargetSchema.parse(raw);
  const row = await ctx.prisma.target.findUnique({ where: { id } });
  if (!row) throw new ApiError(404, "not_found", "No such target.");
  const stored = readSecrets(row, ctx.secret);
  const baseUrl = input.baseUrl ?? row.baseUrl;
  const endpoints = input.endpoints ?? row.endpoints;
  const pages = input.pages ?? row.pages;
  checkOrigins(baseUrl, { endpoints, pages });
  if (input.alertChannelIds) await checkChannels(ctx.prisma, input.alertChannelIds);
  // A database URL without a password keeps the stored one; with one, replaces it.
  const database = input.databaseUrl ? splitDatabaseUrl(input.databaseUrl) : { url: row.databaseUrl, password: undefined };
  const targetKey = targetKeyOf({ baseUrl, databaseUrl: database.url });
  if (input.name && input.name !== row.name) await checkUniqueName(ctx.prisma, input.name, id);
  if (targetKey !== row.targetKey) await checkUniqueKey(ctx, targetKey, id);
  if (targetKey !== row.targetKey && (await activeRunOf(ctx.prisma, row.targetKey))) {
    throw new ApiError(409, "run_in_progress", "A run on this target is in progress: change its site or database once it has ended.");
  }
  const { secrets, changed: secretsChanged } = mergeSecrets(stored.secrets, { ...input, databasePassword: input.databasePassword || database.password }, input.removeSecrets ?? []);
  const data = {
    name: input.name ?? row.name,
    baseUrl,
    databaseUrl: database.url,
    endpoints: [...new Set(endpoints)],
    pages: [...new Set(pages)],
    domains: input.domains ? [...new Set(input.domains)] : row.domains,
    scheduleMinutes: input.scheduleMinutes === undefined ? row.scheduleMinutes : input.scheduleMinutes,
    alertChannelIds: input.alertChannelIds ? [...new Set(input.alertChannelIds)] : row.alertChannelIds,
    targetKey,
  };
  const changed = (Object.keys(data) as (keyof typeof data)[]).filter((k) => JSON.stringify(data[k]) !== JSON.stringify(row[k]));
  const scheduleChanged = data.scheduleMinutes !== row.scheduleMinutes;
  const updated = await ctx.prisma.target
    .update({
      where: { id },
      data: {
        ...data,
        // Unreadable secrets are kept as they are unless the admin sets or removes one.
        ...(secretsChanged.length > 0 || !stored.unreadable ? { sealedSecrets: sealTargetSecrets(secrets, ctx.secret) } : {}),
        ...(scheduleChanged ? { nextRunAt: data.scheduleMinutes === null ? null : new Date() } : {}),
      },
    })
    .catch(conflictOnRace);
  await audit(ctx, "target.updated", id, { name: updated.name, changed, secretsChanged });
  return toView(updated, ctx.secret);
}

/** An active run on the target, if any. */
async function activeRunOf(prisma: Pick<PrismaClient, "troubleshootingRun">, targetKey: string): Promise<{ id: string } | null> {
  return prisma.troubleshootingRun.findFirst({ where: { targetKey, status: { in: [...ACTIVE_RUN_STATUSES] } }, select: { id: true } });
}

/** Deletes the target; its runs, issues and history stay (found by their targetKey). Refused
 * (409) while a run on it is active: that run still needs its secrets. */
export async function deleteTarget(ctx: StoreContext, id: string): Promise<void> {
  const row = await ctx.prisma.target.findUnique({ where: { id }, select: { id: true, name: true, targetKey: true } });
  if (!row) throw new ApiError(404, "not_found", "No such target.");
  await ctx.prisma.$transaction(async (tx) => {
    // The lock createRun takes: no run on this target starts between the check and the delete.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('troubleshooter'), hashtext(${row.targetKey}))`;
    const active = await activeRunOf(tx, row.targetKey);
    if (active) throw new ApiError(409, "run_in_progress", `A run on "${row.name}" is in progress: delete the target once it has ended.`, { runId: active.id });
    await tx.target.delete({ where: { id } });
  });
  await audit(ctx, "target.deleted", id, { name: row.name });
}
