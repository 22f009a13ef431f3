import pg from "pg";
import { describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/embedded-postgres";
import { createTestDatabase } from "../../fixtures/test/databases";
import { probeDatabase } from "./database-probe";

describe("probeDatabase", () => {
  it("reports the real server's version, latency, size and connection count", async () => {
    const url = await createTestDatabase({ migrate: false });
    const before = await probeDatabase(url);
    expect(before).toMatchObject({ connected: true, serverVersion: expect.stringMatching(/^18\./), database: new URL(url).pathname.slice(1) });
    expect(before.latencyMs?.samples).toBe(5);
    expect(before.latencyMs?.median).toBeGreaterThan(0);
    expect(before.databaseSizeBytes).toBeGreaterThan(1_000_000);
    expect(before.connections?.max).toBe(100);

    // Three more sessions must show up in the count.
    const extra = await Promise.all([1, 2, 3].map(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }));
    try {
      const after = await probeDatabase(url);
      expect(after.connections?.inUse).toBeGreaterThanOrEqual((before.connections?.inUse ?? 0) + 3);
      expect(after.connections?.utilization).toBeGreaterThan(before.connections?.utilization ?? 1);
    } finally {
      await Promise.all(extra.map((c) => c.end()));
    }
  });

  it("says auth_failed for wrong credentials without echoing them", async () => {
    const url = new URL(await createTestDatabase({ migrate: false }));
    url.password = "definitely-wrong-secret";
    const probe = await probeDatabase(url.toString());
    expect(probe).toMatchObject({ connected: false, error: { code: "auth_failed" } });
    expect(JSON.stringify(probe)).not.toContain("definitely-wrong-secret");
  });

  it("says unreachable when nothing listens", async () => {
    const probe = await probeDatabase(`postgresql://u:p@127.0.0.1:${await freePort()}/db`);
    expect(probe).toMatchObject({ connected: false, error: { code: "unreachable" } });
  });
});
