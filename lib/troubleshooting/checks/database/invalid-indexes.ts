import type pg from "pg";
import type { Check, IssueDraft } from "../../catalogue";
import { type InvalidIndex, duplicateEvidence, invalidIndexes } from "../../fixes/database/identifiers";
import { failedMigrations, linkIndexes, locatePrismaMigrations } from "./prisma-migrations-failed";
import { readOnly } from "./shared";
import { OWN_SCHEMAS } from "../../../own-schemas";

export const dbInvalidIndexes: Check = {
  code: "db.invalid_indexes",
  domain: "database",
  title: "Invalid indexes",
  description:
    "Indexes marked invalid (left by a failed CREATE INDEX CONCURRENTLY): never used for reads, still maintained on every write (medium). " +
    "For a unique one, the duplicate keys that block its rebuild are counted. One left by a failed Prisma migration is reported with that migration (db.prisma_migrations_failed).",
  async run({ target, signal }) {
    return readOnly(target, signal, async (client) => {
      // The add-on's own schemas are not the application's (see notOwnSchemaSql).
      const appIndexes = async (count: (i: { schema: string; index: string }) => boolean) =>
        (await invalidIndexes(client, count)).filter((i) => !OWN_SCHEMAS.includes(i.schema));
      const all = await appIndexes(() => false);
      if (all.length === 0) return { status: "passed" };
      const linked = await linkedToFailedMigration(client, target.databaseUrl, all);
      const own = all.filter((i) => !linked.has(`${i.schema}.${i.index}`));
      const note = linked.size > 0 ? `Left out, reported with their failed Prisma migration by db.prisma_migrations_failed: ${[...linked].map(([index, migration]) => `${index} (${migration})`).join(", ")}.` : undefined;
      // Not "passed": an invalid index exists. It is judged, with its migration, by the other check.
      if (own.length === 0 && note) return { status: "skipped", reason: note };
      const counted = await appIndexes((i) => own.some((o) => o.schema === i.schema && o.index === i.index));
      const issues = counted.filter((i) => !linked.has(`${i.schema}.${i.index}`)).map(toIssue);
      return { status: "issues", issues, ...(note ? { note } : {}) };
    });
  },
};

/** Invalid indexes a failed Prisma migration (in the URL's schema) left, by "schema.index", with
 * the migration's name. No readable _prisma_migrations means no link: the index is reported here. */
async function linkedToFailedMigration(client: pg.ClientBase, databaseUrl: string, indexes: InvalidIndex[]): Promise<Map<string, string>> {
  const table = await locatePrismaMigrations(client, databaseUrl);
  if ("missing" in table) return new Map();
  const migrations = await failedMigrations(client, table.qualified).catch((err: { code?: string }) => {
    if (err.code === "42501") return []; // db.prisma_migrations_failed reports the refusal
    throw err;
  });
  return new Map([...linkIndexes(migrations, indexes)].map(([index, migration]) => [`${index.schema}.${index.index}`, migration.name]));
}

function toIssue(row: InvalidIndex): IssueDraft {
  const duplicates = duplicateEvidence(row.duplicates);
  const blocked = row.unique && (duplicates.duplicateKeyGroups === null || duplicates.duplicateKeyGroups > 0);
  return {
    severity: "medium",
    title: `Index ${row.schema}.${row.index} is invalid${duplicates.duplicateKeyGroups ? ` (${duplicates.duplicateKeyGroups} duplicate key value${duplicates.duplicateKeyGroups === 1 ? "" : "s"} block its rebuild)` : ""}`,
    description: `The index on ${row.table} was never completed: queries cannot use it, but every write still updates it.`,
    subject: `${row.schema}.${row.index}`,
    evidence: { schema: row.schema, table: row.table, index: row.index, definition: row.definition, sizeBytes: row.sizeBytes, unique: row.unique, keyColumns: row.keyColumns, ...duplicates },
    recommendation: blocked
      ? duplicates.duplicateKeyGroups === null
        ? `Check ${row.table} for duplicate keys first (${duplicates.duplicatesNotCounted}); a rebuild fails while any remain. Then REINDEX INDEX CONCURRENTLY, or drop the index.`
        : `Remove the ${duplicates.duplicateRows} rows sharing ${duplicates.duplicateKeyGroups} key value(s) first: a rebuild fails while any remain. Then REINDEX INDEX CONCURRENTLY, or drop the index.`
      : "Rebuild it with REINDEX INDEX CONCURRENTLY, or drop it if it is not wanted.",
  };
}
