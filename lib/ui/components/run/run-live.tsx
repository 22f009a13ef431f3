"use client";

import { usePaths } from "../../paths";
import { useCallback, useEffect, useRef, useState } from "react";
import { RUN_EVENT_TYPES, type RunReport, isActiveRun } from "../../../troubleshooting/report";
import type { BotProgress } from "../../../troubleshooting/queries/progress";
import { ActionsList } from "./actions-list";
import { BotCards } from "./bot-cards";
import { IssuesTable } from "./issues-table";
import { StatusText, formatMs, formatTime } from "./labels";
import { PhaseStepper } from "./phase-stepper";
import { RunSummary } from "./run-summary";

export function RunLive({ initial, initialProgress, lastSeq }: { initial: RunReport; initialProgress: BotProgress; lastSeq: number }) {
  const { apiBasePath } = usePaths();
  const [report, setReport] = useState(initial);
  const [progress, setProgress] = useState(initialProgress);
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
      const data = JSON.parse(event.data) as { domain?: keyof BotProgress };
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
  async function cancel() {
    await fetch(`${apiBasePath}/runs/${runId}/cancel`, { method: "POST" }).catch(() => null);
    await refresh();
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
              <StatusText status={report.status} />
            </span>{" "}
            · {report.trigger} · started {formatTime(report.startedAt)} · {report.target.baseUrl}
            {report.durationMs !== null && ` · ${formatMs(report.durationMs)}`}
          </p>
          {report.initialIssue && <p className="tr:mt-1 tr:text-sm">“{report.initialIssue}”</p>}
        </div>
        <div className="tr:flex tr:items-center tr:gap-3 tr:text-sm">
          <span className="tr-muted" aria-live="polite">
            {connection === "live" ? "● live" : connection === "reconnecting" ? "reconnecting…" : ""}
          </span>
          {active && (
            <button className="tr-btn" onClick={cancel}>
              Cancel run
            </button>
          )}
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
      <PhaseStepper phases={report.phases} status={report.status} />
      <BotCards progress={progress} report={report} />
      <IssuesTable issues={report.issues} />
      <ActionsList runId={runId} actions={report.actions} issues={report.issues} onDecided={refresh} decidable={report.status !== "interrupted"} />
      <RunSummary report={report} />
    </div>
  );
}
