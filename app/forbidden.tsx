import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto mt-24 max-w-md rounded-xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-8 text-center shadow-sm">
      <p className="text-sm font-semibold text-down">403</p>
      <h1 className="mt-2 text-xl font-semibold">Administrators only</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        Your account can sign in but does not have the administrator role. Ask an administrator to grant it.
      </p>
      <Link href="/login" className="mt-6 inline-block text-sm font-medium text-indigo-600 hover:underline">
        Sign in with another account
      </Link>
    </main>
  );
}
