// One add-on instance: its configuration is read on first use, its log lines land in its own
// database, and closing it detaches them. A store opened ahead (openStore) is taken or closed.
import { describe, expect, it } from "vitest";
import { createTestDatabase, withClient } from "../../fixtures/test/databases";
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

describe("a store opened before the configuration is known (openStore)", () => {
  const options = (databaseUrl: string) => ({ databaseUrl, secret: "s".repeat(40), authorize: async () => null });
  /** The PostgreSQL backends connected to the database, but the one asking. */
  const backends = (databaseUrl: string) =>
    withClient(databaseUrl, async (sql) => {
      const { rows } = await sql.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      return new Set(rows.map((r) => r.pid));
    });

  it("serves the first use when the configuration names that store: no new backend for Prisma or the checkpointer", async () => {
    const databaseUrl = await createTestDatabase();
    const context = createAddonContext(options(databaseUrl));
    await context.openStore(databaseUrl);
    const opened = await backends(databaseUrl);
    expect(opened.size).toBe(2); // one for Prisma, one for the checkpointer (its tables set up)
    const engine = await context.engine();
    await context.prisma().troubleshootingRun.count();
    await engine.checkpointer.getTuple({ configurable: { thread_id: "no run" } });
    expect([...(await backends(databaseUrl))].filter((pid) => !opened.has(pid))).toEqual([]);
    await context.close();
    await expect.poll(async () => (await backends(databaseUrl)).size).toBe(0);
  });

  it("closes what it opened when the configuration names another store, or when it was never used", async () => {
    const [databaseUrl, other] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const context = createAddonContext(options(databaseUrl));
    await context.openStore(other);
    expect((await backends(other)).size).toBe(2);
    await context.prisma().troubleshootingRun.count();
    await expect.poll(async () => (await backends(other)).size).toBe(0);
    await context.close();

    const unused = createAddonContext(options(databaseUrl));
    await unused.openStore(databaseUrl);
    expect((await backends(databaseUrl)).size).toBe(2);
    await unused.close();
    await expect.poll(async () => (await backends(databaseUrl)).size).toBe(0);
  });

  it("throws the server's refusal, and the configured store is then connected as usual", async () => {
    const databaseUrl = await createTestDatabase();
    const missing = new URL(databaseUrl);
    missing.pathname = "/no_such_database";
    const context = createAddonContext(options(databaseUrl));
    await expect(context.openStore(missing.toString())).rejects.toThrow(/database "no_such_database" does not exist/);
    await context.prisma().troubleshootingRun.count(); // the configured store, connected the usual way
    await context.close();
  });
});
