import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { type PrismaClient, createPrismaClient } from "../../db";
import { LoginRateLimitedError, LoginRateLimiter, deleteExpiredLoginLimits } from "./login-limits";
import { authenticate, createUser } from "./users";

let prisma: PrismaClient;
let pool: pg.Pool;
let limiter: LoginRateLimiter;
const PASSWORD = "right-password-1";

beforeAll(async () => {
  const url = await createTestDatabase();
  prisma = createPrismaClient(url);
  pool = new pg.Pool({ connectionString: url, max: 2 });
  limiter = new LoginRateLimiter(pool); // the defaults: 5 per account, 20 per address, 15 minutes
  for (const name of ["alice", "bob", "carol", "dave", "erin"]) {
    await createUser(prisma, { email: `${name}@example.com`, password: PASSWORD, role: "VIEWER" });
  }
});
afterAll(async () => {
  await pool.end();
  await prisma.$disconnect();
});

/** Signs in through the limiter: "ok", "wrong" or the refusal. */
async function attempt(email: string, password: string, address: string) {
  try {
    return (await authenticate(prisma, email, password, { limiter, address })) ? "ok" : "wrong";
  } catch (err) {
    if (err instanceof LoginRateLimitedError) return `limited:${err.limitedBy.join("+")}`;
    throw err;
  }
}

const audited = async (email: string) =>
  (await prisma.auditLog.findMany({ where: { actorEmail: email }, orderBy: { id: "asc" } })).map((a) => a.action);

describe("login rate limits, counted in PostgreSQL", () => {
  it("refuses the 6th attempt on an account, even with the right password, without checking it", async () => {
    for (let i = 0; i < 5; i++) expect(await attempt("alice@example.com", "wrong", "198.51.100.1")).toBe("wrong");
    expect(await attempt("ALICE@example.com", PASSWORD, "198.51.100.1")).toBe("limited:account");
    // Another address changes nothing for this account.
    expect(await attempt("alice@example.com", PASSWORD, "198.51.100.2")).toBe("limited:account");
    expect(await audited("alice@example.com")).toEqual([...Array(5).fill("auth.login_failed"), "auth.login_rate_limited", "auth.login_rate_limited"]);
    const refused = await prisma.auditLog.findFirstOrThrow({ where: { action: "auth.login_rate_limited" }, orderBy: { id: "asc" } });
    expect(refused.detail).toEqual({ limitedBy: ["account"], address: "198.51.100.1" });
    const { rows } = await pool.query("SELECT key, points, expire FROM troubleshooter.login_rate_limits WHERE key = 'account:alice@example.com'");
    expect(rows[0]).toMatchObject({ points: 7 });
    expect(Number(rows[0].expire) - Date.now()).toBeGreaterThan(14 * 60_000);
  });

  it("lets other accounts from the same address in until the address has 20 failures", async () => {
    const address = "203.0.113.7";
    for (let i = 0; i < 5; i++) expect(await attempt("bob@example.com", "wrong", address)).toBe("wrong");
    expect(await attempt("bob@example.com", PASSWORD, address)).toBe("limited:account"); // 6 counted
    expect(await attempt("carol@example.com", PASSWORD, address)).toBe("ok"); // a success is not counted
    for (let i = 0; i < 14; i++) {
      expect(await attempt(`nobody${i % 4}@example.com`, "wrong", address), `failure ${i + 7}`).toBe("wrong");
    }
    expect(await attempt("dave@example.com", PASSWORD, address)).toBe("limited:address");
    expect(await attempt("dave@example.com", PASSWORD, "203.0.113.8")).toBe("ok");
  });

  it("resets an account's counter on a successful sign-in", async () => {
    const address = "192.0.2.44";
    for (let i = 0; i < 4; i++) expect(await attempt("erin@example.com", "wrong", address)).toBe("wrong");
    expect(await attempt("erin@example.com", PASSWORD, address)).toBe("ok");
    for (let i = 0; i < 4; i++) expect(await attempt("erin@example.com", "wrong", address)).toBe("wrong");
    expect(await attempt("erin@example.com", PASSWORD, address)).toBe("ok"); // 9 attempts, 8 failures
  });

  it("counts a burst of parallel guesses atomically: only 5 passwords are checked", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => attempt("burst@example.com", "wrong", "192.0.2.99")));
    expect(results.filter((r) => r === "wrong")).toHaveLength(5);
    expect(results.filter((r) => r === "limited:account")).toHaveLength(7);
  });

  it("deletes only the counters whose window has ended", async () => {
    const keys = async () => (await prisma.loginRateLimit.findMany({ select: { key: true } })).map((r) => r.key).sort();
    const all = await keys();
    expect(all).toContain("account:burst@example.com");
    expect(await deleteExpiredLoginLimits(prisma)).toBe(0);
    expect(await deleteExpiredLoginLimits(prisma, Date.now() + 16 * 60_000)).toBe(all.length);
    expect(await keys()).toEqual([]);
  });
});
