import type { CheckOutcome } from "../../catalogue";
import { BlockedAddressError } from "../../probes/address-policy";
import { describeHttpError } from "../../probes/http";

/** Checks that need an answer from the site skip, rather than fail, when it gives none:
 * web.unreachable reports that finding once. */
export function skippedUnreachable(err: unknown): CheckOutcome {
  if (err instanceof BlockedAddressError) return { status: "error", reason: err.message };
  return { status: "skipped", reason: `the site did not answer (${describeHttpError(err)}); see web.unreachable` };
}
