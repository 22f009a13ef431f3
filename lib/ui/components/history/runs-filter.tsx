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
      {/* The target is chosen with the target picker; the filters keep it. */}
      {values.target && <input type="hidden" name="target" value={values.target} />}
      {select("status", STATUSES)}
      {select("trigger", TRIGGERS)}
      {select("domain", DOMAINS)}
      {select("severity", SEVERITIES)}
      <button className="tr-btn">Filter</button>
      <Link className="tr-muted tr:text-sm tr:underline" href={clearHref(action, values)}>
        Clear
      </Link>
    </form>
  );
}

/** Keyset pages (newest first): "Older runs" follows the page's last run (nextCursor); "Newest
 * runs" goes back to the start. `values`: the filters, kept in both links. */
export function Pager({ action, values, cursor, nextCursor }: { action: string; values: Record<string, string | undefined>; cursor: string | undefined; nextCursor: string | null }) {
  if (!cursor && !nextCursor) return null;
  const href = (extra: Record<string, string>) => {
    const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1]))), ...extra }).toString();
    return query ? `${action}?${query}` : action;
  };
  return (
    <nav className="tr:flex tr:items-center tr:gap-3 tr:text-sm" aria-label="Pages">
      {cursor ? <Link className="tr-btn" href={href({})}>Newest runs</Link> : <span />}
      {nextCursor && <Link className="tr-btn" href={href({ cursor: nextCursor })}>Older runs</Link>}
    </nav>
  );
}

/** Clearing the filters keeps the range and the target (chosen apart, with the target picker). */
function clearHref(action: string, values: Record<string, string | undefined>): string {
  const kept = new URLSearchParams(Object.entries({ range: values.range, target: values.target }).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return kept ? `${action}?${kept}` : action;
}
