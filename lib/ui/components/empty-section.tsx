import type { ReactNode } from "react";

/** A section whose content has not been recorded yet; says so rather than showing fake data. */
export function EmptySection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h1 className="tr:text-lg tr:font-semibold">{title}</h1>
      <div className="tr:mt-4 tr:rounded-xl tr:border tr:border-dashed tr:border-slate-300 tr:dark:border-slate-700 tr:bg-white tr:dark:bg-slate-900 tr:p-8 tr:text-sm tr:text-slate-600 tr:dark:text-slate-400">{children}</div>
    </section>
  );
}
