import type { ReactNode } from "react";

/** A section whose content has not been recorded yet; says so rather than showing fake data. */
export function EmptySection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h1 className="text-lg font-semibold">{title}</h1>
      <div className="mt-4 rounded-xl border border-dashed border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 p-8 text-sm text-slate-600 dark:text-slate-400">{children}</div>
    </section>
  );
}
