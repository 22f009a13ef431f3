// The target store against a real database: validation naming the field, write-only secrets and
// their update semantics, uniqueness of a site and database, deletion that keeps runs, the audit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { ApiError } from "../api/errors";
import { type PrismaClient, createPrismaClient } from "../db";
import { openStoredTarget } from "./runtime";
import { type StoreContext, createTarget, deleteTarget, getTarget, listTargets, updateTarget } from "./store";

const SECRET = "s".repeat(40);
let prisma: PrismaClient;
let ctx: StoreContext;

beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
  ctx = { prisma, secret: SECRET, config: { targetBaseUrl: "https://default.example", targetDatabaseUrl: "postgres://app:pw@db.default:5432/app" }, actor: { id: "u1", email: "admin@example.com" } };
});
afterAll(() => prisma.$disconnect());

/** The 422's field messages, or the ApiError's status and code. */
async function refusal(work: Promise<unknown>): Promise<{ status: number; code: string; fields?: Record<string, string[]>; message: string }> {
  const err = await work.then(() => null, (e: unknown) => e);
  if (err instanceof ApiError) return { status: err.status, code: err.code, fields: err.details?.fields as Record<string, string[]> | undefined, message: err.message };
  if (err && typeof err === "object" && "issues" in err) {
    const fields: Record<string, string[]> = {};
    for (const issue of (err as { issues: { path: PropertyKey[]; message: string }[] }).issues) (fields[issue.path.join(".")] ??= []).push(issue.message);
    return { status: 422, code: "validation_failed", fields, message: "" };
  }
  throw new Error(`expected a refusal, got ${String(err)}`);
}

const base = { name: "shop", baseUrl: "https://shop.example", databaseUrl: "postgres://shop:p%40ss@db.shop:5432/shop" };

