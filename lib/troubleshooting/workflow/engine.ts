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

export async function createEngine(deps: EngineDeps, databaseUrl: string): Promise<Engine> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
  // A connection the server drops (restart, admin command) must not crash the process: idle ones
  // error on the pool, checked-out ones (between a checkpoint transaction's statements) on the
  // client. The query that needed it fails instead, and the run goes on from its last checkpoint.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const checkpointer = new PostgresSaver(pool, undefined, { schema: CHECKPOINT_SCHEMA });
  await checkpointer.setup().catch(async (err: unknown) => {
    await pool.end();
    throw err;
  });
  // A run on a stored target reads its own credentials, never the configured target's.
  scopeSettingsToRun(deps.settings);
  return { deps, graph: buildTroubleshootingGraph(deps, checkpointer), checkpointer };
}

/** Closes the engine's database pools (before its database server stops, or at exit). */
export async function closeEngine(engine: Engine): Promise<void> {
  await closeProbeSessions();
  await engine.deps.prisma.$disconnect();
  if (engine.checkpointer instanceof PostgresSaver) await engine.checkpointer.end();
}
