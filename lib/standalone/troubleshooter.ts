// The standalone app is the add-on's first host: the same createTroubleshooter() a host calls,
// with today's environment variables mapped onto it, and its own sign-in (Auth.js, users with an
// ADMIN or VIEWER role) as the authorize() callback.
import { env } from "../env";
import { createTroubleshooter } from "../mount";
import type { Authorization } from "../mount/config";

async function authorize(): Promise<Authorization> {
  // Loaded on first use: the CLI and the worker never sign anyone in.
  const { auth } = await import("./auth/config");
  const session = await auth();
  if (!session?.user?.id) return null;
  if (session.user.role !== "ADMIN") return "forbidden";
  return { id: session.user.id, email: session.user.email ?? null, name: session.user.name ?? null };
}

export const troubleshooter = createTroubleshooter(() => {
  const config = env();
  return {
    databaseUrl: config.DATABASE_URL,
    secret: config.AUTH_SECRET,
    appUrl: config.AUTH_URL,
    signInPath: "/login",
    authorize,
    settings: process.env,
  };
});
