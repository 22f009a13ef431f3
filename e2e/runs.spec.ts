import type { BrowserContext } from "@playwright/test";
import { createParser } from "eventsource-parser";
import { runReportSchema } from "../lib/troubleshooting/report";
import { login } from "./support/login";
import { startLongQuery } from "./support/long-query";
import { platformDatabaseUrl } from "./support/mount";
import { runsPath } from "./support/runs";
import { expect, test } from "./support/test";

async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

test("the runs API refuses anonymous callers and viewers", async ({ page, request, addon }) => {
  const RUNS = runsPath(addon);
  expect((await request.post(RUNS, { data: {} })).status()).toBe(401);
  expect((await request.get(RUNS)).status()).toBe(401);
  await login(page, addon.viewer);
  const res = await page.request.post(RUNS, { data: {} });
  expect(res.status()).toBe(403);
  expect((await page.request.get(`${RUNS}/abc`)).status()).toBe(403);
});

test("bad input gets 400/422 with field messages and starts nothing", async ({ page, addon }) => {
  const RUNS = runsPath(addon);
  await login(page, addon.admin);
  const before = (await (await page.request.get(RUNS)).json()).total as number;
  const invalidJson = await page.request.post(RUNS, { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } });
  expect(invalidJson.status()).toBe(400);
  const badDomain = await page.request.post(RUNS, { data: { domains: ["dns"], autoApprove: "all" } });
  expect(badDomain.status()).toBe(422);
  const body = await badDomain.json();
  expect(Object.keys(body.error.fields).sort()).toEqual(["autoApprove", "domains.0"]);
  expect((await page.request.post(RUNS, { data: { surprise: true } })).status()).toBe(422);
  expect((await page.request.get(`${RUNS}/not-a-run-id!`)).status()).toBe(422);
  expect((await page.request.get(`${RUNS}/cmwuaaaaaaaaaaaaaaaaaaaaa`)).status()).toBe(404);
  expect((await (await page.request.get(RUNS)).json()).total).toBe(before);
});

test("an admin starts a run, streams it live, approves the cancel of a long query, and reads the verified report", async ({ page, baseURL, addon }) => {
  test.setTimeout(120_000); // mounted, the web bot crawls the whole twin in Chromium
  const RUNS = runsPath(addon);
  await login(page, addon.admin);
  const victim = await startLongQuery(platformDatabaseUrl(addon), "e2e-victim");
  try {
    const started = await page.request.post(RUNS, { data: { initialIssue: "Users reporting slow page load times" } });
    expect(started.status()).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    const second = await page.request.post(RUNS, { data: {} });
    expect(second.status()).toBe(409);
    expect((await second.json()).error.runId).toBe(runId);

    const res = await fetch(`${baseURL}${RUNS}/${runId}/events`, { headers: { cookie: await cookieHeader(page.context()) } });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const seen: { id?: string; event?: string; data: string }[] = [];
    const parser = createParser({ onEvent: (e) => seen.push(e) });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let approved = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      const approval = seen.find((e) => e.event === "approval_required");
      if (approval && !approved) {
        approved = true;
        const { payload } = JSON.parse(approval.data) as { payload: { pending: { actionId: string; code: string }[] } };
        for (const pending of payload.pending) {
          const decided = await page.request.post(`${RUNS}/${runId}/decisions`, { data: { actionId: pending.actionId, decision: "approve" } });
          expect(decided.status()).toBe(200);
        }
        const again = await page.request.post(`${RUNS}/${runId}/decisions`, { data: { actionId: payload.pending[0]!.actionId, decision: "reject" } });
        expect(again.status()).toBe(409);
      }
    }
    expect(approved).toBe(true);
    const ids = seen.filter((e) => e.id).map((e) => Number(e.id));
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(seen.at(-1)?.event).toBe("end");
    expect(await victim.outcome).toMatch(/canceling statement due to user request/);

    const report = runReportSchema.parse(await (await page.request.get(`${RUNS}/${runId}`)).json());
    expect(report).toMatchObject({ status: "completed", trigger: "api", initialIssue: "Users reporting slow page load times" });
    const longQuery = report.issues.find((i) => i.code === "db.long_running_query" && i.evidence.application === "e2e-victim");
    expect(longQuery?.status).toBe("resolved");
    expect(report.actions.find((a) => a.issueIds.includes(longQuery!.id))).toMatchObject({ code: "db.cancel_query", status: "applied", verified: true, decidedBy: addon.admin.email });
    expect(JSON.stringify(report)).not.toContain(addon.databasePassword);

    const list = await (await page.request.get(`${RUNS}?status=completed`)).json();
    expect(list.runs.map((r: { id: string }) => r.id)).toContain(runId);
    await page.goto(addon.page);
    await expect(page.getByTestId("run-row").first()).toContainText("completed");
  } finally {
    await victim.end();
  }
});
