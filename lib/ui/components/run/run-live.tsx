"use client";

import { usePaths } from "../../paths";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { RUN_EVENT_TYPES, type RunReport, isActiveRun } from "../../../troubleshooting/report";
import type { BotProgress } from "../../../troubleshooting/queries/progress";
import { ActionsList } from "./actions-list";
import { BotCards } from "./bot-cards";
import { IssuesTable } from "./issues-table";
import { RunOutcomeText, formatMs, formatTime } from "./labels";
import { CancelRun } from "./cancel-run";
import { DecisionsFirst } from "./decisions-first";
import { InvestigationSection } from "./investigation";
import { followInvestigation } from "./investigation-events";
import { type LiveInvestigation, NO_LIVE_INVESTIGATION } from "../../../troubleshooting/investigation-view";
import { PhaseStepper } from "./phase-stepper";
import { RunSummary } from "./run-summary";

/** The run page: what waits for the admin first, then phases, bots, issues, the AI investigation,
 * fixes and the report. `cancelledBy`: the admin who asked to cancel the run (the page re-renders
 * it after a cancel); `initialInvestigation`: its investigation's events up to `lastSeq`. */
export function RunLive({ initial, initialProgress, lastSeq, cancelledBy = null, initialInvestigation = NO_LIVE_INVESTIGATION }: { initial: RunReport; initialProgress: BotProgress; lastSeq: number; cancelledBy?: string | null; initialInvestigation?: LiveInvestigation }) {
  const { apiBasePath } = usePaths();
  const router = useRouter();
  const [report, setReport] = useState(initial);
  const [progress, setProgress] = useState(initialProgress);
  const [investigation, setInvestigation] = useState(initialInvestigation);
  const [connection, setConnection] = useState<"live" | "reconnecting" | "ended">(isActiveRun(initial.status) ? "live" : "ended");
  // The stream to follow: from the server's render, and again after a resumed run's last event.
  const [follow, setFollow] = useState({ active: isActiveRun(initial.status), after: lastSeq });
  const lastSeen = useRef(lastSeq);
  const [resumeError, setResumeError] = useState<string | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const runId = initial.runId;

  const refresh = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = (async () => {
      do {
        again.current = false;
        const res = await fetch(`${apiBasePath}/runs/${runId}`, { cache: "no-store" }).catch(() => null);
        if (res?.ok) setReport((await res.json()) as RunReport);
      } while (again.current);
    })();
    await inFlight.current;
    inFlight.current = null;
  }, [runId, apiBasePath]);

  useEffect(() => {
    if (!follow.active) return;
    // Starts after the last event the server rendered; reconnects send Last-Event-ID, and the
    // server replays from there: no gap, no event twice.
    const source = new EventSource(`${apiBasePath}/runs/${runId}/events?after=${follow.after}`);
    const seen = new Set<string>();
    const onEvent = (event: MessageEvent<string>) => {
      if (event.lastEventId) {
        if (seen.has(event.lastEventId)) return;
        seen.add(event.lastEventId);
        lastSeen.current = Math.max(lastSeen.current, Number(event.lastEventId));
      }
      setConnection("live");
      const data = JSON.parse(event.data) as { domain?: keyof BotProgress; payload?: unknown };
      // Each tool call shows as it arrives, before the report has the record.
      if (event.type.startsWith("investigation_")) setInvestigation((live) => followInvestigation(live, event.type, data.payload));
      if ((event.type === "check_completed" || event.type === "issue_found") && data.domain) {
        setProgress((p) => {
          const bot = p[data.domain as keyof BotProgress];
          return { ...p, [data.domain as string]: event.type === "check_completed" ? { ...bot, done: bot.done + 1 } : { ...bot, issues: bot.issues + 1 } };
        });
      }
      void refresh();
    };
    for (const type of RUN_EVENT_TYPES) source.addEventListener(type, onEvent as EventListener);
    source.addEventListener("end", () => {
      source.close();
      setConnection("ended");
      void refresh();
    });
    source.onerror = () => setConnection(source.readyState === EventSource.CLOSED ? "ended" : "reconnecting");
    return () => source.close();
  }, [runId, follow, refresh, apiBasePath]);

  const active = isActiveRun(report.status);
  async function cancel(): Promise<string | null> {
    const res = await fetch(`${apiBasePath}/runs/${runId}/cancel`, { method: "POST" }).catch(() => null);
    await refresh();
    // The server's render names who cancelled (and updates the nav's badge).
    router.refresh();
    return res?.ok ? null : (((await res?.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? "The run was not cancelled.");
  }
  async function resume() {
    setResumeError(null);
    const res = await fetch(`${apiBasePath}/runs/${runId}/resume`, { method: "POST" }).catch(() => null);
    if (!res?.ok) setResumeError(((await res?.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? "The run was not resumed.");
    await refresh();
    if (res?.ok) setFollow({ active: true, after: lastSeen.current });
  }

  return (
    <div className="tr:space-y-6">
      <section className="tr:flex tr:flex-wrap tr:items-start tr:justify-between tr:gap-4">
        <div>
          <h1 className="tr:text-lg tr:font-semibold">Troubleshooting run</h1>
          <p className="tr-muted tr:mt-1 tr:text-sm">
            <span data-testid="run-status">
              <RunOutcomeText report={report} />
            </span>{" "}
            · {report.trigger} · started {formatTime(report.startedAt)} · {report.target.baseUrl}
            {report.durationMs !== null && ` · ${formatMs(report.durationMs)}`}
          </p>
          {cancelledBy && (
            <p className="tr:mt-1 tr:text-sm" data-testid="cancelled-by">
              {report.status === "cancelled" ? "Cancelled" : "Cancel requested"} by {cancelledBy}
            </p>
          )}
          {report.initialIssue && <p className="tr:mt-1 tr:text-sm">“{report.initialIssue}”</p>}
        </div>
        <div className="tr:flex tr:items-center tr:gap-3 tr:text-sm">
          <span className="tr-muted" aria-live="polite">
            {connection === "live" ? "● live" : connection === "reconnecting" ? "reconnecting…" : ""}
          </span>
          {active && <CancelRun onCancel={cancel} />}
          {report.status === "interrupted" && (
            <button className="tr-btn-primary" onClick={resume}>
              Resume run
            </button>
          )}
          {resumeError && (
            <span role="alert" className="tr:text-red-700 tr:dark:text-red-400">
              {resumeError}
            </span>
          )}
        </div>
      </section>
      <DecisionsFirst report={report} onDecided={refresh} />
      <PhaseStepper phases={report.phases} status={report.status} />
      <BotCards progress={progress} report={report} />
      <IssuesTable issues={report.issues} />
      <InvestigationSection report={report} live={investigation} active={active} />
      <ActionsList runId={runId} actions={report.actions.filter((a) => a.status !== "pending_approval")} issues={report.issues} onDecided={refresh} decidable={report.status !== "interrupted"} />
      <RunSummary report={report} />
    </div>
  );
}
