import type { Check } from "../../catalogue";
import { readOnly } from "./shared";

/** Transaction ids wrap at about 2.1 billion; PostgreSQL stops accepting writes near there. */
const WRAPAROUND_THRESHOLDS = { mediumAge: 1_000_000_000, criticalAge: 1_500_000_000 };

export const dbTxidWraparound: Check = {
  code: "db.txid_wraparound",
  domain: "database",
  title: "Transaction id wraparound",
  description: `age(datfrozenxid) of the database: medium over ${WRAPAROUND_THRESHOLDS.mediumAge / 1e9} billion, critical over ${WRAPAROUND_THRESHOLDS.criticalAge / 1e9} billion.`,
  thresholds: WRAPAROUND_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...WRAPAROUND_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<{ database: string; age: number; oldest_table: string | null; oldest_age: number | null }>(
        `SELECT d.datname AS database, age(d.datfrozenxid) AS age,
                (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind IN ('r', 'm', 't') ORDER BY age(c.relfrozenxid) DESC LIMIT 1) AS oldest_table,
                (SELECT max(age(c.relfrozenxid)) FROM pg_class c WHERE c.relkind IN ('r', 'm', 't')) AS oldest_age
           FROM pg_database d WHERE d.datname = current_database()`,
      );
      const row = rows[0];
      if (!row) return { status: "error", reason: "current database not found in pg_database" };
      const evidence = { database: row.database, xidAge: row.age, percentToWraparound: Math.round((row.age / 2_147_483_647) * 1000) / 10, oldestTable: row.oldest_table, oldestTableAge: row.oldest_age };
      if (row.age <= t.mediumAge) return { status: "passed", evidence };
      return {
        status: "issues",
        issues: [
          {
            severity: row.age > t.criticalAge ? "critical" : "medium",
            title: `Transaction ids are ${evidence.percentToWraparound} % of the way to wraparound`,
            description: "Near wraparound PostgreSQL refuses new transactions to protect data; only a (long) VACUUM FREEZE brings it back.",
            subject: `xid:${row.database}`,
            evidence,
            recommendation: "Let autovacuum freeze the oldest tables (check it is not blocked by long transactions or replication slots); run VACUUM (FREEZE) on the oldest table in a quiet period.",
          },
        ],
      };
    });
  },
};
