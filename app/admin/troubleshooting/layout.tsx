// The standalone app's admin layout (a host has its own): who is signed in, and signing out.
import type { ReactNode } from "react";
import { auth } from "@/lib/standalone/auth/config";
import { logout } from "@/lib/standalone/auth/actions";

export default async function StandaloneAdminLayout({ children }: { children: ReactNode }) {
  // The page authorizes (401/403/redirect); this only shows who is signed in, if anyone.
  const session = await auth();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-6 py-3">
          <span className="font-semibold">Troubleshooter</span>
          {session?.user && (
            <div className="flex items-center gap-3 text-sm">
              <span className="text-slate-600 dark:text-slate-400" data-testid="signed-in-admin">
                {session.user.email}
              </span>
              <form action={logout}>
                <button className="rounded-md border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800">Sign out</button>
              </form>
            </div>
          )}
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
