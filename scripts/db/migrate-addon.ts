// `npx troubleshooter migrate`: a host's migrate. Applies the add-on's migrations into schema
// "troubleshooter" of --database-url (default DATABASE_URL), records them in
// troubleshooter._prisma_migrations, and creates no user: a host keeps its own.
import { parseArgs } from "node:util";
import { z } from "zod";
import { scrubString } from "../../lib/monitoring/redact";
import { isPostgresUrl } from "../../lib/url-rules";
import { applyMigrations } from "../lib/migrations";

const { values } = parseArgs({ options: { "database-url": { type: "string" } } });
const parsed = z
  .string({ error: "is required: pass --database-url or set DATABASE_URL" })
  .refine(isPostgresUrl, "must be a postgres:// or postgresql:// URL with a host")
  .safeParse(values["database-url"] || process.env.DATABASE_URL || undefined);
if (!parsed.success) {
  console.error(`[troubleshooter migrate] database URL ${parsed.error.issues[0]?.message}`);
  process.exit(2);
}
try {
  const { applied } = await applyMigrations(parsed.data);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "nothing to apply: the add-on's schema is up to date");
  // The schema engine leaves a timer behind (scripts/lib/schema-engine.ts).
  process.exit(0);
} catch (err) {
  console.error(`[troubleshooter migrate] failed: ${scrubString(err instanceof Error ? err.message : String(err))}`);
  process.exit(1);
}
