// Server-side record of JWT sessions, so that sign-out and a role change take effect within
// SESSION_RECHECK_SECONDS instead of when the token expires. Each sign-in gets a row in the
// Auth.js `Session` table (unused by the JWT strategy otherwise) keyed by a random id that only
// the encrypted token carries. A request re-reads that row, with the user's current role, at
// most once per recheck window per token and server instance; in between it is answered from
// memory, so requests stay free of database round trips. Sign-out deletes the row.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../../db";
import type { Role } from "../../generated/prisma/enums";

/** A session the database still knows: the user's role now. */
export interface LiveSession {
  role: Role;
}

/** At most this many sessions are remembered per instance; the oldest check is forgotten first. */
const CACHE_LIMIT = 10_000;

/** A Prisma "record not found" (the conditional update below matched no live session). */
const isNotFound = (err: unknown) => typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2025";

export class SessionRegistry {
  /** Session id -> the last answer and when (ms) it was read from the database. */
  private readonly checked = new Map<string, { userId: string; live: LiveSession; at: number }>();

  constructor(
    private readonly options: { recheckMs: number; maxAgeSeconds: number; now?: () => number },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Records a new session for `userId` and returns its id (43 url-safe characters) for the token.
   * The user's expired rows are cleared on the way (nothing else deletes them). */
  async open(prisma: PrismaClient, userId: string): Promise<string> {
    const id = randomBytes(32).toString("base64url");
    const now = this.now();
    await prisma.session.deleteMany({ where: { userId, expires: { lt: new Date(now) } } });
    await prisma.session.create({ data: { sessionToken: id, userId, expires: new Date(now + this.options.maxAgeSeconds * 1000) } });
    return id;
  }

  /**
   * The session's state: LiveSession while its row exists, belongs to `userId` and has not
   * expired (each database read also extends it by the session's max age, as the token's own
   * expiry slides); null once it was revoked or expired, or its user deleted. Throws when the
   * database cannot answer (the caller decides what an outage means).
   */
  async check(prisma: PrismaClient, id: string, userId: string): Promise<LiveSession | null> {
    const now = this.now();
    const cached = this.checked.get(id);
    if (cached && cached.userId === userId && now - cached.at < this.options.recheckMs) return cached.live;
    this.checked.delete(id);
    try {
      const row = await prisma.session.update({
        where: { sessionToken: id, userId, expires: { gt: new Date(now) } },
        data: { expires: new Date(now + this.options.maxAgeSeconds * 1000) },
        select: { user: { select: { role: true } } },
      });
      const live = { role: row.user.role };
      if (this.checked.size >= CACHE_LIMIT) this.checked.delete(this.checked.keys().next().value as string);
      this.checked.set(id, { userId, live, at: now });
      return live;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Ends the session everywhere: this instance at once, the others at their next recheck. */
  async revoke(prisma: PrismaClient, id: string): Promise<void> {
    this.checked.delete(id);
    await prisma.session.deleteMany({ where: { sessionToken: id } });
  }
}
