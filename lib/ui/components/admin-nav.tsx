"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { usePaths } from "../paths";

const SECTIONS = [
  { to: "", label: "Overview" },
  { to: "/runs", label: "Runs" },
  { to: "/history", label: "History" },
  { to: "/monitoring", label: "Monitoring" },
] as const;

/** The add-on's own section navigation, inside the host's admin layout. */
export function AdminNav() {
  const pathname = usePathname();
  const { basePath } = usePaths();
  return (
    <nav aria-label="Troubleshooting sections" className="tr:flex tr:max-w-full tr:gap-1 tr:overflow-x-auto">
      {SECTIONS.map((section) => {
        const href = `${basePath}${section.to}`;
        const active = section.to === "" ? pathname === href : pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`tr:rounded-md tr:px-3 tr:py-1.5 tr:text-sm tr:font-medium ${
              active ? "tr:bg-indigo-50 tr:text-indigo-700 tr:dark:bg-indigo-950 tr:dark:text-indigo-200" : "tr:text-slate-600 tr:hover:bg-slate-100 tr:hover:text-slate-900 tr:dark:text-slate-400 tr:dark:hover:bg-slate-800 tr:dark:hover:text-white"
            }`}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
