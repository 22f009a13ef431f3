// Brings a database to the current schema and makes sure it has an administrator.
import { createPrismaClient } from "../../lib/db";
import { type CreatedAdmin, ensureFirstAdmin } from "../../lib/standalone/auth/users";
import { legacyLayoutNotice } from "./legacy-layout";
import { applyMigrations } from "./migrations";

export async function prepareDatabase(
  databaseUrl: string,
  admin: { email?: string; password?: string },
): Promise<{ applied: string[]; createdAdmin: CreatedAdmin | null; legacyNotice: string | null }> {
  const { applied } = await applyMigrations(databaseUrl);
  const legacyNotice = await legacyLayoutNotice(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  try {
    return { applied, createdAdmin: await ensureFirstAdmin(prisma, admin), legacyNotice };
  } finally {
    await prisma.$disconnect();
  }
}
