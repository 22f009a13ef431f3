"use client";

import { usePaths } from "../../paths";
import { useEffect, useRef, useState } from "react";
import type { ReportAction, ReportIssue } from "../../../troubleshooting/report";
import { IssueLinks } from "./issue-links";
import { ActionStatusText } from "./labels";
import { SinceDeploy, useRunDeploy } from "./since-deploy";

type Decided = { actionId: string; decision: "approve" | "reject"; order: string[] };

/** Fix actions with their exact planned effect. Only undecided ones (pending_approval) can be
 * approved or rejected, while the run waits for them (an interrupted run's wait for it to be
 * resumed first); an approved one reads "approved, not yet applied" until it is applied.
 * `actions` may be any subset (e.g. only the undecided ones). After a decision the outcome is
 * announced in a live region and focus moves to the next undecided action in this list, else to
 * the decided action, else to the list's heading. */
export function ActionsList({ runId, actions, issues, onDecided, decidable = true }: { runId: string; actions: ReportAction[]; issues: ReportIssue[]; onDecided: () => Promise<void>; decidable?: boolean }) {
  const section = useRef<HTMLElement>(null);
  const liveRegion = useRef<HTMLParagraphElement>(null);
  const [announcement, setAnnouncement] = useState("");
  // The decision waiting for the refreshed report, to move focus once it shows.
  const decided = useRef<Decided | null>(null);
  // Which deploy the run's issues came with: said next to each action, the rollback's above all.
  const deploy = useRunDeploy(runId, issues.length);

  function recorded(action: ReportAction, decision: "approve" | "reject") {
    decided.current = { actionId: action.id, decision, order: actions.map((a) => a.id) };
    const left = actions.filter((a) => a.status === "pending_approval" && a.id !== action.id).length;
    setAnnouncement(`${decision === "approve" ? "Approved" : "Rejected"}: ${action.title}. ${left === 0 ? "No decisions left here." : `${left} decision${left === 1 ? "" : "s"} left.`}`);
  }

  // Once the refreshed report no longer shows the decided action as undecided, move focus.
  useEffect(() => {
    const done = decided.current;
    if (!done) return;
    const now = actions.find((a) => a.id === done.actionId);
    if (now?.status === "pending_approval") return;
    decided.current = null;
    const pending = actions.filter((a) => a.status === "pending_approval").map((a) => a.id);
    const at = done.order.indexOf(done.actionId);
    const next = pending.find((id) => done.order.indexOf(id) > at) ?? pending[0];
    const root = section.current;
    // A list of undecided actions loses the decided one: then its row in another list of the page
    // (its new status), else this list's heading, else the announcement itself.
    const target =
      (next && root?.querySelector<HTMLElement>(`[data-action-id="${next}"] [data-focus-target]`)) ||
      (now && root?.querySelector<HTMLElement>(`[data-action-id="${now.id}"] [data-focus-target]`)) ||
      document.querySelector<HTMLElement>(`[data-action-id="${done.actionId}"] [data-focus-target]`) ||
      root?.querySelector<HTMLElement>("h2") ||
      liveRegion.current;
    target?.focus();
  }, [actions]);

  // The live region stays rendered (even with no actions left in this list), so the last outcome
  // is still announced when the decided action leaves a list of undecided ones.
  const live = (
    <p ref={liveRegion} tabIndex={-1} role="status" aria-live="polite" className={announcement ? "tr:px-5 tr:pt-2 tr:text-sm tr:font-medium" : "tr:sr-only"} data-testid="decision-announcement">
      {announcement}
    </p>
  );
  if (actions.length === 0) return live;
  const byId = new Map(issues.map((i) => [i.id, i]));
  return (
    <section ref={section} className="tr-card" aria-label="Fix actions">
      <h2 className="tr-card-title" tabIndex={-1}>
        Fix actions
      </h2>
      {live}
      <ul className="tr:divide-y tr:divide-slate-100 tr:dark:divide-slate-800">
        {actions.map((action) => (
          <li key={action.id} className="tr:space-y-1 tr:px-5 tr:py-3 tr:text-sm" data-testid="action-row" data-action-id={action.id} data-code={action.code} data-status={action.status}>
            <div className="tr:flex tr:flex-wrap tr:items-center tr:justify-between tr:gap-2">
              <span className="tr:font-medium tr:outline-offset-2" tabIndex={-1} data-focus-target>
                {action.title} <code className="tr-muted tr:text-xs">{action.code}</code>
              </span>
              <span className="tr:flex tr:flex-wrap tr:items-center tr:gap-2">
                <span className="tr-muted tr:text-xs">{action.risk.replace("_", " ")}</span>
                <ActionStatusText status={action.status} />
                {action.verified !== null && <span className="tr:text-xs">{action.verified ? "verified" : "not verified"}</span>}
              </span>
            </div>
            <p className="tr-muted">
              For:{" "}
              {action.issueIds.some((id) => byId.has(id)) ? <IssueLinks issues={action.issueIds.flatMap((id) => byId.get(id) ?? [])} /> : "–"}
            </p>
            <SinceDeploy deploy={deploy} action={action} />
            {action.detail && <p className="tr:whitespace-pre-wrap">{action.detail}</p>}
            {action.decidedBy && <p className="tr-muted tr:text-xs">{action.status === "rejected" ? "Rejected" : "Approved"} by {action.decidedBy}</p>}
            {action.status === "pending_approval" && decidable && (
              <Decision runId={runId} action={action} onDecided={onDecided} onRecorded={(decision) => recorded(action, decision)} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Decision({ runId, action, onDecided, onRecorded }: { runId: string; action: ReportAction; onDecided: () => Promise<void>; onRecorded: (decision: "approve" | "reject") => void }) {
  const { apiBasePath } = usePaths();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function decide(decision: "approve" | "reject", form: HTMLFormElement) {
    setBusy(true);
    setError(null);
    const comment = String(new FormData(form).get("comment") ?? "").trim() || undefined;
    const res = await fetch(`${apiBasePath}/runs/${runId}/decisions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ actionId: action.id, decision, comment }),
    }).catch(() => null);
    if (res?.ok) onRecorded(decision);
    else setError(((await res?.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? "The decision was not recorded.");
    await onDecided();
    setBusy(false);
  }
  return (
    <form className="tr:flex tr:flex-wrap tr:items-center tr:gap-2 tr:pt-1" onSubmit={(e) => e.preventDefault()}>
      <input name="comment" aria-label="Comment (optional)" placeholder="Comment (optional)" maxLength={1000} className="tr-field tr:min-w-48 tr:flex-1" />
      <button type="button" className="tr-btn-primary" disabled={busy} onClick={(e) => decide("approve", e.currentTarget.form as HTMLFormElement)}>
        Approve
      </button>
      <button type="button" className="tr-btn" disabled={busy} onClick={(e) => decide("reject", e.currentTarget.form as HTMLFormElement)}>
        Reject
      </button>
      {error && (
        <span role="alert" className="tr:text-red-700 tr:dark:text-red-300">
          {error}
        </span>
      )}
    </form>
  );
}
