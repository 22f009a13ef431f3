import { describeDbError } from "../../../health/pg-errors";
import type { CheckOutcome } from "../../catalogue";

/** Checks that need a database session report why they could not run; db.unreachable reports
 * the connection failure itself once. */
export function dbCheckError(err: unknown): CheckOutcome {
  if (err instanceof Error && err.name === "BlockedAddressError") return { status: "error", reason: err.message };
  const { code, message } = describeDbError(err);
  return code === "unreachable" || code === "auth_failed" || code === "database_missing"
    ? { status: "skipped", reason: `${message} (see ${code === "auth_failed" ? "db.auth_failed" : "db.unreachable"})` }
    : { status: "error", reason: message };
}
