import type { ReactNode } from "react";
import Link from "next/link";
import { HISTORY_RANGES, type HistoryRange } from "../../troubleshooting/queries/history";

/** The 24h / 7d / 30d / 90d switch of the history and monitoring pages, plus any extra links. */
export function RangeNav({ range, children }: { range: HistoryRange; children?: ReactNode }) {
  return (
    <nav className="tr:flex tr:flex-wrap tr:gap-1" aria-label="Time range">
      {Object.keys(HISTORY_RANGES).map((r) => (
        <Link key={r} href={`?range=${r}`} aria-current={r === range ? "page" : undefined} className={r === range ? "tr-btn-primary" : "tr-btn"}>
          {r}
        </Link>
      ))}
      {children}
    </nav>
  );
}
