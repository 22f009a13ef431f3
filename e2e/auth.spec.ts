import { login } from "./support/login";
import { pathRegExp } from "./support/mount";
import { ADMIN, VIEWER } from "./support/users";
import { expect, test } from "./support/test";

test("an anonymous visit to the dashboard lands on the login page", async ({ page, addon }) => {
  await page.goto(addon.page);
  await expect(page).toHaveURL(new RegExp(`/login\\?callbackUrl=${encodeURIComponent(addon.page)}$`));
  await expect(page.getByRole("heading", { name: "Sign in to the admin dashboard" })).toBeVisible();
});

test("anonymous API calls get 401 JSON", async ({ request, addon }) => {
  for (const path of [`${addon.api}/health`, `${addon.api}/database`]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
  }
});

test("a wrong password is refused with a message and no session", async ({ page, addon }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong e-mail or password." })).toBeVisible();
  expect((await page.request.get(`${addon.api}/health`)).status()).toBe(401);
});

test("an admin signs in, sees the shell, reads real health figures, and signs out", async ({ page, addon }) => {
  await login(page, ADMIN, { callbackPath: addon.page });
  await expect(page).toHaveURL(pathRegExp(addon.page, "$"));
  await expect(page.getByTestId("signed-in-admin")).toHaveText(ADMIN.email);
  const nav = page.getByRole("navigation", { name: "Troubleshooting sections" });
  for (const section of ["Overview", "Runs", "History", "Monitoring"]) await expect(nav.getByRole("link", { name: section })).toBeVisible();
  await expect(page.getByTestId("health-status")).toHaveText("ok");

  const health = await page.request.get(`${addon.api}/health`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", version: "0.1.0", database: { reachable: true, latencyMs: expect.any(Number) } });

  const database = await page.request.get(`${addon.api}/database`);
  expect(database.status()).toBe(200);
  const probe = await database.json();
  expect(probe).toMatchObject({ connected: true, serverVersion: expect.stringMatching(/^18\./), database: "troubleshooter" });
  expect(probe.connections.inUse).toBeGreaterThanOrEqual(1);
  expect(probe.connections.max).toBe(100);
  expect(probe.databaseSizeBytes).toBeGreaterThan(0);

  await nav.getByRole("link", { name: "History" }).click();
  await expect(page).toHaveURL(/\/history$/);
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get(`${addon.api}/health`)).status()).toBe(401);
});

test("a viewer gets 403 from the API and no admin page", async ({ page, addon }) => {
  await login(page, VIEWER);
  const pageResponse = await page.goto(addon.page);
  expect(pageResponse?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();
  await expect(page.getByTestId("signed-in-admin")).toHaveCount(0);
  for (const path of [`${addon.api}/health`, `${addon.api}/database`]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
  }
});

test("the login form does not redirect off-site", async ({ page, baseURL, addon }) => {
  await login(page, ADMIN, { callbackPath: "https://evil.example/phish" });
  await expect(page).toHaveURL(pathRegExp(`${new URL(baseURL as string).host}${addon.page}`, "$"));
});
