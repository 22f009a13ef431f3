// An engine: dependencies plus the compiled graph with its Postgres checkpointer
// (tables in their own schema, CHECKPOINT_SCHEMA, out of Prisma's migrations).
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import type { EngineDeps } from "./deps";
import { type TroubleshootingGraph, buildTroubleshootingGraph } from "./graph";
import { closeProbeSessions } from "../probes/database";
import { scopeSettingsToRun } from "../runs/target-secrets";

export { CHECKPOINT_SCHEMA } from "../../own-schemas";
import { CHECKPOINT_SCHEMA } from "../../own-schemas";

export interface Engine {
  deps: EngineDeps;
  graph: TroubleshootingGraph;
  checkpointer: BaseCheckpointSaver;
}

/** `checkpointer`: one already open on the store at `databaseUrl` (AddonContext.openStore);
 * without it, one is opened here. */
export async function createEngine(deps: EngineDeps, databaseUrl: string, checkpointer?: PostgresSaver): Promise<Engine> {
  const saver = checkpointer ?? (await openCheckpointer(databaseUrl));
  // A run on a stored target reads its own credentials, never the configured target's.
  scopeSettingsToRun(deps.settings);
  return { deps, graph: buildTroubleshootingGraph(deps, saver), checkpointer: saver };
}

/**
 * A checkpointer on a pool of its own (`pool`: node-postgres options over the defaults), its
 * tables set up (created or migrated). Throws what the connection or the setup threw.
 */
export async function openCheckpointer(databaseUrl: string, pool: pg.PoolConfig = {}): Promise<PostgresSaver> {
  const connections = new pg.Pool({ connectionString: databaseUrl, max: 5, ...pool });
  // A connection the server drops (restart, admin command) must not crash the process: idle ones
  // error on the pool, checked-out ones (between a checkpoint transaction's statements) on the
  // client. The query that needed it fails instead, and the run goes on from its last checkpoint.
  connections.on("error", () => {});
  connections.on("connect", (client) => client.on("error", () => {}));
  const checkpointer = new PostgresSaver(connections, undefined, { schema: CHECKPOINT_SCHEMA });
  await checkpointer.setup().catch(async (err: unknown) => {
    await connections.end();
    throw err;
  });
  return checkpointer;
}

/** Closes the engine's database pools (before its database server stops, or at exit). */
export async function closeEngine(engine: Engine): Promise<void> {
  await closeProbeSessions();
  await engine.deps.prisma.$disconnect();
  if (engine.checkpointer instanceof PostgresSaver) await engine.checkpointer.end();
}
