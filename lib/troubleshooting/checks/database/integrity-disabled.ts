import type { Check, IssueDraft } from "../../catalogue";
import { sqlIdentifier, sqlQualified } from "../../fixes/quote";
import { readOnly, notOwnSchemaSql } from "./shared";

/** Rules the schema declares that PostgreSQL is not enforcing (one check: both are "the catalogue
 * says X, the data may not obey X", found in one catalog query, and the evidence tells them apart):
 * - Constraint triggers disabled (`ALTER TABLE ... DISABLE TRIGGER ALL` disables the internal
 *   RI triggers too): the foreign key (or deferrable unique/exclusion constraint) is no longer
 *   checked on writes: high. PostgreSQL documents that this leaves the constraint unenforced.
 * - User triggers disabled (pg_trigger.tgenabled = 'D', not internal): audit rows, derived
 *   columns and guards silently stop: medium (sometimes deliberate, never harmless).
 * - Constraints left NOT VALID (pg_constraint.convalidated = false; CHECK, FOREIGN KEY, and on
 *   PostgreSQL 18 NOT NULL; domains too): enforced on new writes, but rows from before were never
 *   checked: low. PgHero lists these as "invalid constraints". PostgreSQL 18's NOT ENFORCED
 *   constraints are declared unenforced on purpose and are left out.
 * Partitions' copies of a parent's trigger or constraint are reported once, on the parent. */
const INTEGRITY_LIMIT = 50;

interface Row {
  kind: "trigger" | "not_valid";
  schema: string;
  table: string;
  relkind: string;
  name: string;
  internal: boolean;
  constraint_name: string | null;
  constraint_type: string | null;
  definition: string | null;
  referenced: string | null;
}

const CONSTRAINT_KIND: Record<string, string> = { f: "foreign key", u: "unique constraint", p: "primary key", x: "exclusion constraint", c: "check constraint", n: "NOT NULL constraint", t: "constraint trigger" };

export const dbIntegrityDisabled: Check = {
  code: "db.integrity_disabled",
  domain: "database",
  title: "Integrity rules not enforced",
  description:
    "Triggers disabled (pg_trigger.tgenabled = 'D'): those implementing foreign keys and deferrable unique constraints high, user triggers medium; " +
    "CHECK / FOREIGN KEY / NOT NULL constraints left NOT VALID (pg_constraint.convalidated = false) low.",
  async run({ target, signal }) {
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT 'trigger' AS kind, n.nspname AS schema, c.relname AS "table", c.relkind::text AS relkind, t.tgname AS name, t.tgisinternal AS internal,
                con.conname AS constraint_name, con.contype::text AS constraint_type,
                CASE WHEN con.oid IS NOT NULL THEN pg_get_constraintdef(con.oid) END AS definition,
                CASE WHEN con.contype = 'f' THEN format('%I.%I', rn.nspname, r.relname) END AS referenced
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_constraint con ON con.oid = t.tgconstraint
           LEFT JOIN pg_class r ON r.oid = con.confrelid LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
          WHERE t.tgenabled = 'D' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND ${notOwnSchemaSql("n.nspname")}
            AND NOT EXISTS (SELECT 1 FROM pg_trigger pt WHERE pt.oid = t.tgparentid AND pt.tgenabled = 'D')
         UNION ALL
         SELECT 'not_valid', n.nspname, coalesce(c.relname, ty.typname), coalesce(c.relkind::text, 'domain'), con.conname, false,
                con.conname, con.contype::text, pg_get_constraintdef(con.oid),
                CASE WHEN con.contype = 'f' THEN format('%I.%I', rn.nspname, r.relname) END
           FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
           LEFT JOIN pg_class c ON c.oid = con.conrelid LEFT JOIN pg_type ty ON ty.oid = con.contypid
           LEFT JOIN pg_class r ON r.oid = con.confrelid LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
          WHERE NOT con.convalidated AND con.contype IN ('c', 'f', 'n') AND con.conparentid = 0
            AND coalesce((to_jsonb(con) ->> 'conenforced')::boolean, true)
            AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND ${notOwnSchemaSql("n.nspname")}
          ORDER BY 1, 2, 3, 5
          LIMIT 500`,
      );
      const issues = [...constraintTriggerIssues(rows), ...rows.filter((r) => r.kind === "trigger" && !r.internal).map(userTriggerIssue), ...rows.filter((r) => r.kind === "not_valid").map(notValidIssue)];
      return issues.length === 0 ? { status: "passed" } : { status: "issues", issues: issues.slice(0, INTEGRITY_LIMIT) };
    });
  },
};

/** Internal triggers grouped by the constraint they implement: one finding per constraint and table. */
function constraintTriggerIssues(rows: Row[]): IssueDraft[] {
  const groups = new Map<string, Row[]>();
  for (const row of rows.filter((r) => r.kind === "trigger" && r.internal)) {
    const key = `${row.schema}.${row.table}.${row.constraint_name ?? row.name}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const row = group[0]!;
    const kind = CONSTRAINT_KIND[row.constraint_type ?? ""] ?? "constraint";
    const table = sqlQualified(row.schema, row.table);
    const what = row.constraint_type === "f" ? `foreign key ${row.constraint_name} (${row.definition})` : `${kind} ${row.constraint_name ?? ""}`.trim();
    return {
      severity: "high" as const,
      title: `The ${what.split(" (")[0]} is not enforced: its triggers on ${row.schema}.${row.table} are disabled`,
      description:
        `${group.length} internal trigger(s) implementing ${what} are disabled on ${row.schema}.${row.table} (ALTER TABLE ... DISABLE TRIGGER ALL): ` +
        `writes there are no longer checked against it, so rows that break it can be stored right now.`,
      subject: `constraint-triggers:${row.schema}.${row.table}.${row.constraint_name ?? row.name}`,
      evidence: {
        kind: "constraint_triggers_disabled",
        schema: row.schema,
        table: row.table,
        constraint: row.constraint_name,
        constraintType: kind,
        definition: row.definition,
        referencedTable: row.referenced,
        triggers: group.map((r) => r.name),
      },
      recommendation:
        `Re-enable them (as a superuser: internal triggers need it): ALTER TABLE ${table} ENABLE TRIGGER ALL; ` +
        `Rows written while they were off were never checked: ${row.constraint_type === "f" ? "look for orphans (a LEFT JOIN to the referenced table), or " : ""}drop and re-add the constraint NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT to have PostgreSQL check every row.`,
    };
  });
}

