// Executes one troubleshooting run in a process of its own, so that a test can kill it (SIGKILL)
// mid-run, as a crash, an OOM kill or a redeploy would. Prints {"runId"} once the run exists.
// Usage: tsx scripts/test/run-child.ts <databaseUrl> <targetBaseUrl> <staleAfterMs>
import { createRun, executeRun } from "../../lib/troubleshooting/run-service";
import { TEST_SETTINGS, createTestEngine, testTarget } from "./engine";

const [databaseUrl, baseUrl, staleAfterMs] = process.argv.slice(2);
if (!databaseUrl || !baseUrl || !staleAfterMs) throw new Error("usage: run-child.ts <databaseUrl> <targetBaseUrl> <staleAfterMs>");
const engine = await createTestEngine(databaseUrl, { settings: { ...TEST_SETTINGS, staleAfterMs: Number(staleAfterMs) } });
const { runId, config } = await createRun(engine, { trigger: "api" }, testTarget(baseUrl, databaseUrl));
process.stdout.write(`${JSON.stringify({ runId })}\n`);
await executeRun(engine, runId, config);
process.exit(0);
