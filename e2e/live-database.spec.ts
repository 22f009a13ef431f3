// Issue 20, item 6: the live database view. A real blocking chain in the platform's database (two
// sessions of its app role: one holds a lock while it sleeps, the other waits for it) shows as a
// tree, root blocker first; cancelling the blocker after the confirmation ends the chain, the page
// shows it gone after a refresh, and the audit trail has it with the admin and the target.
import type { Page, TestInfo } from "@playwright/test";
import pg from "pg";
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport } from "./support/axe";
import { login } from "./support/login";
import { type Mount, addonDatabaseUrl, platformDatabaseUrl } from "./support/mount";
import { expect, test } from "./support/test";

interface Chain {
  blockerPid: number;
  blockedPid: number;
  /** How the blocker's statement ended ("finished", or the error). */
  blockerDone: Promise<string>;
  blockedDone: Promise<string>;
  end(): Promise<void>;
}

async function connect(url: string, application: string): Promise<{ client: pg.Client; pid: number }> {
  const client = new pg.Client({ connectionString: url, application_name: application });
  client.on("error", () => {});
  await client.connect();
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return { client, pid: rows[0]!.pid };
}

/** The blocker takes advisory lock `key` and sleeps holding it; the other waits for the lock. */
async function startChain(addon: Mount, key: number): Promise<Chain> {
  const url = platformDatabaseUrl(addon);
  const blocker = await connect(url, "e2e-live-blocker");
  const blocked = await connect(url, "e2e-live-blocked");
  const watcher = await connect(url, "e2e-live-watcher");
  const blockerDone = blocker.client.query("SELECT pg_advisory_xact_lock($1), pg_sleep(120)", [key]).then(() => "finished", (e: Error) => e.message);
  await expect.poll(async () => (await watcher.client.query("SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND granted", [blocker.pid])).rowCount).toBe(1);
  const blockedDone = blocked.client.query("SELECT pg_advisory_xact_lock($1)", [key]).then(() => "finished", (e: Error) => e.message);
  await expect.poll(async () => (await watcher.client.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [blocked.pid])).rowCount).toBe(1);
  return {
    blockerPid: blocker.pid,
    blockedPid: blocked.pid,
    blockerDone,
    blockedDone,
    end: async () => {
      await watcher.client.query("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1)", [[blocker.pid, blocked.pid]]).catch(() => {});
      await Promise.all([blockerDone, blockedDone]);
      await Promise.all([blocker.client, blocked.client, watcher.client].map((c) => c.end().catch(() => {})));
    },
  };
}

const shoot = (page: Page, testInfo: TestInfo, name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

test("the live view shows a real blocking chain; cancelling the blocker after confirming ends it, and it is audited", async ({ page, addon }, testInfo) => {
  const chain = await startChain(addon, 920_001);
  try {
    await login(page, addon.admin);
    await page.goto(`${addon.page}/database`);
    await expect(page.getByRole("heading", { name: "Live database", level: 1 })).toBeVisible();
    const root = page.locator(`[data-testid="root-blocker"][data-pid="${chain.blockerPid}"]`);
    await expect(root).toBeVisible();
    await expect(root).toContainText(`Root blocker: backend ${chain.blockerPid}`);
    await expect(root).toContainText("SELECT pg_advisory_xact_lock($1), pg_sleep(?)");
    const waiter = root.locator(`[data-testid="blocked-session"][data-pid="${chain.blockedPid}"]`);
    await expect(waiter).toContainText(`Blocked: backend ${chain.blockedPid}`);
    await expect(waiter).toContainText("wait Lock: advisory");
    const row = page.locator(`[data-testid="live-session"][data-pid="${chain.blockedPid}"]`);
    await expect(row).toContainText(String(chain.blockerPid)); // blocked by
    await expect(page.getByTestId("live-visibility")).toContainText("read-only transaction");
    await shoot(page, testInfo, "live-database-chain-desktop-light");

    // The confirmation shows what will be cancelled; nothing happens until "Yes".
    await root.getByRole("button", { name: "Cancel query…" }).first().click();
    const confirm = root.getByTestId("session-confirm");
    await expect(confirm).toContainText(`Cancel query of backend ${chain.blockerPid}?`);
    await expect(confirm).toContainText("pg_sleep(?)");
    await expect(confirm).toContainText(/user\s*\S+/);
    await expect(confirm).toContainText(/query age\s*[\d.]+ s/);
    await shoot(page, testInfo, "live-database-confirm-desktop-light");
    await confirm.getByRole("button", { name: `Yes, cancel query ${chain.blockerPid}` }).click();

    await expect(page.getByTestId("session-action-result")).toContainText(`Applied (backend ${chain.blockerPid}): Cancelled the query of backend ${chain.blockerPid}`);
    expect(await chain.blockerDone).toBe("canceling statement due to user request");
    expect(await chain.blockedDone).toBe("finished");
    // Gone after a refresh.
    await page.getByRole("link", { name: "Refresh" }).click();
    await expect(page.getByTestId("no-blocking")).toBeVisible();
    await expect(page.locator(`[data-testid="root-blocker"][data-pid="${chain.blockerPid}"]`)).toHaveCount(0);
    await shoot(page, testInfo, "live-database-after-cancel-desktop-light");

    const audit = new pg.Client({ connectionString: addonDatabaseUrl(addon) });
    await audit.connect();
    try {
      const { rows } = await audit.query<{ actorEmail: string; detail: { target: string; result: string; fix: string } }>(
        `SELECT "actorEmail", detail FROM troubleshooter."AuditLog" WHERE action = 'database.cancel_query' AND "targetId" = $1`,
        [String(chain.blockerPid)],
      );
      expect(rows).toEqual([{ actorEmail: addon.admin.email, detail: expect.objectContaining({ target: "default", result: "applied", fix: "db.cancel_query" }) }]);
    } finally {
      await audit.end();
    }
  } finally {
    await chain.end();
  }
});

test("the live database page has no serious or critical axe finding at four viewports, with a chain and a confirmation open", async ({ page, addon }, testInfo) => {
  const chain = await startChain(addon, 920_002);
  try {
    await login(page, addon.admin);
    const findings: { viewport: string; rule: string; targets: string[] }[] = [];
    for (const viewport of SCAN_VIEWPORTS) {
      await setScanViewport(page, viewport);
      await page.goto(`${addon.page}/database`);
      const root = page.locator(`[data-testid="root-blocker"][data-pid="${chain.blockerPid}"]`);
      await expect(root).toBeVisible();
      await root.getByRole("button", { name: "Terminate session…" }).click();
      await expect(root.getByTestId("session-confirm")).toBeVisible();
      for (const f of await seriousA11yFindings(page, testInfo, `database-${viewport.name}`)) findings.push({ viewport: viewport.name, rule: f.rule, targets: f.targets });
      await shoot(page, testInfo, `live-database-${viewport.name}`);
    }
    expect(findings).toEqual([]);
  } finally {
    await chain.end();
  }
});
