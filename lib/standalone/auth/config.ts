// Auth.js v5: e-mail + password (JWT sessions), plus GitHub when its env vars are set.
// Every token carries a session id recorded in the database at sign-in (lib/auth/session-registry.ts):
// the row, with the user's current role, is re-read at most every SESSION_RECHECK_SECONDS per
// token and instance, so a sign-out (which deletes the row) or a demotion takes effect within
// that window everywhere. A database outage keeps the signed role, so admins are not locked out
// of the health endpoint that reports it.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { z } from "zod";
import { db } from "./db";
import { env } from "../../env";
import { logger } from "../../monitoring/logger";
import type { Role } from "../../generated/prisma/enums";
import { clientAddress, isLoginRateLimited, loginRateLimiter } from "./login-limits";
import { RATE_LIMITED_CODE } from "./login-messages";
import { SessionRegistry } from "./session-registry";
import { authenticate } from "./users";

declare module "next-auth" {
  interface User {
    role?: Role;
  }
  interface Session {
    user: { id: string; role: Role; email: string; name?: string | null };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    role?: Role;
    /** The session's id in the Session table (lib/auth/session-registry.ts). */
    sid?: string;
  }
}

const credentialsSchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(1024) });

/** Too many failed attempts: Auth.js puts `code` in the login redirect, and the server action
 * reads it from the thrown error, so the form can say why. */
class RateLimitedSignin extends CredentialsSignin {
  code = RATE_LIMITED_CODE;
}

/** Sessions last this long after their last use (seconds). */
const SESSION_MAX_AGE = 8 * 60 * 60;

const globalForSessions = globalThis as unknown as { sessionRegistry?: SessionRegistry };

/** The process's registry: one per process, not per bundle layer, so a sign-out handled by a
 * server action is seen at once by the route handlers' copy of this module. */
function sessionRegistry(): SessionRegistry {
  globalForSessions.sessionRegistry ??= new SessionRegistry({ recheckMs: env().SESSION_RECHECK_SECONDS * 1000, maxAgeSeconds: SESSION_MAX_AGE });
  return globalForSessions.sessionRegistry;
}

function buildConfig(): NextAuthConfig {
  const { githubAuth, AUTH_SECRET } = env();
  return {
    secret: AUTH_SECRET,
    trustHost: true,
    adapter: PrismaAdapter(db()),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
    pages: { signIn: "/login" },
    // Auth.js logs whole errors with causes; a wrong password is routine and is audited instead.
    logger: {
      error(error) {
        // `type` is the static class tag; `name` is the (possibly minified) subclass name.
        if ((error as { type?: string }).type !== "CredentialsSignin") logger().error({ component: "auth", error: error.name }, "Auth.js error");
      },
    },
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(raw, request) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const limits = { limiter: loginRateLimiter(), address: clientAddress(request.headers) };
          try {
            return await authenticate(db(), parsed.data.email, parsed.data.password, limits);
          } catch (err) {
            if (isLoginRateLimited(err)) throw new RateLimitedSignin();
            throw err;
          }
        },
      }),
      ...(githubAuth ? [GitHub({ clientId: githubAuth.id, clientSecret: githubAuth.secret })] : []),
    ],
    events: {
      // The token's row goes, so a copy of the cookie stops working (lib/auth/session-registry.ts).
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (sid) await sessionRegistry().revoke(db(), sid);
      },
    },
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          if (!user.id) return null;
          token.role = user.role ?? "VIEWER";
          token.sid = await sessionRegistry().open(db(), user.id);
          return token;
        }
        // A token from before session ids (or without a user) is not one we can revoke: ended.
        if (!token.sub || !token.sid) return null;
        let live;
        try {
          live = await sessionRegistry().check(db(), token.sid, token.sub);
        } catch {
          return token; // database down: keep the signed role
        }
        if (live === null) return null; // signed out, expired, or user deleted: end the session
        token.role = live.role;
        return token;
      },
      session({ session, token }) {
        session.user.id = token.sub ?? "";
        session.user.role = token.role ?? "VIEWER";
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
