"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, createContext, useContext, useEffect, useRef, useState } from "react";
import { usePaths } from "../../paths";
import { sendJson } from "../alerts/send-json";

/** What the confirmation shows and the POST names: the session as the view saw it. */
export interface ActionSession {
  pid: number;
  user: string | null;
  query: string | null;
  /** "12.3 s": the query's age for a cancel, the transaction's for a terminate. */
  age: string;
  /** query_start (cancel) or xact_start (terminate), to the microsecond. */
  since: string;
}

interface Answer {
  result: "applied" | "no_effect" | "failed";
  detail: string;
}

// The outcome of the last action, shown above the view: the row that asked may be gone once the
// view reloads (a terminated session, a cancelled query no longer offering "Cancel").
const Announce = createContext<(message: string) => void>(() => {});

export function ActionResults({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState("");
  return (
    <Announce.Provider value={setMessage}>
      <p role="status" aria-live="polite" className={message ? "tr-card tr:p-3 tr:text-sm tr:break-words" : "tr:sr-only"} data-testid="session-action-result">
        {message}
      </p>
      {children}
    </Announce.Provider>
  );
}

const RESULT_TEXT: Record<Answer["result"], string> = { applied: "Applied", no_effect: "No effect", failed: "Failed" };

/**
 * "Cancel query…" / "Terminate session…", then a confirmation in place showing the pid, user, query
 * and age: only "Yes" sends the request (the approval these actions need). The answer, in the
 * server's words, goes to ActionResults' live region; the view reloads.
 */
export function SessionAction({ target, action, session }: { target: string; action: "cancel" | "terminate"; session: ActionSession }) {
  const { apiBasePath } = usePaths();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const announce = useContext(Announce);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) yes.current?.focus();
  }, [confirming]);

  const verb = action === "cancel" ? "Cancel query" : "Terminate session";
  async function confirm() {
    setBusy(true);
    const answer = await sendJson<Answer>(`${apiBasePath}/database/sessions/actions`, "POST", { target, pid: session.pid, action, since: session.since });
    setBusy(false);
    setConfirming(false);
    announce(answer.ok ? `${RESULT_TEXT[answer.body.result]} (backend ${session.pid}): ${answer.body.detail}` : `Not done (backend ${session.pid}): ${answer.message}`);
    router.refresh();
  }

  return (
    <div>
      {confirming ? (
        <div role="group" aria-label={`Confirm: ${verb.toLowerCase()} ${session.pid}`} className="tr:space-y-2 tr:rounded-md tr:border tr:border-red-300 tr:p-2 tr:text-xs tr:dark:border-red-800" data-testid="session-confirm">
          <p className="tr:font-medium">
            {verb} of backend {session.pid}?
          </p>
          <dl className="tr:grid tr:grid-cols-[auto_minmax(0,1fr)] tr:gap-x-2">
            <dt>pid</dt>
            <dd className="tr:tabular-nums">{session.pid}</dd>
            <dt>user</dt>
            <dd className="tr:break-all">{session.user ?? "unknown"}</dd>
            <dt>{action === "cancel" ? "query age" : "transaction age"}</dt>
            <dd>{session.age}</dd>
            <dt>query</dt>
            <dd>
              <code className="tr:break-words">{session.query ?? "hidden from this role"}</code>
            </dd>
          </dl>
          <p className="tr-muted">
            {action === "cancel" ? "Its transaction is rolled back; the connection stays open." : "The session ends and its transaction is rolled back; whoever waits on it proceeds."} Only if it is still the same {action === "cancel" ? "query" : "transaction"}.
          </p>
          <div className="tr:flex tr:flex-wrap tr:gap-2">
            <button ref={yes} type="button" className="tr-btn tr:border-red-400 tr:text-red-700 tr:dark:border-red-700 tr:dark:text-red-300" disabled={busy} onClick={confirm}>
              Yes, {verb.toLowerCase()} {session.pid}
            </button>
            <button type="button" className="tr-btn" disabled={busy} onClick={() => setConfirming(false)} onKeyDown={(e) => e.key === "Escape" && setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="tr-btn tr:whitespace-nowrap" onClick={() => setConfirming(true)}>
          {verb}…
        </button>
      )}
    </div>
  );
}
