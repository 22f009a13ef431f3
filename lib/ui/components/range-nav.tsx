"use client";

import type { ReactNode } from "react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { HistoryRange } from "../../troubleshooting/queries/history";

/** HISTORY_RANGES' keys: named here, as a client module must not import the query module (Prisma). */
const RANGES: readonly HistoryRange[] = ["24h", "7d", "30d", "90d"];

/** The 24h / 7d / 30d / 90d switch of the history, checks and monitoring pages, plus any extra
 * links. Each link keeps the page's other query parameters (?target=, filters): switching the
 * range never drops the chosen target; a list's page number starts again at 1. */
export function RangeNav({ range, children }: { range: HistoryRange; children?: ReactNode }) {
  const current = useSearchParams();
  const hrefOf = (r: string) => {
    const params = new URLSearchParams(current?.toString() ?? "");
    params.delete("page");
    params.set("range", r);
    return `?${params.toString()}`;
  };
  return (
    <nav className="tr:flex tr:flex-wrap tr:gap-1" aria-label="Time range">
      {RANGES.map((r) => (
        <Link key={r} href={hrefOf(r)} aria-current={r === range ? "page" : undefined} className={r === range ? "tr-btn-primary" : "tr-btn"}>
          {r}
        </Link>
      ))}
      {children}
    </nav>
  );
}
