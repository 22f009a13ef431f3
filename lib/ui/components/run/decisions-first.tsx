"use client";

import { useEffect, useRef, useState } from "react";
import type { RunReport } from "../../../troubleshooting/report";
import { decisionsText } from "../pending-decisions-link";
import { ActionsList } from "./actions-list";

/** The run page's first section while fixes wait for a decision: how many, then those fixes with
 * their Approve/Reject (ActionsList for the undecided subset). Screen readers hear it when a run
 * starts waiting, when the page opens on a waiting run, and when the count changes, through a
 * polite live region that is always there. */
export function DecisionsFirst({ report, onDecided }: { report: RunReport; onDecided: () => Promise<void> }) {
  const undecided = report.actions.filter((a) => a.status === "pending_approval");
  const waiting = report.status === "awaiting_approval" && undecided.length > 0;
  const [announcement, setAnnouncement] = useState("");
  // What was last announced: nothing at first, so a run already waiting when the page opens is
  // announced once after it renders (a live region's text present at load is not read out), and
  // after that only changes are.
  const seen = useRef({ waiting: false, count: 0 });
  useEffect(() => {
    const before = seen.current;
    seen.current = { waiting, count: undecided.length };
    if (waiting && (!before.waiting || before.count !== undecided.length)) setAnnouncement(`The run is waiting for you: ${decisionsText(undecided.length)}.`);
    else if (!waiting && before.waiting) setAnnouncement("No fix is waiting for your decision any more.");
  }, [waiting, undecided.length]);
  return (
    <>
      <p role="status" className="tr:sr-only" data-testid="decisions-announcement">
        {announcement}
      </p>
      {undecided.length > 0 && (
        <section id="decisions" aria-labelledby="decisions-title" className="tr:scroll-mt-4 tr:space-y-2" data-testid="decisions">
          <div className="tr:rounded-xl tr:border tr:border-amber-400 tr:bg-amber-50 tr:px-5 tr:py-3 tr:dark:border-amber-700 tr:dark:bg-amber-950">
            <h2 id="decisions-title" className="tr:font-semibold">
              {decisionsText(undecided.length)}
            </h2>
            <p className="tr:text-sm">
              {report.status === "interrupted"
                ? "The run stopped before they were decided: resume it to decide them."
                : "The run waits for you: approve or reject each fix below. Nothing is applied without your approval."}
            </p>
          </div>
          <ActionsList runId={report.runId} actions={undecided} issues={report.issues} onDecided={onDecided} decidable={report.status !== "interrupted"} />
        </section>
      )}
    </>
  );
}
