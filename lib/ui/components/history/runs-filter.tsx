import Link from "next/link";
import { DOMAINS, SEVERITIES } from "../../../troubleshooting/report";

const STATUSES = ["queued", "running", "awaiting_approval", "completed", "failed", "cancelled", "interrupted"];
const TRIGGERS = ["manual", "cron", "api", "cli"];

/** A GET form: filters live in the URL, so a filtered view can be shared and reloaded. */
export function RunsFilter({ action, values }: { action: string; values: Record<string, string | undefined> }) {
  const select = (name: string, options: readonly string[]) => (
    <label className="tr:text-sm">
      <span className="tr-muted tr:mr-1">{name}</span>
      <select name={name} defaultValue={values[name] ?? ""} className="tr-field">
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
    <form action={action} className="tr:flex tr:flex-wrap tr:items-end tr:gap-3" aria-label="Filter runs">
      {values.range && <input type="hidden" name="range" value={values.range} />}
      {select("status", STATUSES)}
      {select("trigger", TRIGGERS)}
      {select("domain", DOMAINS)}
      {select("severity", SEVERITIES)}
      <button className="tr-btn">Filter</button>
      <Link className="tr-muted tr:text-sm tr:underline" href={values.range ? `${action}?range=${values.range}` : action}>
        Clear
      </Link>
    </form>
  );
}

export function Pager({ action, values, page, pages }: { action: string; values: Record<string, string | undefined>; page: number; pages: number }) {
  if (pages <= 1) return null;
  const href = (p: number) => `${action}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(values).filter(([, v]) => v)), page: String(p) } as Record<string, string>)}`;
  return (
    <nav className="tr:flex tr:items-center tr:gap-3 tr:text-sm" aria-label="Pages">
      {page > 1 ? <Link className="tr-btn" href={href(page - 1)}>Previous</Link> : <span />}
      <span className="tr-muted">
        page {page} of {pages}
      </span>
      {page < pages && <Link className="tr-btn" href={href(page + 1)}>Next</Link>}
    </nav>
  );
}
