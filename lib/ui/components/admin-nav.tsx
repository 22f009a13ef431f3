"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { href: "/admin/troubleshooting", label: "Overview" },
  { href: "/admin/troubleshooting/runs", label: "Runs" },
  { href: "/admin/troubleshooting/history", label: "History" },
  { href: "/admin/troubleshooting/monitoring", label: "Monitoring" },
] as const;

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Troubleshooting sections" className="flex max-w-full gap-1 overflow-x-auto">
      {SECTIONS.map((section) => {
        const active =
          section.href === "/admin/troubleshooting" ? pathname === section.href : pathname.startsWith(section.href);
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${
              active ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-200" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
            }`}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
