"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { usePaths } from "../../paths";
import { ChannelForm, type ChannelFormValues } from "./channel-form";
import { sendJson } from "./send-json";

/** A channel as the page gets it (never its URL). Dates as ISO strings. */
export interface ChannelItem {
  id: string;
  name: string;
  format: string;
  host: string;
  enabled: boolean;
  kinds: string[];
  lastDelivery: { status: string; httpStatus: number | null; error: string | null; at: string; test: boolean } | null;
}

interface TestOutcome {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
}

/** "delivered (200)", "failed (HTTP 500)", "failed (network error (ECONNREFUSED))". */
export const outcomeText = (o: TestOutcome) => (o.ok ? `delivered (${o.httpStatus ?? "2xx"})` : `failed (${o.error ?? (o.httpStatus ? `HTTP ${o.httpStatus}` : "no answer")})`);

const when = (iso: string) => new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC";

function Channel({ channel, kinds }: { channel: ChannelItem; kinds: readonly string[] }) {
  const { apiBasePath } = usePaths();
  const router = useRouter();
  const url = `${apiBasePath}/alert-channels/${encodeURIComponent(channel.id)}`;
  const [mode, setMode] = useState<"view" | "edit" | "delete">("view");
  const [busy, setBusy] = useState(false);
  // Announced in the live region: a test's outcome, or why a change failed.
  const [message, setMessage] = useState("");

  async function run(work: () => Promise<string>) {
    setBusy(true);
    setMessage(await work());
    setBusy(false);
    router.refresh();
  }

  const sendTest = () =>
    run(async () => {
      setMessage(`Sending a test alert to ${channel.name}…`);
      const answer = await sendJson<TestOutcome>(`${url}/test`, "POST");
      return answer.ok ? `Test alert ${outcomeText(answer.body)}.` : `Test alert not sent: ${answer.message}`;
    });
  const toggle = () =>
    run(async () => {
      const answer = await sendJson(url, "PATCH", { enabled: !channel.enabled });
      return answer.ok ? `${channel.name} ${channel.enabled ? "disabled" : "enabled"}.` : answer.message;
    });
  const remove = () =>
    run(async () => {
      const answer = await sendJson(url, "DELETE");
      return answer.ok ? `${channel.name} deleted.` : answer.message;
    });

  async function save(values: ChannelFormValues): Promise<string | null> {
    const { url: newUrl, ...rest } = values;
    const answer = await sendJson(url, "PATCH", newUrl ? values : rest);
    if (!answer.ok) return answer.message;
    setMode("view");
    setMessage(`${values.name} saved.`);
    router.refresh();
    return null;
  }

  const last = channel.lastDelivery;
  return (
    <li className="tr:border-t tr:border-slate-200 tr:py-3 tr:first:border-t-0 tr:dark:border-slate-800" data-testid="alert-channel" aria-label={`Channel ${channel.name}`}>
      {mode === "edit" ? (
        <ChannelForm
          editing
          kinds={kinds}
          submitLabel={`Save ${channel.name}`}
          initial={{ name: channel.name, format: channel.format === "generic" ? "generic" : "slack", url: "", enabled: channel.enabled, kinds: channel.kinds }}
          onSubmit={save}
          onCancel={() => setMode("view")}
        />
      ) : (
        <div className="tr:flex tr:flex-wrap tr:items-start tr:justify-between tr:gap-3">
          <div className="tr:min-w-0 tr:text-sm">
            <p className="tr:font-medium tr:break-words">
              {channel.name} <span className={channel.enabled ? "tr:text-green-700 tr:dark:text-green-300" : "tr-muted"}>({channel.enabled ? "enabled" : "disabled"})</span>
            </p>
            <p className="tr-muted tr:break-all">
              {channel.format === "generic" ? "Generic JSON" : "Slack"} to <span className="tr:font-mono">{channel.host}</span> · {channel.kinds.length ? channel.kinds.map((k) => k.replaceAll("_", " ")).join(", ") : "every kind"}
            </p>
            <p className="tr-muted" data-testid="channel-last-delivery">
              {last ? `Last ${last.test ? "test" : "alert"}: ${outcomeText({ ok: last.status === "sent", httpStatus: last.httpStatus, error: last.error })}, ${when(last.at)}` : "Nothing sent yet."}
            </p>
          </div>
          <div className="tr:flex tr:flex-wrap tr:gap-2">
            <button type="button" className="tr-btn" onClick={sendTest} disabled={busy}>
              Send test alert
            </button>
            <button type="button" className="tr-btn" onClick={toggle} disabled={busy}>
              {channel.enabled ? "Disable" : "Enable"}
            </button>
            <button type="button" className="tr-btn" onClick={() => setMode("edit")} disabled={busy}>
              Edit
            </button>
            {mode === "delete" ? (
              <span role="group" aria-label={`Confirm deleting ${channel.name}`} className="tr:flex tr:flex-wrap tr:items-center tr:gap-2">
                <span className="tr:text-sm">Delete {channel.name}? Targets routed to it lose it.</span>
                <button type="button" autoFocus className="tr-btn tr:border-red-400 tr:text-red-700 tr:dark:border-red-700 tr:dark:text-red-300" onClick={remove} disabled={busy}>
                  Yes, delete
                </button>
                <button type="button" className="tr-btn" onClick={() => setMode("view")} disabled={busy}>
                  Keep it
                </button>
              </span>
            ) : (
              <button type="button" className="tr-btn" onClick={() => setMode("delete")} disabled={busy}>
                Delete
              </button>
            )}
          </div>
        </div>
      )}
      <p role="status" aria-live="polite" className="tr:mt-1 tr:text-sm" data-testid="channel-message">
        {message}
      </p>
    </li>
  );
}

/** The channels with their actions, and the form to add one. `kinds`: the alert kinds there are. */
export function ChannelList({ channels, kinds }: { channels: ChannelItem[]; kinds: readonly string[] }) {
  const { apiBasePath } = usePaths();
  const router = useRouter();
  const [added, setAdded] = useState("");

  async function add(values: ChannelFormValues): Promise<string | null> {
    const answer = await sendJson(`${apiBasePath}/alert-channels`, "POST", values);
    if (!answer.ok) return answer.message;
    setAdded(`${values.name} added.`);
    router.refresh();
    return null;
  }

  return (
    <>
      {channels.length === 0 ? (
        <p className="tr-muted tr:text-sm">No channels yet: alerts go to ALERT_WEBHOOK_URL only (if set).</p>
      ) : (
        <ul aria-label="Alert channels">
          {channels.map((c) => (
            <Channel key={c.id} channel={c} kinds={kinds} />
          ))}
        </ul>
      )}
      <details className="tr:mt-3 tr:border-t tr:border-slate-200 tr:pt-3 tr:dark:border-slate-800">
        <summary className="tr:cursor-pointer tr:text-sm tr:font-medium">Add a channel</summary>
        <div className="tr:mt-3">
          <ChannelForm editing={false} kinds={kinds} submitLabel="Add channel" initial={{ name: "", format: "slack", url: "", enabled: true, kinds: [] }} onSubmit={add} />
        </div>
      </details>
      <p role="status" aria-live="polite" className="tr:mt-1 tr:text-sm">
        {added}
      </p>
    </>
  );
}
