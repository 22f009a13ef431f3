import type { ReactNode } from "react";

/** A section whose content has not been recorded yet; says so rather than showing fake data. */
export function EmptySection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h1 className="text-lg font-semibold">{title}</h1>
      <div className="mt-4 rounded-xl border border-dashed border-slate-300 bg-white p-8 text-sm text-slate-600">{children}</div>
    </section>
  );
}
