// The check catalogue. Adding a check: write its file, add it here.
import type { Check } from "../catalogue";
import type { Domain } from "../report";
import { dbAuthFailed } from "./database/auth-failed";
import { dbBlockedQueries } from "./database/blocked-queries";
import { dbConnectionLatency } from "./database/connection-latency";
import { dbConnectionsNearLimit } from "./database/connections-near-limit";
import { dbDeadlocks } from "./database/deadlocks";
import { dbDuplicateIndexes } from "./database/duplicate-indexes";
import { dbCacheHitRatio } from "./database/cache-hit-ratio";
import { dbInvalidIndexes } from "./database/invalid-indexes";
import { dbPrismaMigrationsDrift } from "./database/prisma-migrations-drift";
import { dbPrismaMigrationsFailed } from "./database/prisma-migrations-failed";
import { dbSequenceExhaustion } from "./database/sequence-exhaustion";
import { dbDatabaseSizeGrowth } from "./database/size-growth";
import { dbTxidWraparound } from "./database/txid-wraparound";
import { dbMissingIndex } from "./database/missing-index";
import { dbSlowQueries } from "./database/slow-queries";
import { dbTableBloat } from "./database/table-bloat";
import { dbUnusedIndexes } from "./database/unused-indexes";
import { dbVacuumOverdue } from "./database/vacuum-overdue";
import { dbIdleInTransaction } from "./database/idle-in-transaction";
import { dbLongRunningQuery } from "./database/long-running-query";
import { dbStaleStatistics } from "./database/stale-statistics";
import { dbUnreachable } from "./database/unreachable";
import { netEndpointDown } from "./network/endpoint-down";
import { webPageErrorStatus } from "./web/page-error-status";
import { webSlowTtfb } from "./web/slow-ttfb";
import { webUnreachable } from "./web/unreachable";

export const CHECKS: readonly Check[] = [
  webUnreachable,
  webPageErrorStatus,
  webSlowTtfb,
  dbUnreachable,
  dbAuthFailed,
  dbConnectionLatency,
  dbConnectionsNearLimit,
  dbIdleInTransaction,
  dbLongRunningQuery,
  dbBlockedQueries,
  dbDeadlocks,
  dbSlowQueries,
  dbMissingIndex,
  dbStaleStatistics,
  dbTableBloat,
  dbVacuumOverdue,
  dbInvalidIndexes,
  dbDuplicateIndexes,
  dbUnusedIndexes,
  dbTxidWraparound,
  dbSequenceExhaustion,
  dbCacheHitRatio,
  dbPrismaMigrationsFailed,
  dbPrismaMigrationsDrift,
  dbDatabaseSizeGrowth,
  netEndpointDown,
];

export function checksFor(domain: Domain, catalogue: readonly Check[] = CHECKS): Check[] {
  return catalogue.filter((check) => check.domain === domain);
}

export function findCheck(code: string, catalogue: readonly Check[] = CHECKS): Check | undefined {
  return catalogue.find((check) => check.code === code);
}
