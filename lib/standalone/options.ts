// The standalone app's options for the add-on: today's environment variables, and its own
// sign-in (Auth.js, users with an ADMIN or VIEWER role) as the authorize() callback.
import { env } from "../env";
import type { Authorization, TroubleshooterOptions } from "../mount/config";

async function authorize(): Promise<Authorization> {
  // Loaded on first use: the CLI and the worker never sign anyone in.
  const { auth } = await import("./auth/config");
  const session = await auth();
  if (!session?.user?.id) return null;
  if (session.user.role !== "ADMIN") return "forbidden";
  return { id: session.user.id, email: session.user.email ?? null, name: session.user.name ?? null };
}

/** The environment mapped onto the add-on's options (read when first needed). The CLI and the
 * worker build their context from these too, without the pages (lib/mount/context.ts). */
export function standaloneOptions(): TroubleshooterOptions {
  const config = env();
  return { databaseUrl: config.DATABASE_URL, secret: config.AUTH_SECRET, appUrl: config.AUTH_URL, signInPath: "/login", authorize, settings: process.env };
}
