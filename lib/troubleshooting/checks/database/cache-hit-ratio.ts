import type { Check } from "../../catalogue";
import { notOwnSchemaSql, readOnly } from "./shared";

/** PgHero's threshold: 99 % of the application's table and index block reads from shared buffers.
 * A fresh or restarted server reads from disk until its working set is cached: judge only after
 * enough reads of the application's own relations. */
export const CACHE_THRESHOLDS = { minRatio: 0.99, minBlocks: 100_000, highRatio: 0.9 };

/**
 * Counted over the application's tables and indexes (pg_statio_user_tables, heap and index
 * blocks, as PgHero does), not pg_stat_database: the database-wide counters also hold the system
 * catalogs' reads (every new connection, every migration reads them cold), and the add-on's own
 * schemas when it shares the database. On a small database those alone made a cold cache look
 * like a working set that does not fit in memory.
 */
export const dbCacheHitRatio: Check = {
  code: "db.cache_hit_ratio",
  domain: "database",
  title: "Low cache hit ratio",
  description: `Share of the application's table and index block reads served from shared buffers: medium under ${CACHE_THRESHOLDS.minRatio * 100} % (high under ${CACHE_THRESHOLDS.highRatio * 100} %), judged after ${CACHE_THRESHOLDS.minBlocks} block reads.`,
  thresholds: CACHE_THRESHOLDS,
  async run({ target, signal, thresholds }) {
    const t = { ...CACHE_THRESHOLDS, ...thresholds };
    return readOnly(target, signal, async (client) => {
      const { rows } = await client.query<{ hit: string; read: string; shared_buffers: string }>(
        `SELECT coalesce(sum(coalesce(heap_blks_hit, 0) + coalesce(idx_blks_hit, 0)), 0)::text AS hit,
                coalesce(sum(coalesce(heap_blks_read, 0) + coalesce(idx_blks_read, 0)), 0)::text AS read,
                current_setting('shared_buffers') AS shared_buffers
           FROM pg_statio_user_tables WHERE ${notOwnSchemaSql("schemaname")}`,
      );
      const hit = Number(rows[0]?.hit ?? 0);
      const read = Number(rows[0]?.read ?? 0);
      if (hit + read < t.minBlocks) return { status: "skipped", reason: `only ${hit + read} block reads of the application's tables and indexes so far; judged after ${t.minBlocks}` };
      const ratio = hit / (hit + read);
      const evidence = { hitRatio: Math.round(ratio * 10_000) / 10_000, blocksHit: hit, blocksRead: read, sharedBuffers: rows[0]?.shared_buffers };
      if (ratio >= t.minRatio) return { status: "passed", evidence };
      return {
        status: "issues",
        issues: [
          {
            severity: ratio < t.highRatio ? "high" : "medium",
            title: `Cache hit ratio is ${Math.round(ratio * 1000) / 10} %`,
            description: "Many of the application's table and index reads go to disk: the working set does not fit in memory, or big tables are scanned.",
            subject: "cache",
            evidence,
            recommendation: "Look for sequential scans of big tables (db.missing_index) first; then consider more memory (shared_buffers, a bigger instance).",
          },
        ],
      };
    });
  },
};
