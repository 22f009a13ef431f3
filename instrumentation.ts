// Runs once when a server process starts: runs left "running" by a process that died are marked
// interrupted (with the reason) instead of showing "running" until the next run starts, and ended
// runs missing from the history rollup are added. Only the Prisma client is needed: the workflow
// engine is built on first use, not here. It also starts the periodic maintenance (alerts for
// approvals left waiting, retention).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Every request carries its socket's peer address, which Next does not give route handlers (sign-in
  // limits, audit; lib/auth/client-address.ts). Once, here, before the first request.
  const { stampPeerAddresses } = await import("./lib/auth/client-address");
  stampPeerAddresses();
  const { db } = await import("./lib/db");
  const { startMaintenanceTimer } = await import("./lib/monitoring/maintenance");
  startMaintenanceTimer(db);
  try {
    const { markStaleRuns, staleAfterMsFromEnv } = await import("./lib/troubleshooting/runs/run-status");
    const { rollUpEndedRuns } = await import("./lib/troubleshooting/queries/rollup");
    const marked = await markStaleRuns(db(), staleAfterMsFromEnv());
    if (marked.length) console.warn(`[troubleshooting] marked ${marked.length} stale run(s) interrupted`);
    await rollUpEndedRuns(db());
  } catch (err) {
    console.warn(`[troubleshooting] could not check for stale runs at start-up (${err instanceof Error ? err.name : "error"})`);
  }
}
