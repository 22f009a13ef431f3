// Admin accounts: first-admin bootstrap and credential checks.
import type { PrismaClient } from "../../db";
import type { Role } from "../../generated/prisma/enums";
import { type LoginRateLimiter, isLoginRateLimited } from "./login-limits";
import { generatePassword, hashPassword, verifyPassword } from "./password";

export interface CreatedAdmin {
  email: string;
  password: string;
  generated: boolean;
}

/**
 * Creates the first admin when the database has none. Returns the credentials to print once,
 * or null when an admin already exists (nothing is changed then).
 */
export async function ensureFirstAdmin(
  prisma: PrismaClient,
  wanted: { email?: string; password?: string },
): Promise<CreatedAdmin | null> {
  if ((await prisma.user.count({ where: { role: "ADMIN" } })) > 0) return null;
  const email = (wanted.email ?? "admin@troubleshooter.local").toLowerCase();
  const password = wanted.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  await prisma.user.upsert({
    where: { email },
    create: { email, name: "Administrator", role: "ADMIN", passwordHash },
    update: { role: "ADMIN", passwordHash },
  });
  await prisma.auditLog.create({ data: { action: "user.bootstrap_admin", actorEmail: "system", targetType: "user", targetId: email } });
  return { email, password, generated: !wanted.password };
}

export async function createUser(
  prisma: PrismaClient,
  user: { email: string; password: string; role: Role; name?: string },
): Promise<{ id: string }> {
  return prisma.user.create({
    data: { email: user.email.toLowerCase(), name: user.name, role: user.role, passwordHash: await hashPassword(user.password) },
    select: { id: true },
  });
}

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/**
 * Checks an e-mail and password; audits the attempt either way. With a limiter, an account or
 * address over its limit is refused before the password is looked at (LoginRateLimitedError).
 */
export async function authenticate(
  prisma: PrismaClient,
  email: string,
  password: string,
  limits?: { limiter: LoginRateLimiter; address: string },
): Promise<AuthenticatedUser | null> {
  const normalized = email.toLowerCase();
  let attempt;
  try {
    attempt = await limits?.limiter.begin(normalized, limits.address);
  } catch (err) {
    if (isLoginRateLimited(err)) {
      await prisma.auditLog.create({
        data: { action: "auth.login_rate_limited", actorEmail: normalized, detail: { limitedBy: err.limitedBy, address: limits?.address } },
      });
    }
    throw err;
  }
  const user = await prisma.user.findUnique({ where: { email: normalized } });
  const ok = await verifyPassword(password, user?.passwordHash);
  await prisma.auditLog.create({
    // The address is the one the limiter counted (the socket's peer unless TRUSTED_PROXY says otherwise).
    data: { action: ok ? "auth.login" : "auth.login_failed", actorId: ok ? user?.id : null, actorEmail: normalized, detail: limits ? { address: limits.address } : undefined },
  });
  if (!ok || !user) return null;
  await attempt?.succeeded();
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
