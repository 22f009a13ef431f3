import Link from "next/link";
import { DOMAINS, SEVERITIES } from "../../../troubleshooting/report";

const STATUSES = ["queued", "running", "awaiting_approval", "completed", "failed", "cancelled", "interrupted"];
const TRIGGERS = ["manual", "cron", "api", "cli"];

/** A GET form: filters live in the URL, so a filtered view can be shared and reloaded. */
export function RunsFilter({ action, values }: { action: string; values: Record<string, string | undefined> }) {
  const select = (name: string, options: readonly string[]) => (
    <label className="text-sm">
      <span className="muted mr-1">{name}</span>
      <select name={name} defaultValue={values[name] ?? ""} className="field">
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o.replaceAll("_", " ")}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label="Filter runs">
      {values.range && <input type="hidden" name="range" value={values.range} />}
      {select("status", STATUSES)}
      {select("trigger", TRIGGERS)}
      {select("domain", DOMAINS)}
      {select("severity", SEVERITIES)}
      <button className="btn">Filter</button>
      <Link className="muted text-sm underline" href={values.range ? `${action}?range=${values.range}` : action}>
        Clear
      </Link>
    </form>
  );
}

export function Pager({ action, values, page, pages }: { action: string; values: Record<string, string | undefined>; page: number; pages: number }) {
  if (pages <= 1) return null;
  const href = (p: number) => `${action}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(values).filter(([, v]) => v)), page: String(p) } as Record<string, string>)}`;
  return (
    <nav className="flex items-center gap-3 text-sm" aria-label="Pages">
      {page > 1 ? <Link className="btn" href={href(page - 1)}>Previous</Link> : <span />}
      <span className="muted">
        page {page} of {pages}
      </span>
      {page < pages && <Link className="btn" href={href(page + 1)}>Next</Link>}
    </nav>
  );
}
