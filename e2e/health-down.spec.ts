import { type AppServer, startAppServer } from "./support/app-server";
import { login } from "./support/login";
import { ADMIN } from "./support/users";
import { expect, test } from "./support/test";

// A second app with its own database, so stopping that database does not disturb other specs.
let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer(Number(process.env.E2E_PORT) + 1);
});
test.afterAll(async () => app?.stop());

test("a stopped database makes /health answer down, not a 500 with a stack", async ({ page, addon }) => {
  await login(page, ADMIN, { baseUrl: app.baseUrl });
  expect((await page.request.get(`${app.baseUrl}${addon.api}/health`)).status()).toBe(200);

  await app.database.stop();

  const res = await page.request.get(`${app.baseUrl}${addon.api}/health`);
  expect(res.status()).toBe(503);
  const body = await res.json();
  expect(body).toMatchObject({ status: "down", database: { reachable: false, latencyMs: null, error: { code: "unreachable" } } });
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |postgresql:\/\//);
  expect(JSON.stringify(body)).not.toContain(addon.databasePassword);

  const database = await page.request.get(`${app.baseUrl}${addon.api}/database`);
  expect(database.status()).toBe(503);
  expect(await database.json()).toMatchObject({ connected: false, error: { code: "unreachable" } });

  await page.goto(`${app.baseUrl}${addon.page}`);
  await expect(page.getByTestId("health-status")).toHaveText("down");
});
