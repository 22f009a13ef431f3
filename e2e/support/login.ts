import { type Page, expect } from "@playwright/test";

/** Signs in through the login form of the app at `baseUrl` (default: the config's baseURL). */
export async function login(page: Page, user: { email: string; password: string }, options: { callbackPath?: string; baseUrl?: string } = {}) {
  const query = options.callbackPath ? `?callbackUrl=${encodeURIComponent(options.callbackPath)}` : "";
  await page.goto(`${options.baseUrl ?? ""}/login${query}`);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
