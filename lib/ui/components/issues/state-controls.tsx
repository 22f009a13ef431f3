"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { IssueState } from "../../../issues/states";
import { usePaths } from "../../paths";

const SNOOZES = [
  { label: "1 hour", ms: 3_600_000 },
  { label: "1 day", ms: 86_400_000 },
  { label: "7 days", ms: 7 * 86_400_000 },
] as const;

type Change = { state: Exclude<IssueState, "open"> | "open"; until?: string; reason?: string };

/** What an admin can do with an issue: acknowledge, snooze (1 h, 1 d, 7 d or until a date),
 * ignore with a reason, resolve, reopen. Each POSTs the state and re-renders the page; the
 * server's answer (a 422 names the field) is shown as it comes. */
export function IssueStateControls({ issueId, state }: { issueId: string; state: IssueState }) {
  const { apiBasePath } = usePaths();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [date, setDate] = useState("");
  const ids = { reason: useId(), date: useId() };

  async function send(change: Change, said: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    const res = await fetch(`${apiBasePath}/issues/${encodeURIComponent(issueId)}/state`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(change),
    }).catch(() => null);
    setBusy(false);
    if (!res?.ok) {
      const body = (await res?.json().catch(() => null)) as { error?: { message?: string; fields?: Record<string, string[]> } } | null;
      const fields = Object.entries(body?.error?.fields ?? {}).map(([field, messages]) => `${field}: ${messages.join(", ")}`);
      setError(fields.length ? fields.join("; ") : (body?.error?.message ?? "The state was not changed."));
      return;
    }
    setDone(said);
    router.refresh();
  }

  const snoozeUntilDate = () => {
    // A date picked in the admin's calendar: until the end of that day, in their time zone.
    const until = date ? new Date(`${date}T23:59:59`) : null;
    if (!until || Number.isNaN(until.getTime())) return setError("until: pick a date");
    void send({ state: "snoozed", until: until.toISOString() }, `Snoozed until ${date}.`);
  };

  return (
    <section className="tr-card tr:space-y-4 tr:p-5" aria-label="Change the state" data-testid="issue-state-controls">
      <h2 className="tr:font-semibold">Change the state</h2>
      <div className="tr:flex tr:flex-wrap tr:gap-2">
        {state !== "acknowledged" && state !== "resolved" && (
          <button className="tr-btn" disabled={busy} onClick={() => send({ state: "acknowledged" }, "Acknowledged.")}>
            Acknowledge
          </button>
        )}
        {state !== "resolved" && (
          <button className="tr-btn" disabled={busy} onClick={() => send({ state: "resolved" }, "Resolved.")}>
            Resolve
          </button>
        )}
        {state !== "open" && (
          <button className="tr-btn" disabled={busy} onClick={() => send({ state: "open" }, "Reopened.")}>
            Reopen
          </button>
        )}
      </div>
      <fieldset className="tr:space-y-2">
        <legend className="tr:text-sm tr:font-medium">Snooze: hide it from the open issues until</legend>
        <div className="tr:flex tr:flex-wrap tr:items-end tr:gap-2">
          {SNOOZES.map((s) => (
            <button key={s.label} className="tr-btn" disabled={busy} onClick={() => send({ state: "snoozed", until: new Date(Date.now() + s.ms).toISOString() }, `Snoozed for ${s.label}.`)}>
              {s.label}
            </button>
          ))}
          <label htmlFor={ids.date} className="tr:sr-only">
            Snooze until a date
          </label>
          <input id={ids.date} type="date" className="tr-field" value={date} onChange={(e) => setDate(e.target.value)} />
          <button className="tr-btn" disabled={busy || !date} onClick={snoozeUntilDate}>
            Snooze until the date
          </button>
        </div>
      </fieldset>
      <div className="tr:space-y-2">
        <label htmlFor={ids.reason} className="tr:block tr:text-sm tr:font-medium">
          Ignore, with a reason (it then no longer lowers the health score)
        </label>
        <textarea id={ids.reason} className="tr-field tr:block tr:w-full tr:max-w-xl" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        <button className="tr-btn" disabled={busy || !reason.trim()} onClick={() => send({ state: "ignored", reason: reason.trim() }, "Ignored.")}>
          Ignore
        </button>
      </div>
      <p aria-live="polite" className="tr:text-sm" data-testid="state-result">
        {done}
      </p>
      {error && (
        <p role="alert" className="tr:text-sm tr:text-red-700 tr:dark:text-red-400">
          {error}
        </p>
      )}
    </section>
  );
}
