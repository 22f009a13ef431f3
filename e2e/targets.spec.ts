// Targets are first-class: an admin adds a second target in the dashboard (a loopback site of its
// own and a database made here, reached with its own role and password), edits it, sees its
// secrets only as "stored", runs it at the same time as the default target and finds each
// target's runs only on its own runs table and overview; then removes it and its runs stay. And
// the secrets test: the stored target's database password, bearer token and session cookie
// appear in no page, API answer, event stream, export, log or report after a run on it.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page, TestInfo } from "@playwright/test";
import pg from "pg";
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport } from "./support/axe";
import { login } from "./support/login";
import { addonDatabaseUrl, serverLogFile } from "./support/mount";
import { endRun, runsPath, startOrJoinRun, untilSettled } from "./support/runs";
import { expect, test } from "./support/test";

/** Recognisable values: none of them may ever come back from the add-on. */
const tag = randomBytes(4).toString("hex");
const SECRETS = {
  "database password": `tgt-db-pw-${tag}-RECOG`,
  "bearer token": `tgt-bearer-${tag}-RECOG`,
  "session cookie": `tgt-cookie-${tag}-RECOG`,
};
const NAME = `staging-${tag}`;

/** The second target's site: a small page on loopback, on a port of its own. */
async function startSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === "/" || req.url?.startsWith("/about")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="en"><head><title>Staging ${tag}</title></head><body><h1>Staging</h1><a href="/about">About</a></body></html>`);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The second target's database on the project's PostgreSQL server, owned by a role whose
 * password is the recognisable one: a run on the target works only if the password reached it. */
async function createTargetDatabase(ownerUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const role = `tgt_${tag}`;
  const admin = new pg.Client({ connectionString: ownerUrl });
  await admin.connect();
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${SECRETS["database password"]}'`);
  await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
  await admin.end();
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = "";
  url.pathname = `/${role}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${role} WITH (FORCE)`).catch(() => undefined);
      await client.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await client.end();
    },
  };
}

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const viewport of [SCAN_VIEWPORTS[0], SCAN_VIEWPORTS[3]]) {
    await setScanViewport(page, viewport);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${viewport.name}.png`), fullPage: true });
  }
  await setScanViewport(page, SCAN_VIEWPORTS[0]);
}

async function noSeriousFindings(page: Page, testInfo: TestInfo, name: string) {
  for (const viewport of SCAN_VIEWPORTS) {
    await setScanViewport(page, viewport);
    expect(await seriousA11yFindings(page, testInfo, `${name}-${viewport.name}`), `${name} at ${viewport.name}`).toEqual([]);
  }
  await setScanViewport(page, SCAN_VIEWPORTS[0]);
}

/** The run ids of the runs table's rows on the page shown. */
const rowIds = (page: Page) => page.getByTestId("run-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-run-id")));

test("an admin adds, edits, runs and removes a second target; each target's runs stay its own; its secrets never come back", async ({ page, addon }, testInfo) => {
  test.setTimeout(300_000);
  const site = await startSite();
  const database = await createTargetDatabase(addonDatabaseUrl(addon));
  const runIds: string[] = [];
  try {
    await login(page, addon.admin);

    // Add it in the UI, with its secrets: the database password in its own field.
    await page.goto(`${addon.page}/targets`);
    await expect(page.getByTestId("target-card").first()).toContainText("from the environment");
    const add = page.getByRole("form", { name: "Add a target" });
    await add.getByLabel("Name", { exact: true }).fill(NAME);
    await add.getByLabel("Base URL", { exact: true }).fill(site.url);
    await add.getByLabel("Database URL", { exact: true }).fill(database.url);
    await add.getByLabel("Pages (one a line)", { exact: true }).fill("/about");
    await add.getByLabel("Database password", { exact: true }).fill(SECRETS["database password"]);
    await add.getByLabel("Bearer token", { exact: true }).fill(SECRETS["bearer token"]);
    await add.getByLabel("Session cookie", { exact: true }).fill(`session=${SECRETS["session cookie"]}`);
    await add.getByRole("button", { name: "Add target" }).click();
    const card = page.locator(`[data-testid="target-card"][data-target="${NAME}"]`);
    await expect(card).toBeVisible();
    await expect(card.getByTestId("target-secrets")).toContainText("Database password: stored");
    await expect(card.getByTestId("target-secrets")).toContainText("Bearer token: stored");
    await expect(card.getByTestId("target-secrets")).toContainText("Session cookie: stored");
    await expect(card.getByTestId("target-secrets")).toContainText("Vercel token: not set");
    await expect(card.getByTestId("target-schedule")).toHaveText("not scheduled");
    // A bad value is named on the form, and nothing is added.
    await add.getByLabel("Name", { exact: true }).fill("default");
    await add.getByLabel("Base URL", { exact: true }).fill("ftp://nope");
    await add.getByLabel("Database URL", { exact: true }).fill(database.url);
    await add.getByRole("button", { name: "Add target" }).click();
    await expect(add.getByRole("alert")).toContainText("Check: name, baseUrl");
    // What was typed stays, to be corrected.
    await expect(add.getByLabel("Base URL", { exact: true })).toHaveValue("ftp://nope");

    // Edit it: a schedule, secrets left empty (kept), never pre-filled.
    await card.getByText(`Edit ${NAME}`).click();
    const edit = card.getByRole("form", { name: `Edit ${NAME}` });
    for (const label of ["Database password", "Bearer token", "Session cookie"]) await expect(edit.getByLabel(label, { exact: true })).toHaveValue("");
    await edit.getByLabel("every", { exact: true }).check();
    await edit.getByLabel("Minutes between runs").fill("30");
    await edit.getByRole("button", { name: `Save ${NAME}` }).click();
    await expect(card.getByTestId("target-schedule")).toHaveText("every 30 minutes");
    // The form starts again from what is stored, its secret inputs empty.
    await expect(edit.getByLabel("Minutes between runs")).toHaveValue("30");
    await expect(edit.getByLabel("Bearer token", { exact: true })).toHaveValue("");
    await expect(card.getByTestId("target-secrets")).toContainText("Database password: stored");
    await expect(card.getByTestId("target-secrets")).toContainText("Bearer token: stored");
    await shoot(page, testInfo, "targets");
    await noSeriousFindings(page, testInfo, "targets");

    // Two runs at once: the stored target's from the run form, the default target's from the API.
    await page.goto(addon.page);
    const form = page.getByRole("form", { name: "Run troubleshooting" });
    await form.getByLabel("Target").selectOption(NAME);
    await expect(form.getByTestId("run-target")).toContainText(site.url);
    await form.getByRole("button", { name: "Run troubleshooting" }).click();
    await page.waitForURL(/\/runs\/[a-z0-9]+$/);
    const storedRun = page.url().split("/").at(-1) as string;
    runIds.push(storedRun);
    const defaultRun = await startOrJoinRun(page.request, addon, { domains: ["database"] });
    runIds.push(defaultRun);
    // Both are active together: the lock is per target.
    const both = await Promise.all([page.request.get(`${runsPath(addon)}/${storedRun}`), page.request.get(`${runsPath(addon)}/${defaultRun}`)]);
    expect(both.map((r) => r.status())).toEqual([200, 200]);
    for (const id of [storedRun, defaultRun]) await untilSettled(page.request, addon, id, 180_000);
    for (const id of [storedRun, defaultRun]) await endRun(page.request, addon, id);
    // The stored target's database was reached with its stored password.
    const report = (await (await page.request.get(`${runsPath(addon)}/${storedRun}`)).json()) as { status: string; statusReason: string | null };
    expect(report.status, report.statusReason ?? "").not.toBe("failed");

    // Each target's runs table and overview show its own runs only.
    await page.goto(`${addon.page}/runs?target=${NAME}`);
    await expect(page.getByRole("heading", { name: new RegExp(`Runs on ${NAME}`) })).toBeVisible();
    expect(await rowIds(page)).toEqual([storedRun]);
    await expect(page.getByTestId("run-target-name")).toHaveText([NAME]);
    await shoot(page, testInfo, "runs-stored-target");
    await noSeriousFindings(page, testInfo, "runs-stored-target");
    await page.goto(`${addon.page}/runs?target=default`);
    const defaultIds = await rowIds(page);
    expect(defaultIds).toContain(defaultRun);
    expect(defaultIds).not.toContain(storedRun);
    for (const name of await page.getByTestId("run-target-name").allTextContents()) expect(name).toBe("default");
    await page.goto(`${addon.page}?target=${NAME}`);
    await expect(page.getByRole("heading", { name: `Troubleshooting: ${NAME}` })).toBeVisible();
    expect(await rowIds(page)).toEqual([storedRun]);
    await page.goto(`${addon.page}?target=default`);
    expect(await rowIds(page)).not.toContain(storedRun);
    await page.goto(addon.page);
    const fleet = page.getByTestId("fleet");
    await expect(fleet.locator(`[data-target="${NAME}"]`)).toBeVisible();
    await expect(fleet.locator('[data-target="default"]')).toBeVisible();
    await shoot(page, testInfo, "overview-fleet");
    await noSeriousFindings(page, testInfo, "overview-fleet");

    // The secrets test: every answer, stream, export, log and page after the run.
    const texts: Record<string, string> = {};
    const RUNS = runsPath(addon);
    const api = {
      targets: `${addon.api}/targets`,
      runs: RUNS,
      "runs of the target": `${RUNS}?target=${NAME}`,
      report: `${RUNS}/${storedRun}`,
      events: `${RUNS}/${storedRun}/events?after=0`,
      "export json": `${RUNS}/${storedRun}/export?format=json`,
      "export md": `${RUNS}/${storedRun}/export?format=md`,
      logs: `${addon.api}/logs?level=info&limit=1000`,
      "monitoring json": `${addon.api}/monitoring/export?format=json`,
      "monitoring csv": `${addon.api}/monitoring/export?format=csv`,
    };
    const stored = ((await (await page.request.get(api.targets)).json()) as { targets: { id: string; name: string }[] }).targets.find((t) => t.name === NAME);
    texts.target = await (await page.request.get(`${addon.api}/targets/${stored?.id}`)).text();
    for (const [name, url] of Object.entries(api)) {
      const res = await page.request.get(url);
      expect(res.status(), name).toBeLessThan(500);
      texts[name] = await res.text();
    }
    expect(texts.events).toContain("event: end");
    for (const path of [addon.page, `${addon.page}?target=${NAME}`, `${addon.page}/runs`, `${addon.page}/runs/${storedRun}`, `${addon.page}/targets`, `${addon.page}/history`, `${addon.page}/monitoring`]) {
      await page.goto(path);
      texts[`page ${path}`] = await page.content();
    }
    // The server's own output (its log lines and anything else it printed), after the run.
    texts["server output"] = await readFile(serverLogFile(addon), "utf8");
    expect(texts["server output"]).toContain("run ended");
    for (const [where, text] of Object.entries(texts)) {
      for (const [name, secret] of Object.entries(SECRETS)) expect(text.includes(secret), `${name} in ${where}`).toBe(false);
    }
    expect(texts.target).toContain('"databasePassword":true');

    // Remove it, with a confirmation; its run stays in the runs table.
    await page.goto(`${addon.page}/targets`);
    await card.getByRole("button", { name: `Delete ${NAME}` }).click();
    await card.getByRole("button", { name: "Yes, delete" }).click();
    await expect(card).toHaveCount(0);
    await page.goto(`${addon.page}/runs`);
    expect(await rowIds(page)).toContain(storedRun);
  } finally {
    for (const id of runIds) await endRun(page.request, addon, id).catch(() => undefined);
    await site.close();
    await database.drop();
  }
});
