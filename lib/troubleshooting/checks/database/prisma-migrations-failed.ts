import type pg from "pg";
import type { Check, IssueDraft } from "../../catalogue";
import { type InvalidIndex, duplicateEvidence, invalidIndexes } from "../../fixes/database/identifiers";
import { readOnly, notOwnSchemaSql } from "./shared";

/** Where Prisma keeps its migration history for this database URL: Prisma puts its tables, and
 * _prisma_migrations, in the schema the URL's `schema` parameter names (default public). */
export type PrismaMigrationsTable = { schema: string; qualified: string } | { schema: string; missing: string };

function prismaSchemaOf(databaseUrl: string): string {
  try {
    return new URL(databaseUrl).searchParams.get("schema") || "public";
  } catch {
    return "public";
  }
}

/** Finds `"<schema>"._prisma_migrations` in the catalogue; the name used in queries is quoted by
 * PostgreSQL (format %I), never the URL's text. Missing, it says whether another schema has one. */
export async function locatePrismaMigrations(client: pg.ClientBase, databaseUrl: string): Promise<PrismaMigrationsTable> {
  const schema = prismaSchemaOf(databaseUrl);
  const { rows } = await client.query<{ schema: string; qualified: string }>(
    `SELECT n.nspname AS schema, format('%I.%I', n.nspname, c.relname) AS qualified
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p') AND ${notOwnSchemaSql("n.nspname")} ORDER BY n.nspname`,
  );
  const own = rows.find((r) => r.schema === schema);
  if (own) return { schema, qualified: own.qualified };
  const others = rows.map((r) => `"${r.schema}"`);
  return {
    schema,
    missing:
      others.length === 0
        ? `no _prisma_migrations table in schema "${schema}" (the schema of the database URL) nor any other: this database is not migrated with Prisma Migrate`
        : `no _prisma_migrations table in schema "${schema}" (the schema of the database URL), but schema ${others.join(", ")} has one: ` +
          `the URL may not name the schema the application migrates (add ?schema=<name> as in the app's DATABASE_URL)`,
  };
}

export interface FailedMigration {
  name: string;
  started_at: Date;
  finished: boolean;
  logs: string | null;
}

/** Rows Prisma Migrate refuses to go past: started over 10 minutes ago and never finished (a
 * deploy that crashed; a younger one may still be running), or finished with an error logged,
 * and not marked rolled back. */
export async function failedMigrations(client: pg.ClientBase, qualified: string): Promise<FailedMigration[]> {
  const { rows } = await client.query<FailedMigration>(
    `SELECT migration_name AS name, started_at, finished_at IS NOT NULL AS finished, logs
       FROM ${qualified} WHERE rolled_back_at IS NULL
        AND ((finished_at IS NULL AND started_at < now() - interval '10 minutes') OR logs IS NOT NULL)
      ORDER BY started_at`,
  );
  return rows;
}

/** Does the failed migration concern this index? Prisma writes the database error into `logs`
 * (e.g. `could not create unique index "users_email_key"`): the index name as a whole
 * identifier there, or in the migration's name (a migration that crashed leaves no logs). */
function concernsIndex(migration: FailedMigration, index: string): boolean {
  const escaped = index.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const whole = new RegExp(`(^|[^A-Za-z0-9_$])${escaped}($|[^A-Za-z0-9_$])`, "i");
  return (migration.logs !== null && whole.test(migration.logs)) || migration.name.toLowerCase().includes(index.toLowerCase());
}

/** Each invalid index with the latest failed migration that concerns it. The failed-migration
 * finding owns the pair (db.invalid_indexes leaves it out): one fault, one finding, one order of steps. */
export function linkIndexes(migrations: FailedMigration[], indexes: InvalidIndex[]): Map<InvalidIndex, FailedMigration> {
  const links = new Map<InvalidIndex, FailedMigration>();
  for (const index of indexes) {
    const migration = migrations.filter((m) => concernsIndex(m, index.index)).at(-1);
    if (migration) links.set(index, migration);
  }
  return links;
}

