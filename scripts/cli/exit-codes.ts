// The CLI's exit status: what a script, cron job or CI step can branch on without reading output.
import type { RunReport } from "../../lib/troubleshooting/report";

export const EXIT = {
  /** The run completed and nothing it found is left open (all resolved, or nothing found). */
  clean: 0,
  /** The run failed, was cancelled or interrupted; or the command itself failed (no such run, a
   * decision refused, the database unreachable). */
  failed: 1,
  /** Bad arguments (an unknown --target name included): nothing was done. */
  usage: 2,
  /** The run completed with findings still open. */
  findings: 3,
  /** The run waits for approval of fixes (decide with approve / reject, or in the dashboard). */
  awaitingApproval: 4,
  /** Fixes waited past APPROVAL_EXPIRY_MINUTES and were rejected as expired; the run went on without them. */
  approvalExpired: 5,
  /** Another run on the same target is active: nothing was started; try again later. */
  targetBusy: 6,
  /** show, cancel: the run is still queued or running. */
  inProgress: 7,
} as const;

export const EXIT_CODES_TEXT = `  0 completed, nothing left open     4 waiting for approval of fixes
  1 failed, cancelled or interrupted 5 approval expired (fixes rejected as expired)
    (or the command itself failed)   6 target busy: another run on it is active
  2 bad arguments (or unknown target) 7 still queued or running (show, cancel)
  3 completed with findings open`;

/** Each exit status in a few words (the --json error document's `meaning`). */
export const EXIT_MEANINGS: Record<number, string> = {
  [EXIT.failed]: "failed, cancelled or interrupted, or the command failed (stderr says why)",
  [EXIT.usage]: "bad arguments: nothing was done",
  [EXIT.findings]: "completed with findings open",
  [EXIT.awaitingApproval]: "waiting for approval of fixes",
  [EXIT.approvalExpired]: "approval expired: fixes rejected as expired",
  [EXIT.targetBusy]: "target busy: another run on it is active; nothing was started",
  [EXIT.inProgress]: "still queued or running",
};

/** The exit status of a run's outcome. `expired`: some of its fixes were rejected as expired. */
export function exitCodeOf(report: Pick<RunReport, "status" | "issues">, expired: boolean): number {
  switch (report.status) {
    case "completed":
      if (expired) return EXIT.approvalExpired;
      return report.issues.some((i) => i.status !== "resolved") ? EXIT.findings : EXIT.clean;
    case "awaiting_approval":
      return EXIT.awaitingApproval;
    case "queued":
    case "running":
      return EXIT.inProgress;
    default:
      return EXIT.failed;
  }
}
