// npm run db:migrate: apply pending migrations to DATABASE_URL (or the embedded database).
import { withDatabase } from "../lib/cli";
import { applyMigrations } from "../lib/migrations";

await withDatabase("db:migrate", async (databaseUrl) => {
  const { applied } = await applyMigrations(databaseUrl);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "nothing to apply: the database is up to date");
});
