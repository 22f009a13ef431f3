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
    <nav aria-label="Troubleshooting sections" className="tr:flex tr:max-w-full tr:gap-1 tr:overflow-x-auto">
      {SECTIONS.map((section) => {
        const active =
          section.href === "/admin/troubleshooting" ? pathname === section.href : pathname.startsWith(section.href);
        return (
          <Link
            key={section.href}
            href={section.href}
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
