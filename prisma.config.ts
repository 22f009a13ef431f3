import { defineConfig } from "prisma/config";
import { APP_SCHEMA } from "./lib/own-schemas";

/**
 * DATABASE_URL with `schema=troubleshooter`: `prisma migrate deploy` then keeps its history in
 * troubleshooter._prisma_migrations (and sets that search_path), as scripts/lib/schema-engine.ts
 * does, never in a host's public._prisma_migrations. An explicit `schema=` is replaced: the
 * add-on's migrations belong in its own schema only. "" when DATABASE_URL is unset or not a URL.
 */
function addOnSchemaUrl(databaseUrl: string | undefined): string {
  if (!databaseUrl || !URL.canParse(databaseUrl)) return databaseUrl ?? "";
  const url = new URL(databaseUrl);
  url.searchParams.set("schema", APP_SCHEMA);
  return url.toString();
}

// The datasource URL lives here (Prisma 7). `prisma generate` does not need it; `prisma migrate
// deploy` on machines with the native engine (Vercel builds) reads DATABASE_URL.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: addOnSchemaUrl(process.env.DATABASE_URL) },
});
