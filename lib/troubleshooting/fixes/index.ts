// The fix-action catalogue. Adding an action: write its file, add it here.
import type { FixActionDef, IssueView, PlanContext } from "../catalogue";
import { dbAnalyzeTable } from "./database/analyze-table";
import {
  dbAdviseDrift,
  dbAdviseFailedMigration,
  dbAdviseInvalidIndex,
  dbAdviseQueryStatistics,
  dbAdviseSequence,
  dbAdviseSignalSession,
  dbAdviseWraparound,
} from "./database/advice";
import { dbCancelQuery } from "./database/cancel-query";
import { dbCreateIndexConcurrently } from "./database/create-index-concurrently";
import { dbReindexConcurrently } from "./database/reindex-concurrently";
import { dbVacuumTable } from "./database/vacuum-table";
import { dbTerminateBlockingSession } from "./database/terminate-blocking-session";
import { dbTerminateIdleConnections } from "./database/terminate-idle-connections";
import { dbTerminateIdleInTransaction } from "./database/terminate-idle-in-transaction";
import { dbAdviseLockHolder, dbTerminateLockHolder } from "./database/terminate-lock-holder";

import {
  netAdviseAuthUrl,
  netAdviseCors,
  netAdviseDns,
  netAdviseHttpsRedirect,
  netAdviseProtectAdminApi,
  netAdviseRemoveConfigExposure,
  netAdviseTlsRenewal,
} from "./network/advice";
import { netReprobeTransient } from "./network/reprobe-transient";
import { webAdviseCacheHeaders, webAdviseProtectAdminPage, webAdviseSecurityHeaders } from "./web/advice";
import { webRedeploy } from "./web/redeploy";
import { webRevalidatePaths } from "./web/revalidate-paths";
import { webRollbackDeployment } from "./web/rollback-deployment";
import { webWarmCache } from "./web/warm-cache";

// Each entry keeps its own parameter type; the catalogue only needs the common shape.
export const FIX_ACTIONS: readonly FixActionDef<never>[] = [
  dbCancelQuery,
  dbTerminateIdleInTransaction,
  dbTerminateBlockingSession,
  dbTerminateLockHolder,
  dbTerminateIdleConnections,
  dbReindexConcurrently,
  dbCreateIndexConcurrently,
  dbAnalyzeTable,
  dbVacuumTable,
  dbAdviseQueryStatistics,
  dbAdviseWraparound,
  dbAdviseSequence,
  dbAdviseFailedMigration,
  dbAdviseDrift,
  dbAdviseInvalidIndex,
  dbAdviseSignalSession,
  dbAdviseLockHolder,
  webWarmCache,
  webRevalidatePaths,
  webRedeploy,
  webRollbackDeployment,
  webAdviseSecurityHeaders,
  webAdviseCacheHeaders,
  netReprobeTransient,
  netAdviseTlsRenewal,
  netAdviseDns,
  netAdviseAuthUrl,
  netAdviseCors,
  netAdviseProtectAdminApi,
  netAdviseHttpsRedirect,
  netAdviseRemoveConfigExposure,
  webAdviseProtectAdminPage,
] as unknown as FixActionDef<never>[];

export interface PlannedFix {
  action: FixActionDef<never>;
  params: unknown;
}

/** Every catalogue action that applies to the issue, with its parameters. */
export function candidateFixes(issue: IssueView, catalogue: readonly FixActionDef<never>[] = FIX_ACTIONS, context: PlanContext = { integrations: new Set() }): PlannedFix[] {
  return catalogue
    .filter((action) => action.addresses.includes(issue.code))
    .map((action) => ({ action, params: action.plan(issue, context) }))
    .filter((planned) => planned.params !== null);
}
