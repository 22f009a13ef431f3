import type { ReactNode } from "react";
import { AdminNav } from "../components/admin-nav";
import { logout } from "../../standalone/auth/actions";
import { requireAdmin } from "../../auth/guard";

export const dynamic = "force-dynamic";

export default async function TroubleshootingLayout({ children }: { children: ReactNode }) {
  const admin = await requireAdmin();
  return (
    <div className="tr:min-h-screen">
      <header className="tr:border-b tr:border-slate-200 tr:dark:border-slate-800 tr:bg-white tr:dark:bg-slate-900">
        <div className="tr:mx-auto tr:flex tr:max-w-6xl tr:flex-wrap tr:items-center tr:justify-between tr:gap-4 tr:px-6 tr:py-3">
          <div className="tr:flex tr:min-w-0 tr:flex-wrap tr:items-center tr:gap-x-6 tr:gap-y-2">
            <span className="tr:font-semibold">Troubleshooter</span>
            <AdminNav />
          </div>
          <div className="tr:flex tr:items-center tr:gap-3 tr:text-sm">
            <span className="tr:text-slate-600 tr:dark:text-slate-400" data-testid="signed-in-admin">
              {admin.email}
            </span>
            <form action={logout}>
              <button className="tr:rounded-md tr:border tr:border-slate-300 tr:dark:border-slate-700 tr:px-3 tr:py-1 tr:font-medium tr:hover:bg-slate-50 tr:dark:hover:bg-slate-800">Sign out</button>
            </form>
          </div>
        </div>
      </header>
      <main className="tr:mx-auto tr:max-w-6xl tr:px-6 tr:py-8">{children}</main>
    </div>
  );
}
