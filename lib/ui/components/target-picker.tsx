import type { TargetRef } from "../../targets/scope";

/**
 * Which target a page shows: a plain GET form (works without script), so 50 targets stay one
 * control, not a wall of links. `keep`: the page's other query parameters (range, page, ...),
 * carried over. `allowAll`: offer "All targets" (absent `target`).
 */
export function TargetPicker({ targets, current, keep = {}, allowAll = true }: { targets: TargetRef[]; current: string | undefined; keep?: Record<string, string | undefined>; allowAll?: boolean }) {
  return (
    <form method="get" className="tr:flex tr:flex-wrap tr:items-end tr:gap-2" aria-label="Choose a target">
      {Object.entries(keep).map(([name, value]) => (value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />))}
      <label className="tr:flex tr:flex-col tr:gap-1 tr:text-sm">
        <span className="tr-muted">Target</span>
        <select name="target" defaultValue={current ?? ""} className="tr-field">
          {allowAll ? <option value="">All targets</option> : null}
          {targets.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} ({t.baseUrl})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="tr-btn">
        Show
      </button>
    </form>
  );
}
