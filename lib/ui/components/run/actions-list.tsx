"use client";

import { usePaths } from "../../paths";
import { useState } from "react";
import type { ReportAction, ReportIssue } from "../../../troubleshooting/report";
import { StatusText } from "./labels";

/** Fix actions with their exact planned effect; pending ones can be approved or rejected while the
 * run waits for them (an interrupted run's pending actions wait for it to be resumed first). */
export function ActionsList({ runId, actions, issues, onDecided, decidable = true }: { runId: string; actions: ReportAction[]; issues: ReportIssue[]; onDecided: () => Promise<void>; decidable?: boolean }) {
  if (actions.length === 0) return null;
  return (
    <section className="tr-card" aria-label="Fix actions">
      <h2 className="tr-card-title">Fix actions</h2>
      <ul className="tr:divide-y tr:divide-slate-100 tr:dark:divide-slate-800">
        {actions.map((action) => (
          <li key={action.id} className="tr:space-y-1 tr:px-5 tr:py-3 tr:text-sm" data-testid="action-row" data-code={action.code} data-status={action.status}>
            <div className="tr:flex tr:flex-wrap tr:items-center tr:justify-between tr:gap-2">
              <span className="tr:font-medium">
                {action.title} <code className="tr-muted tr:text-xs">{action.code}</code>
              </span>
              <span className="tr:flex tr:items-center tr:gap-2">
                <span className="tr-muted tr:text-xs">{action.risk.replace("_", " ")}</span>
                <StatusText status={action.status} />
                {action.verified !== null && <span className="tr:text-xs">{action.verified ? "verified" : "not verified"}</span>}
              </span>
            </div>
            <p className="tr-muted">For: {issues.filter((i) => action.issueIds.includes(i.id)).map((i) => i.title).join("; ") || "–"}</p>
            {action.detail && <p className="tr:whitespace-pre-wrap">{action.detail}</p>}
            {action.decidedBy && <p className="tr-muted tr:text-xs">Decided by {action.decidedBy}</p>}
            {action.status === "pending_approval" && decidable && <Decision runId={runId} actionId={action.id} onDecided={onDecided} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Decision({ runId, actionId, onDecided }: { runId: string; actionId: string; onDecided: () => Promise<void> }) {
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
      body: JSON.stringify({ actionId, decision, comment }),
    }).catch(() => null);
    if (!res?.ok) setError(((await res?.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? "The decision was not recorded.");
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
        <span role="alert" className="tr:text-red-700 tr:dark:text-red-400">
          {error}
        </span>
      )}
    </form>
  );
}
