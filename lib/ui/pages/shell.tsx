import type { ReactNode } from "react";
import { AdminNav } from "../components/admin-nav";
import { logout } from "../../standalone/auth/actions";
import { requireAdmin } from "../../auth/guard";

export const dynamic = "force-dynamic";

export default async function TroubleshootingLayout({ children }: { children: ReactNode }) {
  const admin = await requireAdmin();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-6 py-3">
          <div className="flex min-w-0 flex-wrap items-center gap-x-6 gap-y-2">
            <span className="font-semibold">Troubleshooter</span>
            <AdminNav />
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span className="text-slate-600 dark:text-slate-400" data-testid="signed-in-admin">
              {admin.email}
            </span>
            <form action={logout}>
              <button className="rounded-md border border-slate-300 dark:border-slate-700 px-3 py-1 font-medium hover:bg-slate-50 dark:hover:bg-slate-800">Sign out</button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
