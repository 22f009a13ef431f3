// npm run db:migration -- <name>: write a migration from changes to prisma/schema.prisma.
import { z } from "zod";
import { withLocalDatabase } from "../lib/cli";
import { createMigration } from "../lib/migrations";

const name = z
  .string()
  .regex(/^[a-z0-9_]{1,60}$/, "use lower-case letters, digits and underscores")
  .safeParse(process.argv[2]);
if (!name.success) {
  console.error(`usage: npm run db:migration -- <name>\n  name: ${name.error.issues[0]?.message}`);
  process.exit(2);
}

await withLocalDatabase("db:migration", async (databaseUrl) => {
  const folder = await createMigration(databaseUrl, name.data);
  console.log(folder ? `wrote prisma/migrations/${folder}/migration.sql` : "no schema changes: nothing written");
});
