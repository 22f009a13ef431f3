"use client";

import { useId, useState } from "react";

export interface ChannelFormValues {
  name: string;
  format: "slack" | "generic";
  /** Empty when editing: keeps the sealed URL. */
  url: string;
  enabled: boolean;
  kinds: string[];
}

/**
 * The fields of a channel, for adding one or editing one. The URL is never shown again once saved
 * (it is a credential): editing leaves it empty, and an empty URL keeps the stored one.
 * `onSubmit` answers an error message, or null when saved.
 */
export function ChannelForm({ initial, kinds, editing, submitLabel, onSubmit, onCancel }: {
  initial: ChannelFormValues;
  kinds: readonly string[];
  editing: boolean;
  submitLabel: string;
  onSubmit: (values: ChannelFormValues) => Promise<string | null>;
  onCancel?: () => void;
}) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof ChannelFormValues>(key: K, value: ChannelFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const problem = await onSubmit(values);
    setBusy(false);
    setError(problem);
    if (!problem && !editing) setValues(initial);
  }

  return (
    <form onSubmit={submit} className="tr:grid tr:gap-3 tr:@xl:grid-cols-2" aria-label={submitLabel}>
      <label className="tr:flex tr:flex-col tr:gap-1 tr:text-sm" htmlFor={`${id}-name`}>
        <span>Name</span>
        <input id={`${id}-name`} className="tr-field" required maxLength={80} value={values.name} onChange={(e) => set("name", e.target.value)} />
      </label>
      <label className="tr:flex tr:flex-col tr:gap-1 tr:text-sm" htmlFor={`${id}-format`}>
        <span>Format</span>
        <select id={`${id}-format`} className="tr-field" value={values.format} onChange={(e) => set("format", e.target.value === "generic" ? "generic" : "slack")}>
          <option value="slack">Slack (incoming webhook)</option>
          <option value="generic">Generic JSON</option>
        </select>
      </label>
      <label className="tr:flex tr:flex-col tr:gap-1 tr:text-sm tr:@xl:col-span-2" htmlFor={`${id}-url`}>
        <span>Webhook URL{editing ? " (leave empty to keep the saved one)" : ""}</span>
        <input
          id={`${id}-url`}
          className="tr-field"
          type="url"
          inputMode="url"
          autoComplete="off"
          required={!editing}
          placeholder="https://hooks.slack.com/services/…"
          value={values.url}
          onChange={(e) => set("url", e.target.value)}
          aria-describedby={`${id}-url-help`}
        />
        <span id={`${id}-url-help`} className="tr-muted tr:text-xs">
          http or https. Stored encrypted and never shown again: the page shows its host only.
        </span>
      </label>
      <fieldset className="tr:text-sm tr:@xl:col-span-2">
        <legend className="tr:mb-1">Alert kinds (none ticked: every kind)</legend>
        <div className="tr:flex tr:flex-wrap tr:gap-x-4 tr:gap-y-1">
          {kinds.map((kind) => (
            <label key={kind} className="tr:inline-flex tr:items-center tr:gap-1.5">
              <input type="checkbox" checked={values.kinds.includes(kind)} onChange={(e) => set("kinds", e.target.checked ? [...values.kinds, kind] : values.kinds.filter((k) => k !== kind))} />
              {kind.replaceAll("_", " ")}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="tr:inline-flex tr:items-center tr:gap-1.5 tr:text-sm">
        <input type="checkbox" checked={values.enabled} onChange={(e) => set("enabled", e.target.checked)} />
        Enabled
      </label>
      <div className="tr:flex tr:flex-wrap tr:items-center tr:gap-2 tr:@xl:col-span-2">
        <button type="submit" className="tr-btn-primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="tr-btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        {error && (
          <span role="alert" className="tr:text-sm tr:text-red-700 tr:dark:text-red-300">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