describe("the target store", () => {
  it("refuses bad input naming each field, and an endpoint off the site naming the value once", async () => {
    const bad = await refusal(createTarget(ctx, { name: "default", baseUrl: "ftp://x", databaseUrl: "http://db", scheduleMinutes: 3, endpoints: ["nope"] }));
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["baseUrl", "databaseUrl", "endpoints.0", "name", "scheduleMinutes"]);
    expect((await refusal(createTarget(ctx, { ...base, name: "has space" }))).fields?.name?.[0]).toMatch(/letters, digits/);
    const offSite = await refusal(createTarget(ctx, { ...base, pages: ["/ok", "https://evil.example/x"] }));
    expect(offSite.fields?.pages).toEqual(['"https://evil.example/x" is not on https://shop.example']);
    expect((await refusal(createTarget(ctx, { ...base, alertChannelIds: ["nochannel"] }))).fields?.alertChannelIds?.[0]).toMatch(/no alert channel/);
    expect((await refusal(createTarget(ctx, { ...base, extra: 1 }))).status).toBe(422);
  });

  it("stores the database URL without its password and seals the secrets; answers only presence; audits without values", async () => {
    const view = await createTarget(ctx, { ...base, bearerToken: "tok-SECRET-1", endpoints: ["/api/health", "https://shop.example/api/x"], scheduleMinutes: 60 });
    expect(view).toMatchObject({ name: "shop", databaseUrl: "postgres://shop@db.shop:5432/shop", database: "db.shop:5432/shop", scheduleMinutes: 60, secrets: { databasePassword: true, bearerToken: true, sessionCookie: false, vercelToken: false } });
    expect(view.nextRunAt).not.toBeNull();
    const row = await prisma.target.findUniqueOrThrow({ where: { id: view.id } });
    expect(JSON.stringify(row)).not.toMatch(/p%40ss|p@ss|tok-SECRET-1/);
    expect(JSON.stringify(view)).not.toMatch(/p%40ss|p@ss|tok-SECRET-1/);
    const opened = openStoredTarget(row, SECRET);
    expect(new URL(opened.target.databaseUrl).password).toBe("p%40ss");
    expect(opened.credentials).toEqual({ origin: "https://shop.example", bearer: "tok-SECRET-1", cookie: undefined });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "target.created", targetId: view.id } });
    expect(audit.actorEmail).toBe("admin@example.com");
    expect(JSON.stringify(audit.detail)).not.toMatch(/p@ss|p%40ss|tok-SECRET-1/);
    expect(audit.detail).toMatchObject({ secretsSet: ["databasePassword", "bearerToken"] });
    expect((await listTargets(prisma, SECRET)).map((t) => t.name)).toContain("shop");
  });

  it("refuses a second target on the same site and database (naming it), the default target's, and a taken name", async () => {
    const same = await refusal(createTarget(ctx, { ...base, name: "shop-again", databaseUrl: "postgres://other:pw@db.shop:5432/shop" }));
    expect(same).toMatchObject({ status: 409, code: "target_exists" });
    expect(same.message).toContain('"shop"');
    const fallback = await refusal(createTarget(ctx, { name: "dup", baseUrl: "https://default.example/", databaseUrl: "postgres://app@db.default:5432/app" }));
    expect(fallback.message).toContain('"default"');
    expect(await refusal(createTarget(ctx, { ...base, databaseUrl: "postgres://x@db.other:5432/x" }))).toMatchObject({ status: 409, code: "name_taken" });
  });

  it("keeps a secret left empty and the stored password for a URL without one; replaces and removes on request", async () => {
    const created = await createTarget(ctx, { name: "edit-me", baseUrl: "https://edit.example", databaseUrl: "postgres://e:first@db.edit:5432/e", sessionCookie: "sid=COOKIE-1" });
    const opened = async () => openStoredTarget(await prisma.target.findUniqueOrThrow({ where: { id: created.id } }), SECRET);
    await updateTarget(ctx, created.id, { databaseUrl: "postgres://e@db.edit:5432/e", sessionCookie: "", pages: ["/about"] });
    expect(new URL((await opened()).target.databaseUrl).password).toBe("first");
    expect((await opened()).credentials?.cookie).toBe("sid=COOKIE-1");
    await updateTarget(ctx, created.id, { databaseUrl: "postgres://e:second@db.edit:5432/e", bearerToken: "BEARER-2" });
    expect(new URL((await opened()).target.databaseUrl).password).toBe("second");
    const removed = await updateTarget(ctx, created.id, { removeSecrets: ["sessionCookie", "databasePassword"] });
    expect(removed.secrets).toEqual({ databasePassword: false, sessionCookie: false, bearerToken: true, vercelToken: false });
    expect((await opened()).credentials).toEqual({ origin: "https://edit.example", bearer: "BEARER-2", cookie: undefined });
    const scheduled = await updateTarget(ctx, created.id, { scheduleMinutes: null });
    expect(scheduled.nextRunAt).toBeNull();
    const audits = await prisma.auditLog.findMany({ where: { action: "target.updated", targetId: created.id } });
    expect(audits).toHaveLength(4);
    expect(JSON.stringify(audits.map((a) => a.detail))).not.toMatch(/first|second|COOKIE-1|BEARER-2/);
    expect(await refusal(updateTarget(ctx, created.id, { pages: ["https://elsewhere.example/"] }))).toMatchObject({ status: 422, fields: { pages: ['"https://elsewhere.example/" is not on https://edit.example'] } });
  });

  it("refuses to delete while a run on it is active; deleting keeps its runs", async () => {
    const view = await createTarget(ctx, { name: "gone", baseUrl: "https://gone.example", databaseUrl: "postgres://g@db.gone:5432/g" });
    const run = await prisma.troubleshootingRun.create({ data: { trigger: "api", status: "running", target: {}, targetKey: view.targetKey, targetId: view.id } });
    expect(await refusal(deleteTarget(ctx, view.id))).toMatchObject({ status: 409, code: "run_in_progress" });
    await prisma.troubleshootingRun.update({ where: { id: run.id }, data: { status: "completed" } });
    await deleteTarget(ctx, view.id);
    expect(await getTarget(prisma, SECRET, view.id)).toBeNull();
    expect(await prisma.troubleshootingRun.findUnique({ where: { id: run.id }, select: { targetKey: true } })).toEqual({ targetKey: view.targetKey });
    expect(await prisma.auditLog.count({ where: { action: "target.deleted", targetId: view.id } })).toBe(1);
    expect(await refusal(deleteTarget(ctx, view.id))).toMatchObject({ status: 404 });
  });
});
