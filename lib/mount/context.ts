// One add-on instance's state: its configuration, its Prisma client and its workflow engine, each
// made on first use (a host's `next build` imports the instance without a database or secrets).
// Nothing lives on globalThis: two instances in one process (tests, two mounts) never share a pool.
import { type PrismaClient, createPrismaClient } from "../db";
import { attachLogStore } from "../monitoring/logger";
import { depsFromConfig } from "../troubleshooting/workflow/deps";
import type { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { type Engine, closeEngine, createEngine, openCheckpointer } from "../troubleshooting/workflow/engine";
import { runDeferredAfterRunSteps } from "../troubleshooting/runs/run-ended";
import { type TroubleshooterConfig, type TroubleshooterOptions, resolveConfig } from "./config";

export interface AddonContext {
  /** The validated configuration (throws EnvError naming each bad setting, on first use). */
  config(): TroubleshooterConfig;
  prisma(): PrismaClient;
  engine(): Promise<Engine>;
  /**
   * Opens a connection to the store at `databaseUrl` for Prisma and one for the checkpointer (its
   * setup done) before the configuration is known: the resident CLI's run worker knows its store
   * before it knows its run, and a new PostgreSQL backend costs the run tens of ms. First use takes
   * them when the configuration names this store, and closes them otherwise. They stay open while
   * idle. Throws what connecting threw (nothing stays open then).
   */
  openStore(databaseUrl: string): Promise<void>;
  /** Closes the pools (tests, CLI exit), after running the after-run steps deferred (run-ended.ts). */
  close(): Promise<void>;
}

/** `options` may be a function, called on first use: a host's build has no secrets to read. */
export function createAddonContext(options: TroubleshooterOptions | (() => TroubleshooterOptions)): AddonContext {
  let config: TroubleshooterConfig | undefined;
  let prisma: PrismaClient | undefined;
  let engine: Promise<Engine> | undefined;
  /** What openStore opened, until first use. */
  let opened: OpenedStore | undefined;
  /** The opened checkpointer, once first use found it is for the configured store, until the engine takes it. */
  let openedCheckpointer: PostgresSaver | undefined;
  const adoptOpened = (): PrismaClient | undefined => {
    const store = opened;
    opened = undefined;
    if (!store) return undefined;
    if (store.databaseUrl !== context.config().DATABASE_URL) {
      void closeOpened(store); // another store's: the configuration names its own
      return undefined;
    }
    openedCheckpointer = store.checkpointer;
    return store.prisma;
  };
  const takeCheckpointer = () => {
    const checkpointer = openedCheckpointer;
    openedCheckpointer = undefined;
    return checkpointer;
  };
  const context: AddonContext = {
    config: () => (config ??= resolveConfig(typeof options === "function" ? options() : options)),
    prisma: () => (prisma ??= adoptOpened() ?? createPrismaClient(context.config().DATABASE_URL)),
    engine: () =>
      // prisma() first: it adopts the opened store, checkpointer included.
      (engine ??= createEngine(depsFromConfig(context.config(), context.prisma()), context.config().DATABASE_URL, takeCheckpointer()).catch((err: unknown) => {
        engine = undefined;
        throw err;
      })),
    openStore: async (databaseUrl) => {
      const client = createPrismaClient(databaseUrl, OPENED_AHEAD);
      const [checkpointer, connected] = await Promise.allSettled([openCheckpointer(databaseUrl, OPENED_AHEAD), client.$queryRaw`SELECT 1`]);
      if (checkpointer.status === "fulfilled" && connected.status === "fulfilled") {
        opened = { databaseUrl, prisma: client, checkpointer: checkpointer.value };
        return;
      }
      await closeOpened({ prisma: client, checkpointer: checkpointer.status === "fulfilled" ? checkpointer.value : undefined });
      throw checkpointer.status === "rejected" ? checkpointer.reason : (connected as PromiseRejectedResult).reason;
    },
    close: async () => {
      // After-run steps a resident CLI worker deferred write with this instance's pools.
      await runDeferredAfterRunSteps();
      detachLogStore();
      if (engine) await closeEngine(await engine).catch(() => {});
      else await prisma?.$disconnect();
      await closeOpened({ prisma: opened?.prisma, checkpointer: opened?.checkpointer ?? takeCheckpointer() });
      engine = undefined;
      prisma = undefined;
      opened = undefined;
    },
  };
  // This process's log lines (info and above) are kept in the add-on's database for the logs API.
  // Attached per instance, not in register(): Next bundles instrumentation and routes apart, each
  // with its own copy of the logger module.
  const detachLogStore = attachLogStore(context.prisma);
  return context;
}

/** Pools opened before their first use: idle connections stay open (node-postgres closes them
 * after 10 s by default), and connecting gives up after 5 s (Prisma's pool already does). */
const OPENED_AHEAD = { idleTimeoutMillis: 0, connectionTimeoutMillis: 5_000 };

interface OpenedStore {
  databaseUrl: string;
  prisma: PrismaClient;
  checkpointer: PostgresSaver;
}

async function closeOpened(store: { prisma?: PrismaClient; checkpointer?: PostgresSaver }): Promise<void> {
  await Promise.all([store.prisma?.$disconnect(), store.checkpointer?.end()].map((closing) => closing?.catch(() => {})));
}
