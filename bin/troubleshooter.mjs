#!/usr/bin/env node
// `npx troubleshooter migrate [--database-url URL]`: applies the add-on's migrations to its own
// schema ("troubleshooter") in DATABASE_URL, the host's database by default. Never touches the
// host's public schema or its _prisma_migrations. The TypeScript command runs under tsx (a
// dependency of the add-on), resolved from this package, not from the host.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [command, ...rest] = process.argv.slice(2);
if (command !== "migrate") {
  console.error("usage: troubleshooter migrate [--database-url postgresql://...]   (default: $DATABASE_URL)");
  process.exit(command === undefined || command === "--help" ? 0 : 2);
}
const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve("tsx/esm")).href;
const script = path.resolve(import.meta.dirname, "../scripts/db/migrate-addon.ts");
const result = spawnSync(process.execPath, ["--import", tsx, script, ...rest], { stdio: "inherit" });
process.exit(result.status ?? 1);
