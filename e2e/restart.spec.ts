import pg from "pg";
import { APP_SCHEMA } from "../lib/own-schemas";
import { checkpointWritten } from "../fixtures/test/faults";
import { type TargetServer, startTargetServer } from "../fixtures/test/target-server";
import { type AppServer, startAppServer } from "./support/app-server";
import { login } from "./support/login";
import { ADMIN } from "./support/users";
import { expect, test } from "./support/test";

// A second app on its own database (the process is killed and restarted here), troubleshooting a
// slow loopback site, with a short staleness window so that the test need not wait a minute.
const STALE_SECONDS = 5;
let app: AppServer;
let target: TargetServer;
let sql: pg.Client;

test.beforeAll(async () => {
  target = await startTargetServer({ delayMs: 800 });
  app = await startAppServer(Number(process.env.E2E_PORT) + 2, {
    TARGET_BASE_URL: target.url,
    TARGET_ENDPOINTS_PRESET: "none",
    RUN_STALE_AFTER_SECONDS: String(STALE_SECONDS),
  });
  sql = new pg.Client({ connectionString: app.database.url, options: `-c search_path=${APP_SCHEMA}` });
  await sql.connect();
});
test.afterAll(async () => {
  await sql?.end();
  await app?.stop();
  await target?.close();
});

async function eventsOf(runId: string) {
  const { rows } = await sql.query<{ seq: number; type: string; payload: Record<string, unknown> }>(
    `SELECT seq, type, payload FROM "RunEvent" WHERE "runId" = $1 ORDER BY seq`,
    [runId],
  );
  return rows;
}

test("a run cut off by a killed server is interrupted after the restart, and Resume completes it with every event kept", async ({ page, addon }) => {
  test.setTimeout(240_000);
  await login(page, ADMIN, { baseUrl: app.baseUrl });
  const started = await page.request.post(`${app.baseUrl}${addon.api}/runs`, { data: { initialIssue: "The site got slow" } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };

  // Mid-diagnostics: the database bot is done and checkpointed, the web and network bots still
  // wait for the slow site.
  const query = async (text: string, params: unknown[]) => (await sql.query<{ n: number }>(text, params)).rows;
  await expect.poll(() => checkpointWritten(query, runId, "diagnose_database"), { timeout: 60_000 }).toBe(true);
  await app.kill("SIGKILL");
  const before = await eventsOf(runId);
  const { rows } = await sql.query<{ status: string }>(`SELECT status FROM "TroubleshootingRun" WHERE id = $1`, [runId]);
  expect(rows[0]?.status).toBe("running"); // what the dead process left behind

  // Once its heartbeat is older than the window, the next server to start marks it interrupted.
  await new Promise((r) => setTimeout(r, (STALE_SECONDS + 1) * 1_000));
  await app.restart();
  await page.goto(`${app.baseUrl}${addon.page}/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveText("interrupted");
  await expect(page.getByText(/the server running it stopped \(restart or crash\)/)).toBeVisible();

  await page.getByRole("button", { name: "Resume run" }).click();
  await expect(page.getByTestId("run-status")).toHaveText(/^completed · /, { timeout: 150_000 });
  await expect(page.getByRole("button", { name: "Resume run" })).toHaveCount(0);

  const after = await eventsOf(runId);
  expect(after.map((e) => e.seq)).toEqual(after.map((_, i) => i + 1));
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.slice(before.length, before.length + 2).map((e) => e.type)).toEqual(["run_interrupted", "run_resumed"]);
  expect(after.at(-1)?.type).toBe("run_completed");
  // The database bot's result came from the checkpoint: it ran once.
  expect(after.filter((e) => e.type === "phase_started" && e.payload.bot === "database-diagnostic")).toHaveLength(1);
  expect((await page.request.post(`${app.baseUrl}${addon.api}/runs/${runId}/resume`)).status()).toBe(409);
});
