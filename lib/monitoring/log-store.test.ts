import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { createPrismaClient } from "../db";
import { createLogger } from "./logger";
import { createLogStore, logQuerySchema, queryLogs } from "./log-store";

describe("log store", () => {
  it("keeps info and above, scrubbed, newest first, filtered by level and run, and bounded", async () => {
    const prisma = createPrismaClient(await createTestDatabase());
    try {
      const store = createLogStore(() => prisma, { maxRows: 5, flushMs: 10_000 });
      const log = createLogger({ level: "debug", destination: store.stream });
      log.debug("too chatty to keep");
      log.info({ runId: "run-a", databaseUrl: "postgresql://app:pw-in-url@db/x" }, "diagnostics started");
      log.error({ runId: "run-a", component: "engine" }, "connect to postgresql://app:pw-in-url@db/x failed");
      log.warn({ runId: "run-b", headers: { authorization: "Bearer tok-123456" } }, "slow");
      await store.flush();
      const all = await queryLogs(prisma, logQuerySchema.parse({}));
      expect(all.map((e) => [e.level, e.msg])).toEqual([["warn", "slow"], ["error", "connect to postgresql://app:***@db/x failed"], ["info", "diagnostics started"]]);
      expect(JSON.stringify(all)).not.toMatch(/pw-in-url|tok-123456/);
      expect((await queryLogs(prisma, logQuerySchema.parse({ level: "error" }))).map((e) => e.msg)).toEqual(["connect to postgresql://app:***@db/x failed"]);
      expect((await queryLogs(prisma, logQuerySchema.parse({ runId: "run-a" }))).map((e) => e.component)).toEqual(["engine", null]);

      for (let i = 0; i < 12; i++) log.info(`line ${i}`);
      await store.flush();
      for (let i = 0; i < 20; i++) {
        log.info(`more ${i}`);
        await store.flush(); // the 21st flush prunes
      }
      expect(await prisma.logEntry.count()).toBeLessThanOrEqual(6);
    } finally {
      await prisma.$disconnect();
    }
  });
});
