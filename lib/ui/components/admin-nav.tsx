"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { usePaths } from "../paths";

const SECTIONS = [
  { to: "", label: "Overview" },
  { to: "/runs", label: "Runs" },
  { to: "/issues", label: "Issues" },
  { to: "/history", label: "History" },
  { to: "/checks", label: "Checks" },
  { to: "/monitoring", label: "Monitoring" },
  { to: "/alerts", label: "Alerts" },
  { to: "/database", label: "Live database" },
  { to: "/targets", label: "Targets" },
] as const;

/** The add-on's own section navigation, inside the host's admin layout. `waiting`: runs waiting
 * for an admin's decision with how many fixes each waits on; a badge on "Runs" counts those fixes
 * (the runs table links each such run). */
export function AdminNav({ waiting = [] }: { waiting?: { runId: string; pending: number }[] }) {
  const pathname = usePathname();
  const { basePath } = usePaths();
  const pending = waiting.reduce((n, w) => n + w.pending, 0);
  return (
    <nav aria-label="Troubleshooting sections" className="tr:flex tr:max-w-full tr:flex-wrap tr:gap-1">
      {SECTIONS.map((section) => {
        const href = `${basePath}${section.to}`;
        const active = section.to === "" ? pathname === href : pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`tr:inline-flex tr:items-center tr:rounded-md tr:whitespace-nowrap tr:px-3 tr:py-1.5 tr:text-sm tr:font-medium ${
              active ? "tr:bg-indigo-50 tr:text-indigo-700 tr:dark:bg-indigo-950 tr:dark:text-indigo-200" : "tr:text-slate-600 tr:hover:bg-slate-100 tr:hover:text-slate-900 tr:dark:text-slate-400 tr:dark:hover:bg-slate-800 tr:dark:hover:text-white"
            }`}
          >
            {section.label}
            {section.to === "/runs" && pending > 0 && (
              <span className="tr-badge tr:ml-1.5" data-testid="nav-pending">
                {pending}
                <span className="tr:sr-only"> {pending === 1 ? "fix needs" : "fixes need"} your decision</span>
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
