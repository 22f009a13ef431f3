"use client";
// Adds (no `target`) or edits a stored target through the targets API. Secrets are password
// inputs that are never filled in: empty keeps what is stored, a value sets or replaces it, and
// "remove" clears it. The page shows only "stored" / "not set".
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { TargetView } from "../../../targets/store";
import type { ChannelOption } from "../../pages/targets-page";
import { usePaths } from "../../paths";
import { SECRET_LABELS } from "./secret-labels";

const DOMAINS = ["web", "database", "network"] as const;

type FieldErrors = Record<string, string[]>;

const lines = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

export function TargetForm({ channels, target }: { channels: ChannelOption[]; target?: TargetView }) {
  const [saves, setSaves] = useState(0);
  const [saved, setSaved] = useState(false);
  // A new form after each save, and whenever the stored target changed: its inputs start from
  // what is stored, and no secret typed in stays in the page.
  return <Fields key={`${target?.updatedAt ?? "new"}-${saves}`} channels={channels} target={target} saved={saved} onSubmit={() => setSaved(false)} onSaved={() => (setSaved(true), setSaves((n) => n + 1))} />;
}

function Fields({ channels, target, saved, onSubmit, onSaved }: { channels: ChannelOption[]; target?: TargetView; saved: boolean; onSubmit: () => void; onSaved: () => void }) {
  const { apiBasePath } = usePaths();
  const router = useRouter();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fields: FieldErrors } | null>(null);
  const [scheduled, setScheduled] = useState(target?.scheduleMinutes != null);

  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    onSubmit();
    const secrets = Object.fromEntries(SECRET_LABELS.map(([key]) => [key, String(form.get(key) ?? "")]).filter(([, v]) => v !== ""));
    const body = {
      name: String(form.get("name") ?? "").trim(),
      baseUrl: String(form.get("baseUrl") ?? "").trim(),
      databaseUrl: String(form.get("databaseUrl") ?? "").trim(),
      endpoints: lines(form.get("endpoints")),
      pages: lines(form.get("pages")),
      domains: DOMAINS.filter((d) => form.get(`domain-${d}`) === "on"),
      scheduleMinutes: form.get("scheduled") === "yes" ? Number(form.get("scheduleMinutes")) : null,
      alertChannelIds: channels.filter((c) => form.get(`channel-${c.id}`) === "on").map((c) => c.id),
      ...secrets,
      removeSecrets: SECRET_LABELS.map(([key]) => key).filter((key) => form.get(`remove-${key}`) === "on"),
    };
    const res = await fetch(target ? `${apiBasePath}/targets/${target.id}` : `${apiBasePath}/targets`, {
      method: target ? "PATCH" : "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch(() => null);
    setBusy(false);
    if (res?.ok) {
      onSaved();
      return router.refresh();
    }
    const json = (await res?.json().catch(() => null)) as { error?: { message?: string; fields?: FieldErrors } } | null;
    setError({ message: json?.error?.message ?? "The target could not be saved; the server did not answer.", fields: json?.error?.fields ?? {} });
  }

  const fieldError = (name: string) =>
    error?.fields[name] ? (
      <span className="tr:mt-1 tr:block tr:text-xs tr:text-red-700 tr:dark:text-red-400" id={`${id}-${name}-error`}>
        {error.fields[name].join("; ")}
      </span>
    ) : null;
  // The hint and the error describe the field; the label is its name alone.
  const described = (name: string, hint: boolean) => [hint ? `${id}-${name}-hint` : "", error?.fields[name] ? `${id}-${name}-error` : ""].filter(Boolean).join(" ") || undefined;
  const hintOf = (name: string, hint: string) => (
    <span className="tr-muted tr:mt-1 tr:block tr:text-xs" id={`${id}-${name}-hint`}>
      {hint}
    </span>
  );
  const text = (name: "name" | "baseUrl" | "databaseUrl", label: string, value: string | undefined, hint: string) => (
    <div className="tr:text-sm">
      <label htmlFor={`${id}-${name}`} className="tr-muted tr:block">
        {label}
      </label>
      <input id={`${id}-${name}`} name={name} defaultValue={value} required className="tr-field tr:mt-1 tr:block tr:w-full" aria-invalid={Boolean(error?.fields[name])} aria-describedby={described(name, true)} autoComplete="off" />
      {hintOf(name, hint)}
      {fieldError(name)}
    </div>
  );
  const list = (name: "endpoints" | "pages", label: string, value: string[] | undefined, hint: string) => (
    <div className="tr:text-sm">
      <label htmlFor={`${id}-${name}`} className="tr-muted tr:block">
        {label}
      </label>
      <textarea id={`${id}-${name}`} name={name} rows={3} defaultValue={value?.join("\n")} className="tr-field tr:mt-1 tr:block tr:w-full" aria-invalid={Boolean(error?.fields[name])} aria-describedby={described(name, true)} />
      {hintOf(name, hint)}
      {fieldError(name)}
    </div>
  );

  return (
    // onSubmit, not action: a form action resets the inputs, and an admin whose input was refused
    // must be able to correct it, not type it all again.
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit(new FormData(event.currentTarget));
      }}
      className="tr:mt-4 tr:space-y-4" aria-label={target ? `Edit ${target.name}` : "Add a target"} data-testid="target-form">
      <div className="tr:grid tr:gap-4 tr:@xl:grid-cols-2">
        {text("name", "Name", target?.name, "letters, digits, '.', '_' and '-'; the CLI and the queue use it")}
        {text("baseUrl", "Base URL", target?.baseUrl, "https://shop.example.com")}
        {text("databaseUrl", "Database URL", target?.databaseUrl, target ? "without a password: the stored one is kept" : "postgres://user@host:5432/db; a password in it is sealed, not stored in the URL")}
      </div>
      <div className="tr:grid tr:gap-4 tr:@xl:grid-cols-2">
        {list("endpoints", "API endpoints (one a line)", target?.endpoints, "paths like /api/health, or URLs on the base URL's site; empty: found by the run")}
        {list("pages", "Pages (one a line)", target?.pages, "paths or URLs on the base URL's site; empty: crawled from the base URL")}
      </div>
      <fieldset className="tr:text-sm">
        <legend className="tr-muted tr:mb-1">Domains a scheduled run checks (none ticked: all)</legend>
        <span className="tr:flex tr:flex-wrap tr:gap-x-4">
          {DOMAINS.map((d) => (
            <label key={d} className="tr:flex tr:items-center tr:gap-1.5">
              <input type="checkbox" name={`domain-${d}`} defaultChecked={target?.domains.includes(d)} /> {d}
            </label>
          ))}
        </span>
      </fieldset>
      <fieldset className="tr:text-sm">
        <legend className="tr-muted tr:mb-1">Schedule</legend>
        <span className="tr:flex tr:flex-wrap tr:items-center tr:gap-x-4 tr:gap-y-2">
          <label className="tr:flex tr:items-center tr:gap-1.5">
            <input type="radio" name="scheduled" value="no" checked={!scheduled} onChange={() => setScheduled(false)} /> not scheduled
          </label>
          <label className="tr:flex tr:items-center tr:gap-1.5">
            <input type="radio" name="scheduled" value="yes" checked={scheduled} onChange={() => setScheduled(true)} /> every
          </label>
          <label className="tr:flex tr:items-center tr:gap-1.5">
            <input type="number" name="scheduleMinutes" min={5} max={10080} step={1} defaultValue={target?.scheduleMinutes ?? 60} disabled={!scheduled} className="tr-field tr:w-24" aria-label="Minutes between runs" aria-describedby={described("scheduleMinutes", false)} />
            minutes
          </label>
        </span>
        {fieldError("scheduleMinutes")}
      </fieldset>
      <fieldset className="tr:text-sm">
        <legend className="tr-muted tr:mb-1">Alerts go to</legend>
        {channels.length === 0 ? (
          <p className="tr-muted">all channels (none configured yet)</p>
        ) : (
          <span className="tr:flex tr:flex-wrap tr:gap-x-4">
            {channels.map((c) => (
              <label key={c.id} className="tr:flex tr:items-center tr:gap-1.5">
                <input type="checkbox" name={`channel-${c.id}`} defaultChecked={target?.alertChannelIds.includes(c.id)} /> {c.name} <span className="tr-muted">({c.host}{c.enabled ? "" : ", disabled"})</span>
              </label>
            ))}
            <span className="tr-muted tr:w-full tr:text-xs">None ticked: every enabled channel.</span>
          </span>
        )}
        {fieldError("alertChannelIds")}
      </fieldset>
      <fieldset className="tr:space-y-2 tr:text-sm">
        <legend className="tr-muted tr:mb-1">Secrets (never shown again once saved)</legend>
        {SECRET_LABELS.map(([key, label]) => {
          const stored = target?.secrets[key] ?? false;
          return (
            <div key={key} className="tr:flex tr:flex-wrap tr:items-center tr:gap-x-3 tr:gap-y-1">
              <label className="tr:flex tr:flex-wrap tr:items-center tr:gap-2">
                <span className="tr:w-36">{label}</span>
                <input type="password" name={key} autoComplete="new-password" placeholder={stored ? "replace" : "set"} className="tr-field tr:w-56 tr:max-w-full" aria-describedby={`${id}-${key}-state`} />
              </label>
              <span id={`${id}-${key}-state`} className="tr-muted" data-testid={`secret-${key}`}>
                {stored ? "stored" : "not set"}
              </span>
              {stored && (
                <label className="tr:flex tr:items-center tr:gap-1.5">
                  <input type="checkbox" name={`remove-${key}`} /> remove
                </label>
              )}
            </div>
          );
        })}
      </fieldset>
      {error && (
        <p role="alert" className="tr:text-sm tr:text-red-700 tr:dark:text-red-400">
          {error.message}
          {Object.keys(error.fields).length > 0 && <> Check: {Object.keys(error.fields).join(", ")}.</>}
        </p>
      )}
      {saved && (
        <p role="status" className="tr:text-sm tr:text-green-700 tr:dark:text-green-400">
          Saved.
        </p>
      )}
      <button className="tr-btn-primary" disabled={busy}>
        {busy ? "Saving…" : target ? `Save ${target.name}` : "Add target"}
      </button>
    </form>
  );
}
