// Auth.js v5: e-mail + password (JWT sessions), plus GitHub when its env vars are set.
// The role travels in the signed JWT and is re-read from the database on every request when the
// database answers, so a demotion takes effect at once and a database outage does not lock
// admins out of the health endpoint that reports it.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { z } from "zod";
import { db } from "../db";
import { env } from "../env";
import { logger } from "../monitoring/logger";
import type { Role } from "../generated/prisma/enums";
import { clientAddress, isLoginRateLimited, loginRateLimiter } from "./login-limits";
import { RATE_LIMITED_CODE } from "./login-messages";
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
  }
}

const credentialsSchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(1024) });

/** Too many failed attempts: Auth.js puts `code` in the login redirect, and the server action
 * reads it from the thrown error, so the form can say why. */
export class RateLimitedSignin extends CredentialsSignin {
  code = RATE_LIMITED_CODE;
}

function buildConfig(): NextAuthConfig {
  const { githubAuth, AUTH_SECRET } = env();
  return {
    secret: AUTH_SECRET,
    trustHost: true,
    adapter: PrismaAdapter(db()),
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
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
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.role = user.role ?? "VIEWER";
          return token;
        }
        if (!token.sub) return null;
        const current = await db()
          .user.findUnique({ where: { id: token.sub }, select: { role: true } })
          .catch(() => undefined); // database down: keep the signed role
        if (current === null) return null; // user deleted: end the session
        if (current) token.role = current.role;
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
