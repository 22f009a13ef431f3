// One add-on instance's state: its configuration, its Prisma client and its workflow engine, each
// made on first use (a host's `next build` imports the instance without a database or secrets).
// Nothing lives on globalThis: two instances in one process (tests, two mounts) never share a pool.
import { type PrismaClient, createPrismaClient } from "../db";
import { attachLogStore } from "../monitoring/logger";
import { depsFromConfig } from "../troubleshooting/workflow/deps";
import { type Engine, closeEngine, createEngine } from "../troubleshooting/workflow/engine";
import { runDeferredAfterRunSteps } from "../troubleshooting/runs/run-ended";
import { type TroubleshooterConfig, type TroubleshooterOptions, resolveConfig } from "./config";

export interface AddonContext {
  /** The validated configuration (throws EnvError naming each bad setting, on first use). */
  config(): TroubleshooterConfig;
  prisma(): PrismaClient;
  engine(): Promise<Engine>;
  /** Closes the pools (tests, CLI exit), after running the after-run steps deferred (run-ended.ts). */
  close(): Promise<void>;
}

/** `options` may be a function, called on first use: a host's build has no secrets to read. */
export function createAddonContext(options: TroubleshooterOptions | (() => TroubleshooterOptions)): AddonContext {
  let config: TroubleshooterConfig | undefined;
  let prisma: PrismaClient | undefined;
  let engine: Promise<Engine> | undefined;
  const context: AddonContext = {
    config: () => (config ??= resolveConfig(typeof options === "function" ? options() : options)),
    prisma: () => (prisma ??= createPrismaClient(context.config().DATABASE_URL)),
    engine: () =>
      (engine ??= createEngine(depsFromConfig(context.config(), context.prisma()), context.config().DATABASE_URL).catch((err: unknown) => {
        engine = undefined;
        throw err;
      })),
    close: async () => {
      // After-run steps a resident CLI worker deferred write with this instance's pools.
      await runDeferredAfterRunSteps();
      detachLogStore();
      if (engine) await closeEngine(await engine).catch(() => {});
      else await prisma?.$disconnect();
      engine = undefined;
      prisma = undefined;
    },
  };
  // This process's log lines (info and above) are kept in the add-on's database for the logs API.
  // Attached per instance, not in register(): Next bundles instrumentation and routes apart, each
  // with its own copy of the logger module.
  const detachLogStore = attachLogStore(context.prisma);
  return context;
}