/** The index's facts as the linked finding shows them. */
function linkedIndexEvidence(index: InvalidIndex) {
  return { schema: index.schema, index: index.index, table: index.table, definition: index.definition, unique: index.unique, keyColumns: index.keyColumns, ...duplicateEvidence(index.duplicates) };
}

/** Logs with the values of `Key (col)=(value)` left out: they are the application's data. */
function logsExcerpt(logs: string | null): string | null {
  return logs === null ? null : logs.replace(/Key \(([^)]*)\)=\((?:[^()]|\([^()]*\))*\)/g, "Key ($1)=(…)").slice(0, 300);
}

/** Prisma refuses to migrate while a migration is recorded as started but not finished. */
export const dbPrismaMigrationsFailed: Check = {
  code: "db.prisma_migrations_failed",
  domain: "database",
  title: "Failed Prisma migrations",
  description:
    "Rows of _prisma_migrations (in the schema of the database URL's ?schema=, default public) that started over 10 minutes ago and never finished, or logged an error, " +
    "and were not rolled back (critical: the next deploy will refuse to migrate). An invalid index the migration left is reported with it.",
  async run({ target, signal }) {
    return readOnly(target, signal, async (client) => {
      const table = await locatePrismaMigrations(client, target.databaseUrl);
      if ("missing" in table) return { status: "skipped", reason: table.missing };
      const rows = await failedMigrations(client, table.qualified);
      if (rows.length === 0) return { status: "passed", evidence: { schema: table.schema } };
      // Duplicates are counted (a full read of the table) only for the indexes a failed migration left.
      const candidates = await invalidIndexes(client, () => false);
      const linked = [...linkIndexes(rows, candidates).keys()];
      const links = linked.length === 0 ? new Map<InvalidIndex, FailedMigration>() : linkIndexes(rows, await invalidIndexes(client, (i) => linked.some((l) => l.schema === i.schema && l.index === i.index)));
      return { status: "issues", issues: rows.map((row) => toIssue(row, table.schema, [...links].filter(([, m]) => m === row).map(([index]) => index))) };
    });
  },
};

function toIssue(row: FailedMigration, schema: string, indexes: InvalidIndex[]): IssueDraft {
  const errorCode = row.logs?.match(/Database error code: ([0-9A-Z]{5})/)?.[1] ?? null;
  const evidence = {
    migration: row.name,
    schema,
    startedAt: row.started_at.toISOString(),
    finished: row.finished,
    errorCode,
    logsExcerpt: logsExcerpt(row.logs),
    ...(indexes.length > 0 ? { invalidIndexes: indexes.map(linkedIndexEvidence) } : {}),
  };
  const state = row.finished ? "logged an error" : "never finished";
  if (indexes.length === 0) {
    return {
      severity: "critical",
      title: `Prisma migration ${row.name} ${state}`,
      description: "Prisma Migrate will not apply further migrations until this one is resolved; the next deploy's migrate step fails.",
      subject: row.name,
      evidence,
      recommendation: "Check what the migration changed, then mark it rolled back (if it did not apply; fix it and redeploy) or applied (if you completed it by hand) with npx prisma migrate resolve.",
    };
  }
  const names = indexes.map((i) => `${i.schema}.${i.index}`).join(", ");
  const withDuplicates = indexes.some((i) => i.duplicates && (!i.duplicates.counted || i.duplicates.groups > 0));
  return {
    severity: "critical",
    title: `Prisma migration ${row.name} ${state} and left index ${names} invalid`,
    description:
      `The migration's CREATE INDEX CONCURRENTLY failed${withDuplicates ? " (duplicate keys for a unique index)" : ""} and left an invalid index behind: ` +
      "queries cannot use it, every write still maintains it, and Prisma Migrate refuses further migrations. " +
      "Re-running the migration while the invalid index exists fails with \"relation … already exists\", so the order of the steps matters.",
    subject: row.name,
    evidence,
    recommendation: `Remove the duplicate rows, drop the invalid index concurrently, mark the migration rolled back (npx prisma migrate resolve --rolled-back), then redeploy (npx prisma migrate deploy).`,
  };
}
