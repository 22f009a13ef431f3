import type { Check, IssueDraft } from "../../catalogue";
import type { Severity } from "../../report";
import { sqlLiteral } from "../../fixes/quote";
import { readOnly } from "./shared";

/** A replication slot keeps every WAL segment from its restart_lsn on (and, with hot_standby_feedback
 * or for logical decoding, an xmin that vacuum must respect) until its consumer confirms it.
 * - Retained WAL, in bytes: medium from 1 GiB (the default max_wal_size: beyond it the slot, not
 *   checkpoints, is why WAL stays), high from 10 GiB. check_postgres `replication_slots` warns and
 *   goes critical on bytes retained (no default; its documentation's example is 32M/64M, made
 *   for a test rig; ours are sized for production disks).
 * - Inactive slots: PgHero lists slots with `active = false`. Low while the consumer may be
 *   reconnecting, medium once inactive for `inactiveMinutes` (PostgreSQL 17+ `inactive_since`; on
 *   older servers the time is unknown and it stays low unless the bytes say otherwise).
 * - wal_status (PostgreSQL 13+): `extended` (retaining beyond max_wal_size) medium; `unreserved`
 *   (WAL it needs goes at the next checkpoint) high; `lost` (invalidated: no longer pins WAL, its
 *   consumer must be re-synced) medium: the danger to the server is over, the consumer is broken.
 * - age(xmin) / age(catalog_xmin), in transactions: medium from 10 million, high from 100 million
 *   (half the default autovacuum_freeze_max_age of 200 million: rows deleted after that xmin stay,
 *   and freezing cannot pass it).
 * Slots are server-wide: physical slots are reported from every database, logical slots only
 * from their own database. Slots synchronised to a standby (`synced`, PostgreSQL 17+) are judged
 * on the primary that owns them. */
const REPLICATION_SLOT_THRESHOLDS = {
  mediumBytes: 1024 ** 3,
  highBytes: 10 * 1024 ** 3,
  inactiveMinutes: 60,
  mediumXminAge: 10_000_000,
  highXminAge: 100_000_000,
};

interface Row {
  slot: string;
  type: "physical" | "logical";
  database: string | null;
  plugin: string | null;
  active: boolean;
  temporary: boolean;
  synced: boolean;
  wal_status: string | null;
  invalidation_reason: string | null;
  safe_wal_size: string | null;
  inactive_since: string | null;
  inactive_seconds: number | null;
  restart_lsn: string | null;
  retained_bytes: string | null;
  xmin_age: number | null;
  catalog_xmin_age: number | null;
  standby: boolean;
  max_slot_wal_keep_size: string;
}

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const worse = (a: Severity | null, b: Severity): Severity => (a && RANK[a] >= RANK[b] ? a : b);
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes >= 10 * 1024 ** 3 ? 0 : 2)} GiB`;
const mib = (bytes: number) => (bytes >= 1024 ** 3 ? gib(bytes) : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);

export const dbReplicationSlots: Check = {
  code: "db.replication_slots",
  domain: "database",
  title: "Replication slots pinning WAL",
  description:
    `Replication slots (physical, and this database's logical ones) holding WAL or the xmin horizon: retained WAL medium from ${gib(REPLICATION_SLOT_THRESHOLDS.mediumBytes)}, high from ${gib(REPLICATION_SLOT_THRESHOLDS.highBytes)}; ` +
    `inactive slots low, medium after ${REPLICATION_SLOT_THRESHOLDS.inactiveMinutes} min; wal_status extended medium, unreserved high, lost (invalidated) medium; ` +
    `age(xmin/catalog_xmin) medium from ${REPLICATION_SLOT_THRESHOLDS.mediumXminAge / 1e6} million, high from ${REPLICATION_SLOT_THRESHOLDS.highXminAge / 1e6} million.`,
  thresholds: REPLICATION_SLOT_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...REPLICATION_SLOT_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      // to_jsonb reads columns newer servers added (wal_status/safe_wal_size 13, inactive_since,
      // invalidation_reason and synced 17) as NULL on older ones, in one query. On a standby
      // pg_current_wal_lsn() fails: its slots are measured from the replayed LSN.
      const result = await client
        .query<Row>(
          `SELECT s.slot_name AS slot, s.slot_type AS type, s.database, s.plugin, s.active, s.temporary,
                  coalesce((j ->> 'synced')::boolean, false) AS synced,
                  j ->> 'wal_status' AS wal_status, j ->> 'invalidation_reason' AS invalidation_reason,
                  j ->> 'safe_wal_size' AS safe_wal_size,
                  to_char((j ->> 'inactive_since')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS inactive_since,
                  extract(epoch FROM now() - (j ->> 'inactive_since')::timestamptz)::float AS inactive_seconds,
                  s.restart_lsn::text AS restart_lsn,
                  pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END, s.restart_lsn)::bigint::text AS retained_bytes,
                  age(s.xmin) AS xmin_age, age(s.catalog_xmin) AS catalog_xmin_age,
                  pg_is_in_recovery() AS standby, current_setting('max_slot_wal_keep_size') AS max_slot_wal_keep_size
             FROM pg_replication_slots s CROSS JOIN LATERAL to_jsonb(s) j
            WHERE s.slot_type = 'physical' OR s.database = current_database()
            ORDER BY s.slot_name`,
        )
        .then(
          (r) => r.rows,
          (err: unknown) => err as { code?: string; message?: string },
        );
      if (!Array.isArray(result)) {
        if (result.code === "42501") return { status: "skipped", reason: `pg_replication_slots is not readable by this role: ${result.message ?? "permission denied"} (SQLSTATE 42501)` };
        throw result;
      }
      const issues = result.map((row) => judge(row, t)).filter((issue): issue is IssueDraft => issue !== null);
      return issues.length === 0 ? { status: "passed", evidence: { slots: result.length } } : { status: "issues", issues };
    });
  },
};

