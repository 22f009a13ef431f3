// npm run db:migrate: apply pending migrations to DATABASE_URL (or the embedded database), and
// create the first administrator from ADMIN_EMAIL/ADMIN_PASSWORD when there is none (this never
// prints a password, so it is safe in CI and Vercel build logs).
import { adminAccountSchema, parseWith } from "../../lib/env";
import { ensureFirstAdmin } from "../../lib/standalone/auth/users";
import { createPrismaClient } from "../../lib/db";
import { withLocalDatabase } from "../lib/cli";
import { legacyLayoutNotice } from "../lib/legacy-layout";
import { applyMigrations } from "../lib/migrations";

await withLocalDatabase("db:migrate", async (databaseUrl) => {
  const admin = parseWith(adminAccountSchema, process.env);
  const { applied } = await applyMigrations(databaseUrl);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "nothing to apply: the database is up to date");
  const legacyNotice = await legacyLayoutNotice(databaseUrl);
  if (legacyNotice) console.error(`note: ${legacyNotice}`);
  if (!admin.ADMIN_EMAIL || !admin.ADMIN_PASSWORD) return;
  const prisma = createPrismaClient(databaseUrl);
  try {
    const created = await ensureFirstAdmin(prisma, { email: admin.ADMIN_EMAIL, password: admin.ADMIN_PASSWORD });
    if (created) console.log(`created the first administrator: ${created.email}`);
  } finally {
    await prisma.$disconnect();
  }
});
