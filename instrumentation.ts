// Runs once when a server process starts: runs left "running" by a process that died are marked
// interrupted (with the reason) instead of staying "running" forever.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { getEngine } = await import("./lib/troubleshooting/engine");
    const { markStaleRuns } = await import("./lib/troubleshooting/run-service");
    const marked = await markStaleRuns(await getEngine());
    if (marked.length) console.warn(`[troubleshooting] marked ${marked.length} stale run(s) interrupted`);
  } catch (err) {
    console.warn(`[troubleshooting] could not check for stale runs at start-up (${err instanceof Error ? err.name : "error"})`);
  }
}