function judge(row: Row, t: typeof REPLICATION_SLOT_THRESHOLDS): IssueDraft | null {
  const lost = row.wal_status === "lost";
  // An invalidated slot keeps a restart_lsn but no longer holds WAL or xmin: its bytes mean nothing.
  const retained = lost || row.retained_bytes === null ? null : Math.max(0, Number(row.retained_bytes));
  const xminAge = lost ? null : Math.max(row.xmin_age ?? 0, row.catalog_xmin_age ?? 0) || null;
  const inactiveMinutes = row.inactive_seconds === null ? null : Math.round(row.inactive_seconds / 60);
  let severity: Severity | null = null;
  const why: string[] = [];

  if (lost) {
    severity = worse(severity, "medium");
    why.push(`it was invalidated (wal_status lost${row.invalidation_reason ? `, ${row.invalidation_reason}` : ""}): its consumer can no longer resume from it`);
  } else if (row.wal_status === "unreserved") {
    severity = worse(severity, "high");
    why.push("WAL it still needs will be removed at the next checkpoint (wal_status unreserved): its consumer is about to lose its place");
  } else if (row.wal_status === "extended") {
    severity = worse(severity, "medium");
    why.push("it retains WAL beyond max_wal_size (wal_status extended)");
  }
  if (retained !== null && retained >= t.highBytes) severity = worse(severity, "high");
  else if (retained !== null && retained >= t.mediumBytes) severity = worse(severity, "medium");
  if (retained !== null && retained >= t.mediumBytes) why.push(`it retains ${mib(retained)} of WAL`);
  if (!row.active && !lost && !row.synced && !row.temporary) {
    const long = inactiveMinutes !== null && inactiveMinutes >= t.inactiveMinutes;
    severity = worse(severity, long ? "medium" : "low");
    why.push(`no consumer is connected${inactiveMinutes !== null ? ` (inactive for ${inactiveMinutes} min, since ${row.inactive_since})` : ""}, so the WAL it retains${retained !== null ? ` (${mib(retained)} now)` : ""} grows with every write`);
  }
  if (xminAge !== null && xminAge >= t.highXminAge) severity = worse(severity, "high");
  else if (xminAge !== null && xminAge >= t.mediumXminAge) severity = worse(severity, "medium");
  if (xminAge !== null && xminAge >= t.mediumXminAge) why.push(`its ${row.catalog_xmin_age === xminAge ? "catalog_xmin" : "xmin"} is ${xminAge.toLocaleString("en-US")} transactions old: vacuum cannot remove rows deleted since`);
  if (severity === null) return null;

  const drop = `SELECT pg_drop_replication_slot(${sqlLiteral(row.slot)});`;
  const consumer = row.type === "logical" ? `the logical decoding client (plugin ${row.plugin ?? "unknown"}: a subscription, Debezium, DMS...)` : "the standby or backup tool that streams from it (primary_slot_name)";
  const keepSize = row.max_slot_wal_keep_size === "-1" ? "max_slot_wal_keep_size is -1 (unlimited): set it (e.g. '50GB', below the free disk) so that a forgotten slot is invalidated instead of filling the disk." : `max_slot_wal_keep_size is ${row.max_slot_wal_keep_size}.`;
  return {
    severity,
    title: lost ? `Replication slot ${row.slot} was invalidated` : `Replication slot ${row.slot} ${row.active ? "is holding back WAL" : "is inactive"}${retained !== null && retained > 0 ? ` (${mib(retained)} retained)` : ""}`,
    description: `The ${row.type} slot ${row.slot}${row.database ? ` (database ${row.database})` : ""}: ${why.join("; ")}.`,
    subject: `slot:${row.slot}`,
    evidence: {
      slot: row.slot,
      slotType: row.type,
      database: row.database,
      plugin: row.plugin,
      active: row.active,
      temporary: row.temporary,
      walStatus: row.wal_status,
      invalidationReason: row.invalidation_reason,
      inactiveSince: row.inactive_since,
      inactiveMinutes,
      restartLsn: row.restart_lsn,
      retainedBytes: retained,
      safeWalSizeBytes: row.safe_wal_size === null ? null : Number(row.safe_wal_size),
      xminAge: row.xmin_age,
      catalogXminAge: row.catalog_xmin_age,
      measuredFrom: row.standby ? "pg_last_wal_replay_lsn() (standby)" : "pg_current_wal_lsn()",
      maxSlotWalKeepSize: row.max_slot_wal_keep_size,
    },
    recommendation: lost
      ? `Drop it (${drop}), then rebuild its consumer (${consumer}) from a fresh copy and create a new slot for it.`
      : `Find ${consumer}. If it is gone for good, drop the slot: ${drop} If it is down, bring it back before the disk fills. ${keepSize}`,
  };
}
