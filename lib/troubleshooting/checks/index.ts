// The check catalogue. Adding a check: write its file, add it here.
import type { Check } from "../catalogue";
import type { Domain } from "../report";
import { dbAdvisoryLocks } from "./database/advisory-locks";
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
import { dbReplicationSlots } from "./database/replication-slots";
import { dbPreparedTransactions } from "./database/prepared-transactions";
import { dbIntegrityDisabled } from "./database/integrity-disabled";
import { dbForeignKeyWithoutIndex } from "./database/foreign-key-without-index";
import { dbTablesWithoutPrimaryKey } from "./database/tables-without-primary-key";
import { netApiNotJson } from "./network/api-not-json";
import { netAuthBroken } from "./network/auth-broken";
import { netConfigExposure } from "./network/config-exposure";
import { netCorsMisconfigured } from "./network/cors-misconfigured";
import { netDataExposure } from "./network/data-exposure";
import { netDnsFailure } from "./network/dns-failure";
import { netEndpointDown } from "./network/endpoint-down";
import { netEndpointErrors } from "./network/endpoint-errors";
import { netHighLatency } from "./network/high-latency";
import { netHttpNotRedirected } from "./network/http-not-redirected";
import { netRateLimited } from "./network/rate-limited";
import { netTimeouts } from "./network/timeouts";
import { netTlsExpiring, netTlsInvalid } from "./network/tls";
import { netUnprotectedAdminApi } from "./network/unprotected-admin-api";
import { webAdminPageExposed } from "./web/admin-page-exposed";
import { webConsoleErrors, webFailedRequests, webHydrationError } from "./web/browser-errors";
import { webBrokenLinks } from "./web/broken-links";
import { webCspBlocksScripts } from "./web/csp-blocks-scripts";
import { webFailedAssets } from "./web/failed-assets";
import { webMissingCacheHeaders } from "./web/missing-cache-headers";
import { webMissingSecurityHeaders } from "./web/missing-security-headers";
import { webMixedContent } from "./web/mixed-content";
import { webPageCoverage } from "./web/page-coverage";
import { webPageErrorStatus } from "./web/page-error-status";
import { webPageWeight } from "./web/page-weight";
import { webRedirectLoop } from "./web/redirect-loop";
import { webSlowTtfb } from "./web/slow-ttfb";
import { webUnreachable } from "./web/unreachable";
import { webLayoutShift, webSlowPageLoad } from "./web/web-vitals";

export const CHECKS: readonly Check[] = [
  webUnreachable,
  webPageCoverage,
  webPageErrorStatus,
  webSlowTtfb,
  webRedirectLoop,
  webPageWeight,
  webFailedAssets,
  webMissingCacheHeaders,
  webMissingSecurityHeaders,
  webMixedContent,
  webBrokenLinks,
  webConsoleErrors,
  webHydrationError,
  webCspBlocksScripts,
  webFailedRequests,
  webSlowPageLoad,
  webLayoutShift,
  webAdminPageExposed,
  dbUnreachable,
  dbAuthFailed,
  dbConnectionLatency,
  dbConnectionsNearLimit,
  dbIdleInTransaction,
  dbLongRunningQuery,
  dbBlockedQueries,
  dbAdvisoryLocks,
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
  dbReplicationSlots,
  dbPreparedTransactions,
  dbIntegrityDisabled,
  dbForeignKeyWithoutIndex,
  dbTablesWithoutPrimaryKey,
  netDnsFailure,
  netTlsInvalid,
  netTlsExpiring,
  netEndpointDown,
  netEndpointErrors,
  netHighLatency,
  netTimeouts,
  netRateLimited,
  netAuthBroken,
  netApiNotJson,
  netUnprotectedAdminApi,
  netDataExposure,
  netConfigExposure,
  netCorsMisconfigured,
  netHttpNotRedirected,
];

export function checksFor(domain: Domain, catalogue: readonly Check[] = CHECKS): Check[] {
  return catalogue.filter((check) => check.domain === domain);
}

export function findCheck(code: string, catalogue: readonly Check[] = CHECKS): Check | undefined {
  return catalogue.find((check) => check.code === code);
}
