// One add-on instance: its configuration is read on first use, its log lines land in its own
// database, and closing it detaches them.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { logger } from "../monitoring/logger";
import { createAddonContext } from "./context";

describe("an add-on context", () => {
  it("reads its options only when first used, and names a bad setting without its value", () => {
    let read = 0;
    const context = createAddonContext(() => (read++, { databaseUrl: "mysql://u:hunter2@db/x", secret: "short", authorize: async () => null }));
    expect(read).toBe(0);
    expect(() => context.config()).toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL[\s\S]*AUTH_SECRET: must be at least 32/);
    expect(() => context.config()).not.toThrow(/hunter2/);
  });

  it("keeps the process's log lines in its database until closed", async () => {
    const databaseUrl = await createTestDatabase();
    const context = createAddonContext({ databaseUrl, secret: "s".repeat(40), authorize: async () => null });
    const stored = async (msg: string) => (await context.prisma().logEntry.count({ where: { msg } })) > 0;
    logger().warn({ component: "test" }, "kept in the add-on's database");
    await expect.poll(() => stored("kept in the add-on's database"), { timeout: 5_000 }).toBe(true);
    await context.close();
    logger().warn({ component: "test" }, "after close");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const reopened = createAddonContext({ databaseUrl, secret: "s".repeat(40), authorize: async () => null });
    expect(await reopened.prisma().logEntry.count({ where: { msg: "after close" } })).toBe(0);
    await reopened.close();
  });
});
