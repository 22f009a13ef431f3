// Issue 20, item 5: alert channels in the dashboard. An admin adds a channel pointing at a loopback
// receiver, sends a test alert and sees it delivered; a failing receiver's status is shown; the
// URL is never shown again; the page passes axe at four viewports.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page, TestInfo } from "@playwright/test";
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport } from "./support/axe";
import { login } from "./support/login";
import { expect, test } from "./support/test";

interface Receiver {
  url: string;
  bodies: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A webhook on loopback answering `status`; its path looks like a Slack secret. */
async function startReceiver(status: number, secret: string): Promise<Receiver> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      bodies.push(JSON.parse(raw) as Record<string, unknown>);
      res.statusCode = status;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/${secret}`, bodies, close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }) };
}

const shoot = (page: Page, testInfo: TestInfo, name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

async function addChannel(page: Page, name: string, url: string) {
  // The form stays open after an add: open it only when it is closed.
  const closed = page.locator("details:not([open]) > summary", { hasText: "Add a channel" });
  if (await closed.count()) await closed.click();
  const form = page.getByRole("form", { name: "Add channel" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel(/^Webhook URL/).fill(url);
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByRole("listitem", { name: `Channel ${name}` })).toBeVisible();
}

test("an admin adds a channel in the browser, sends a test alert and sees it delivered (200), or the receiver's 500", async ({ page, addon }, testInfo) => {
  const ok = await startReceiver(200, "T0E2E/B0E2E/ok-channel-secret");
  const failing = await startReceiver(500, "T0E2E/B0E2E/failing-channel-secret");
  try {
    await login(page, addon.admin);
    await page.goto(`${addon.page}/alerts`);
    await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
    // The environment's webhook, host only; the thresholds with their variable names.
    await expect(page.getByTestId("env-webhook")).toContainText("127.0.0.1:9");
    await expect(page.getByTestId("env-webhook")).not.toContainText("/services/");
    await expect(page.getByTestId("alert-thresholds")).toContainText("ALERT_SCORE_BELOW");
    await expect(page.getByTestId("alert-schedules")).toContainText("default");

    const name = `e2e receiver ${testInfo.project.name}`;
    await addChannel(page, name, ok.url);
    const channel = page.getByRole("listitem", { name: `Channel ${name}` });
    await expect(channel).toContainText(new URL(ok.url).host);
    await channel.getByRole("button", { name: "Send test alert" }).click();
    await expect(channel.getByTestId("channel-message")).toHaveText("Test alert delivered (200).");
    expect(ok.bodies).toHaveLength(1);
    expect(ok.bodies[0]!.text).toBe(`:warning: Test alert for channel ${name}`);
    // After the reload, the channel shows its last delivery.
    await expect(channel.getByTestId("channel-last-delivery")).toContainText("Last test: delivered (200)");

    const badName = `e2e failing ${testInfo.project.name}`;
    await addChannel(page, badName, failing.url);
    const bad = page.getByRole("listitem", { name: `Channel ${badName}` });
    await bad.getByRole("button", { name: "Send test alert" }).click();
    await expect(bad.getByTestId("channel-message")).toHaveText("Test alert failed (HTTP 500).");

    // Disable, then edit its kinds, keeping the sealed URL.
    await bad.getByRole("button", { name: "Disable" }).click();
    await expect(bad).toContainText("(disabled)");
    await bad.getByRole("button", { name: "Edit" }).click();
    await bad.getByLabel("score drop").check();
    await bad.getByRole("button", { name: `Save ${badName}` }).click();
    await expect(bad).toContainText("score drop");

    // The URL (a credential) is never shown again: not in the page, not in the API answer.
    for (const secret of ["ok-channel-secret", "failing-channel-secret", "/services/T0E2E"]) {
      expect(await page.content()).not.toContain(secret);
      expect(await (await page.request.get(`${addon.api}/alert-channels`)).text()).not.toContain(secret);
    }
    await setScanViewport(page, SCAN_VIEWPORTS[0]);
    await shoot(page, testInfo, "alerts-desktop-light");
    await setScanViewport(page, SCAN_VIEWPORTS[1]);
    await shoot(page, testInfo, "alerts-desktop-dark");
    await setScanViewport(page, SCAN_VIEWPORTS[2]);
    await shoot(page, testInfo, "alerts-phone-light");

    // Delete asks first; both channels go (later specs' alerts must not reach closed receivers).
    for (const n of [name, badName]) {
      const item = page.getByRole("listitem", { name: `Channel ${n}` });
      await item.getByRole("button", { name: "Delete" }).click();
      await item.getByRole("button", { name: "Yes, delete" }).click();
      await expect(page.getByRole("listitem", { name: `Channel ${n}` })).toHaveCount(0);
    }
    const audit = await page.request.get(`${addon.api}/alert-channels`);
    expect(((await audit.json()) as { channels: { name: string }[] }).channels.map((c) => c.name)).not.toContain(name);
  } finally {
    await ok.close();
    await failing.close();
  }
});

test("the alerts page has no serious or critical axe finding at four viewports", async ({ page, addon }, testInfo) => {
  const receiver = await startReceiver(200, "axe/secret");
  try {
    await login(page, addon.admin);
    // A channel, so that its row and actions are scanned too.
    const created = await page.request.post(`${addon.api}/alert-channels`, { data: { name: `axe ${testInfo.project.name}`, url: receiver.url } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const findings: { viewport: string; rule: string; targets: string[] }[] = [];
    for (const viewport of SCAN_VIEWPORTS) {
      await setScanViewport(page, viewport);
      await page.goto(`${addon.page}/alerts`);
      await page.getByText("Add a channel").click(); // the form open, so that it is scanned
      for (const f of await seriousA11yFindings(page, testInfo, `alerts-${viewport.name}`)) findings.push({ viewport: viewport.name, rule: f.rule, targets: f.targets });
      await shoot(page, testInfo, `alerts-axe-${viewport.name}`);
    }
    expect((await page.request.delete(`${addon.api}/alert-channels/${id}`)).status()).toBe(204);
    expect(findings).toEqual([]);
  } finally {
    await receiver.close();
  }
});
