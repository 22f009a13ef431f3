import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { createTestDatabase } from "../../fixtures/test/databases";
import { createPrismaClient } from "../db";
import { checkAppHealth } from "./app-health";

describe("checkAppHealth", () => {
  it("reports ok with a measured latency from the real server", async () => {
    const prisma = createPrismaClient(await createTestDatabase({ migrate: false }));
    try {
      const health = await checkAppHealth(prisma);
      expect(health.status).toBe("ok");
      expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(health.database.reachable).toBe(true);
      expect(health.database.latencyMs).toBeGreaterThan(0);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("reports down, with a safe reason, once its database server is stopped", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-down-"));
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: "pw-down-test", persistent: false });
    const prisma = createPrismaClient(server.url);
    try {
      expect((await checkAppHealth(prisma)).status).toBe("ok");
      await server.stop();
      const health = await checkAppHealth(prisma);
      expect(health.status).toBe("down");
      expect(health.database).toMatchObject({ reachable: false, latencyMs: null });
      expect(health.database.error?.code).toMatch(/unreachable|timeout/);
      expect(JSON.stringify(health)).not.toContain("pw-down-test");
    } finally {
      await prisma.$disconnect();
      await server.stop();
    }
  });
});
