// The PostgreSQL schemas the add-on owns. A host's database is shared: the add-on's tables, its
// Prisma migration history, LangGraph's checkpoints and pg-boss's queue each live in a schema of
// their own, so that nothing the add-on creates, migrates or prunes ever lands in (or reads from)
// the host's `public`, and so that a host that itself uses LangGraph or pg-boss with their default
// schemas (`public` and `pgboss`) never shares tables with us. The database bot leaves these out
// of every diagnosis by name (lib/troubleshooting/checks/database/shared.ts).

/** Prisma models (also the standalone app's User/Session tables) and their `_prisma_migrations`. */
export const APP_SCHEMA = "troubleshooter";
/** LangGraph's PostgresSaver tables (checkpoints, checkpoint_blobs, checkpoint_writes, ...). */
export const CHECKPOINT_SCHEMA = "troubleshooter_checkpoints";
/** pg-boss's tables (job, queue, schedule, ...). */
export const QUEUE_SCHEMA = "troubleshooter_queue";

/** Every schema the add-on creates; a diagnosis of the host's database reports nothing in them. */
export const OWN_SCHEMAS: readonly string[] = [APP_SCHEMA, CHECKPOINT_SCHEMA, QUEUE_SCHEMA];
