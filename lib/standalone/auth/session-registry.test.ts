import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { type PrismaClient, createPrismaClient } from "../../db";
import { SessionRegistry } from "./session-registry";
import { createUser } from "./users";

let prisma: PrismaClient;
let userId: string;
let clock = Date.now();
const registry = () => new SessionRegistry({ recheckMs: 60_000, maxAgeSeconds: 8 * 3600, now: () => clock });

beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
  ({ id: userId } = await createUser(prisma, { email: "admin@example.com", password: "admin-password-1", role: "ADMIN" }));
});
afterAll(async () => {
  await prisma.$disconnect();
});

describe("SessionRegistry", () => {
  it("a revocation on one instance is seen by another within the recheck window, not before", async () => {
    const [a, b] = [registry(), registry()];
    const id = await a.open(prisma, userId);
    expect(await b.check(prisma, id, userId)).toEqual({ role: "ADMIN" });
    await a.revoke(prisma, id);
    expect(await a.check(prisma, id, userId)).toBeNull(); // at once where the sign-out happened
    clock += 59_000;
    expect(await b.check(prisma, id, userId)).toEqual({ role: "ADMIN" }); // answered from memory
    clock += 1_000;
    expect(await b.check(prisma, id, userId)).toBeNull();
  });

  it("a demotion is seen at the next recheck", async () => {
    const r = registry();
    const id = await r.open(prisma, userId);
    expect(await r.check(prisma, id, userId)).toEqual({ role: "ADMIN" });
    await prisma.user.update({ where: { id: userId }, data: { role: "VIEWER" } });
    expect(await r.check(prisma, id, userId)).toEqual({ role: "ADMIN" });
    clock += 60_000;
    expect(await r.check(prisma, id, userId)).toEqual({ role: "VIEWER" });
    await prisma.user.update({ where: { id: userId }, data: { role: "ADMIN" } });
  });

  it("refuses another user's session id, an expired session, and a deleted user's", async () => {
    const r = registry();
    const id = await r.open(prisma, userId);
    expect(await r.check(prisma, id, "someone-else")).toBeNull();
    clock += 8 * 3600 * 1000 + 1;
    expect(await r.check(prisma, id, userId)).toBeNull();
    // Opening another session clears the user's expired rows.
    const next = await r.open(prisma, userId);
    expect(await prisma.session.count({ where: { sessionToken: id } })).toBe(0);
    const other = await createUser(prisma, { email: "gone@example.com", password: "gone-password-12", role: "ADMIN" });
    const gone = await r.open(prisma, other.id);
    await prisma.user.delete({ where: { id: other.id } });
    expect(await r.check(prisma, gone, other.id)).toBeNull();
    expect(await r.check(prisma, next, userId)).toEqual({ role: "ADMIN" });
  });

  it("each database read extends the session, as the token's own expiry slides", async () => {
    const r = registry();
    const id = await r.open(prisma, userId);
    clock += 7 * 3600 * 1000;
    expect(await r.check(prisma, id, userId)).toEqual({ role: "ADMIN" });
    clock += 7 * 3600 * 1000;
    expect(await r.check(prisma, id, userId)).toEqual({ role: "ADMIN" });
  });

  it("throws when the database cannot answer, rather than ending the session", async () => {
    const down = createPrismaClient("postgresql://nobody@127.0.0.1:9/none");
    await expect(registry().check(down, "some-id", userId)).rejects.toThrow();
    await down.$disconnect();
  });
});
