import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/lib/standalone/login-form";
import { loginWithGitHub, safeCallback } from "@/lib/standalone/auth/actions";
import { auth } from "@/lib/standalone/auth/config";
import { signInErrorMessage } from "@/lib/standalone/auth/login-messages";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

type LoginSearch = { callbackUrl?: string; error?: string; code?: string };

export default async function LoginPage({ searchParams }: { searchParams: Promise<LoginSearch> }) {
  const search = await searchParams;
  const callbackUrl = await safeCallback(search.callbackUrl);
  const session = await auth();
  if (session?.user?.role === "ADMIN") redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-8 shadow-sm">
        <p className="text-xs font-semibold tracking-wide text-indigo-600 uppercase">Troubleshooter</p>
        <h1 className="mt-1 text-xl font-semibold">Sign in to the admin dashboard</h1>
        {session?.user && (
          <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
            Signed in as {session.user.email}, which is not an administrator.
          </p>
        )}
        <div className="mt-6">
          <LoginForm callbackUrl={callbackUrl} initialError={search.error ? signInErrorMessage(search.error, search.code) : undefined} />
        </div>
        {env().githubAuth && (
          <form action={loginWithGitHub} className="mt-4">
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <button className="w-full rounded-md border border-slate-300 dark:border-slate-700 px-4 py-2 text-sm font-medium hover:bg-slate-50 dark:hover:bg-slate-800">
              Sign in with GitHub
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
