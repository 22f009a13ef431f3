import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { type PrismaClient, createPrismaClient } from "../../db";
import { authenticate, createUser, ensureFirstAdmin } from "./users";

let prisma: PrismaClient;
beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(() => prisma.$disconnect());

describe("admin accounts", () => {
  it("creates the first admin once, with a generated password that works", async () => {
    const created = await ensureFirstAdmin(prisma, {});
    expect(created).toMatchObject({ email: "admin@troubleshooter.local", generated: true });
    expect(created?.password.length).toBeGreaterThanOrEqual(20);
    expect(await ensureFirstAdmin(prisma, { email: "other@example.com", password: "another-password" })).toBeNull();
    expect(await prisma.user.count()).toBe(1);

    const user = await authenticate(prisma, "ADMIN@troubleshooter.local", created?.password ?? "");
    expect(user).toMatchObject({ email: "admin@troubleshooter.local", role: "ADMIN" });
    const stored = await prisma.user.findFirstOrThrow();
    expect(stored.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    expect(stored.passwordHash).not.toContain(created?.password);
  });

  it("refuses wrong passwords and unknown users, and audits every attempt", async () => {
    await createUser(prisma, { email: "viewer@example.com", password: "viewer-password-1", role: "VIEWER" });
    expect(await authenticate(prisma, "viewer@example.com", "wrong")).toBeNull();
    expect(await authenticate(prisma, "nobody@example.com", "whatever")).toBeNull();
    expect(await authenticate(prisma, "viewer@example.com", "viewer-password-1")).toMatchObject({ role: "VIEWER" });
    const actions = await prisma.auditLog.findMany({ where: { actorEmail: { in: ["viewer@example.com", "nobody@example.com"] } }, orderBy: { id: "asc" } });
    expect(actions.map((a) => [a.action, a.actorEmail])).toEqual([
      ["auth.login_failed", "viewer@example.com"],
      ["auth.login_failed", "nobody@example.com"],
      ["auth.login", "viewer@example.com"],
    ]);
  });
});
