// Failed sign-in limits per account and per client address, counted in PostgreSQL (table
// login_rate_limits, created by a migration) so that every serverless instance sees the same
// counters. rate-limiter-flexible does the counting with one atomic upsert per key.
import pg from "pg";
import { APP_SCHEMA } from "../../own-schemas";
import { RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";
import type { PrismaClient } from "../../db";
import { env } from "../../env";
import { peerAddress, resolveClientAddress } from "../../auth/client-address";

export interface LoginLimits {
  account: { points: number; durationSeconds: number };
  address: { points: number; durationSeconds: number };
}

const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  account: { points: 5, durationSeconds: 15 * 60 },
  address: { points: 20, durationSeconds: 15 * 60 },
};

export type LimitedBy = "account" | "address";

/** A sign-in attempt refused before its password was looked at. */
export class LoginRateLimitedError extends Error {
  constructor(
    readonly limitedBy: LimitedBy[],
    readonly retryAfterSeconds: number,
  ) {
    super(`Too many failed sign-in attempts (${limitedBy.join(", ")}).`);
    this.name = "LoginRateLimitedError";
  }
}

/** By name, not instanceof: Next bundles this module once per layer (server actions, route
 * handlers), and the process-wide limiter may throw the other copy's class. */
export function isLoginRateLimited(err: unknown): err is LoginRateLimitedError {
  return err instanceof Error && err.name === "LoginRateLimitedError";
}

export interface LoginAttempt {
  /** Gives the attempt's points back: the account starts afresh, the address gets one back. */
  succeeded(): Promise<void>;
}

export class LoginRateLimiter {
  private readonly account: RateLimiterPostgres;
  private readonly address: RateLimiterPostgres;

  constructor(pool: pg.Pool, limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    // tableCreated: the migration made the table; instances never issue DDL at runtime.
    const common = { storeClient: pool, storeType: "pool", schemaName: APP_SCHEMA, tableName: "login_rate_limits", tableCreated: true };
    this.account = new RateLimiterPostgres({ ...common, keyPrefix: "account", points: limits.account.points, duration: limits.account.durationSeconds });
    this.address = new RateLimiterPostgres({ ...common, keyPrefix: "address", points: limits.address.points, duration: limits.address.durationSeconds });
  }

  /**
   * Counts an attempt before the password is checked, and throws LoginRateLimitedError when the
   * account or the address is over its limit. Counting first (rather than reading, then counting
   * failures) keeps a burst of parallel guesses from all passing a read that none has bumped yet.
   */
  async begin(email: string, address: string): Promise<LoginAttempt> {
    // Keys are at most 255 characters; two absurdly long e-mails sharing a counter is harmless.
    const accountKey = email.toLowerCase().slice(0, 200);
    const [byAccount, byAddress] = await Promise.all([this.account.penalty(accountKey, 1), this.address.penalty(address, 1)]);
    const over = (res: RateLimiterRes, limiter: RateLimiterPostgres) => res.consumedPoints > limiter.points;
    const limitedBy: LimitedBy[] = [];
    if (over(byAccount, this.account)) limitedBy.push("account");
    if (over(byAddress, this.address)) limitedBy.push("address");
    if (limitedBy.length > 0) {
      throw new LoginRateLimitedError(limitedBy, Math.ceil(Math.max(byAccount.msBeforeNext, byAddress.msBeforeNext, 0) / 1000));
    }
    return {
      succeeded: async () => {
        await Promise.all([this.account.delete(accountKey), this.address.reward(address, 1)]);
      },
    };
  }
}

/** Deletes counters whose window has ended. The library clears them only from a timer in a
 * long-running process; on serverless instances maintenance (the cron route) does it. */
export async function deleteExpiredLoginLimits(prisma: PrismaClient, now = Date.now()): Promise<number> {
  return (await prisma.loginRateLimit.deleteMany({ where: { expire: { lt: BigInt(now) } } })).count;
}

/**
 * The client's address as TRUSTED_PROXY allows (lib/auth/client-address.ts): by default the
 * socket's peer, so a forged X-Forwarded-For can neither mint a fresh limit per attempt nor put a
 * made-up address into the audit log. "unknown" when it cannot be established.
 */
export function clientAddress(headers: Headers): string {
  return resolveClientAddress(peerAddress(headers), headers, env().trustedProxy);
}

const globalForLimiter = globalThis as unknown as { loginRateLimiter?: LoginRateLimiter };

/** The process's limiter, on a small pool of its own (one query per key and attempt). */
export function loginRateLimiter(): LoginRateLimiter {
  globalForLimiter.loginRateLimiter ??= new LoginRateLimiter(
    new pg.Pool({ connectionString: env().DATABASE_URL, max: 2, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 }),
  );
  return globalForLimiter.loginRateLimiter;
}