function userTriggerIssue(row: Row): IssueDraft {
  return {
    severity: "medium",
    title: `Trigger ${row.name} on ${row.schema}.${row.table} is disabled`,
    description: `The trigger does not fire (pg_trigger.tgenabled = 'D'): whatever it maintains or guards (audit rows, derived columns, checks) stopped on writes to ${row.schema}.${row.table}.`,
    subject: `trigger:${row.schema}.${row.table}.${row.name}`,
    evidence: { kind: "trigger_disabled", schema: row.schema, table: row.table, trigger: row.name, constraintTrigger: row.constraint_name !== null },
    recommendation: `If it was disabled for a bulk load or a migration, re-enable it: ALTER TABLE ${sqlQualified(row.schema, row.table)} ENABLE TRIGGER ${sqlIdentifier(row.name)}; then repair what it missed meanwhile. If it is obsolete, drop it in a migration.`,
  };
}

function notValidIssue(row: Row): IssueDraft {
  const kind = CONSTRAINT_KIND[row.constraint_type ?? ""] ?? "constraint";
  const domain = row.relkind === "domain";
  const statement = domain
    ? `ALTER DOMAIN ${sqlQualified(row.schema, row.table)} VALIDATE CONSTRAINT ${sqlIdentifier(row.name)};`
    : `ALTER TABLE ${sqlQualified(row.schema, row.table)} VALIDATE CONSTRAINT ${sqlIdentifier(row.name)};`;
  return {
    severity: "low",
    title: `The ${kind} ${row.name} on ${domain ? "domain " : ""}${row.schema}.${row.table} was never validated`,
    description: `Added NOT VALID and not validated since: new writes are checked, rows from before were not (${row.definition ?? kind}).`,
    subject: `not-valid:${row.schema}.${row.table}.${row.name}`,
    evidence: { kind: "not_valid", schema: row.schema, [domain ? "domain" : "table"]: row.table, constraint: row.name, constraintType: kind, definition: row.definition, referencedTable: row.referenced },
    recommendation: `Validate it: ${statement} It scans the ${domain ? "columns of that domain" : "table"} under a SHARE UPDATE EXCLUSIVE lock (writes continue); if it fails, the error names a violating row: fix those rows first.`,
  };
}
