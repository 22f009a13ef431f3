// The add-on's entry point for a host Next.js app: `createTroubleshooter(options)` once (in the
// host's lib/troubleshooter.ts), then its handlers in one catch-all API route, its Page in one
// optional catch-all page, and register() in the host's instrumentation.ts. See README, "Add it to
// your Next.js app". Everything an instance uses (configuration, Prisma client, engine) hangs off
// the object it returns; nothing is kept on globalThis.
import { apiHandler } from "../api/dispatch";
import { createPage } from "../ui/pages";
import type { TroubleshooterOptions } from "./config";
import { type AddonContext, createAddonContext } from "./context";
import { registerAddon } from "./register";

export type { Authorization, Principal, TroubleshooterConfig, TroubleshooterOptions } from "./config";
export type { AddonContext } from "./context";

export interface Troubleshooter {
  /** For `export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = troubleshooter.handlers` in the
   * API catch-all: every method, so that the add-on (not Next) answers each, strangers first with 401. */
  handlers: Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS", (req: Request) => Promise<Response>>;
  /** For `export default troubleshooter.Page` in the page catch-all. */
  Page: ReturnType<typeof createPage>["Page"];
  /** For `export const generateMetadata = troubleshooter.generateMetadata` (optional: page titles). */
  generateMetadata: ReturnType<typeof createPage>["generateMetadata"];
  /** For the host's instrumentation.ts: marks runs a dead process left running as interrupted, and
   * starts the minute timer of maintenance (approval alerts, retention). Returns a stop function. */
  register: () => Promise<() => void>;
  /** The instance's configuration, database and engine (the CLI, scripts and tests use them). */
  context: AddonContext;
}

/** `options` may be a function, called on first use (e.g. to read secrets only at run time). */
export function createTroubleshooter(options: TroubleshooterOptions | (() => TroubleshooterOptions)): Troubleshooter {
  const context = createAddonContext(options);
  const handle = apiHandler(context);
  const { Page, generateMetadata } = createPage(context);
  return {
    handlers: { GET: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle },
    Page,
    generateMetadata,
    register: () => registerAddon(context),
    context,
  };
}
