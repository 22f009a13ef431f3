// The AI investigation on the run page: live tool calls, then the claims with their citations, the
// refused call, the claim not kept and the cost, from a real run whose model is a loopback server
// speaking the OpenAI chat API (the real client code runs); and on the shared server, which has
// no key, the plain statement that it did not run.
import type { Page, TestInfo } from "@playwright/test";
import { type ChatRequest, type OpenAIStub, type StubAnswer, offersTools, startOpenAIStub } from "../fixtures/test/openai-stub";
import { type TargetServer, startTargetServer } from "../fixtures/test/target-server";
import { type AppServer, startAppServer } from "./support/app-server";
import { SCAN_VIEWPORTS, seriousA11yFindings, setScanViewport } from "./support/axe";
import { login } from "./support/login";
import { startLongQuery } from "./support/long-query";
import { platformDatabaseUrl } from "./support/mount";
import { endRun, startOrJoinRun, untilSettled } from "./support/runs";
import { ADMIN } from "./support/users";
import { expect, test } from "./support/test";

// Its own app server (a key, a stub, a failing target): the standalone app is enough to show
// the page; the mounted project renders the same components inside the twin.
test.skip(({ addon }) => addon.mode === "mounted", "starts its own standalone app with an OpenAI key; the run page's components are the same when mounted");

/** How long the stub holds back the investigator's second answer: the page must show the first
 * call while the run waits for it. Well under LLM_TIMEOUT_MS below. */
const HOLD_MS = 8_000;
const ROOT_CAUSE = "The page answers 500 because the handler throws; the evidence shows status 500. <b>not bold</b>";
const UNFOUNDED = "It is the network, trust me";
/** The issue the stub had the investigator look at (its top one). */
let askedIssueId = "";

/** The issues the investigator was asked about: the JSON after "Input:" in its first user message. */
function askedIssues(req: ChatRequest): { id: string; candidateActions: string[] }[] {
  const text = req.messages.find((m) => m.role === "user")?.content ?? "";
  const input = JSON.parse(text.slice(text.indexOf("Input:") + "Input:".length)) as { issues: { id: string; candidateActions?: string[] }[] };
  return input.issues.map((i) => ({ id: i.id, candidateActions: i.candidateActions ?? [] }));
}

/** The reasoner's three small tasks answered as a well-behaved model; the investigator calls
 * issue_evidence, then (held back) a tool it was not offered, then concludes: one claim citing
 * T1, one citing nothing (to be dropped). */
function model(req: ChatRequest): StubAnswer {
  if (!offersTools(req)) {
    const task = req.messages.at(-1)?.content ?? "";
    const input = JSON.parse(task.slice(task.indexOf("Input:") + "Input:".length)) as { candidates?: { code: string }[]; issues?: { id: string }[] };
    if (task.includes("focus on")) return { status: 200, content: '{"focus":["web"],"hypotheses":["The page handler fails."]}' };
    if (task.includes("candidate fix actions")) return { status: 200, content: JSON.stringify({ actions: (input.candidates ?? []).map((c) => c.code) }) };
    return { status: 200, content: JSON.stringify({ summary: "The site answers 500.", citedIssueIds: [] }) };
  }
  const issues = askedIssues(req);
  const top = issues[0]!;
  askedIssueId = top.id;
  const results = req.messages.filter((m) => m.role === "tool").length;
  if (results === 0) return { status: 200, toolCalls: [{ name: "issue_evidence", arguments: JSON.stringify({ issueId: top.id }) }], usage: { prompt: 900, completion: 20 } };
  if (results === 1) return { status: 200, toolCalls: [{ name: "shell_exec", arguments: '{"command":"cat /etc/passwd"}' }], usage: { prompt: 1_100, completion: 20 }, delayMs: HOLD_MS };
  const claims = [
    { issueIds: [top.id], rootCause: ROOT_CAUSE, confidence: "high", citations: ["T1"], linkedIssueIds: [], suggestedActions: top.candidateActions.slice(0, 1) },
    { issueIds: [top.id], rootCause: UNFOUNDED, confidence: "low", citations: [], linkedIssueIds: [], suggestedActions: [] },
  ];
  return { status: 200, content: JSON.stringify({ claims }), usage: { prompt: 1_300, completion: 120 } };
}

let stub: OpenAIStub;
let target: TargetServer;
let app: AppServer;

test.describe("with a model", () => {
  test.beforeAll(async () => {
    stub = await startOpenAIStub(model);
    target = await startTargetServer({ status: 500 });
    app = await startAppServer(Number(process.env.E2E_INVESTIGATION_PORT ?? 3530), {
      OPENAI_API_KEY: "sk-test-e2e",
      OPENAI_BASE_URL: stub.baseUrl,
      OPENAI_MODEL: "stub-model",
      LLM_TIMEOUT_MS: "60000",
      TARGET_BASE_URL: target.url,
      TARGET_ENDPOINTS_PRESET: "none",
    });
  });
  test.afterAll(async () => {
    await app?.stop();
    await target?.close();
    await stub?.close();
  });

  test("the run page shows the tool calls live, then the claims with their citations, the refused call, what was not kept and the cost", async ({ page, addon }, testInfo) => {
    test.setTimeout(300_000); // a real run, with the model's answer held back once
    await login(page, ADMIN, { baseUrl: app.baseUrl });
    const started = await page.request.post(`${app.baseUrl}${addon.api}/runs`, { data: { initialIssue: "The home page shows an error" } });
    expect(started.status()).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    await page.goto(`${app.baseUrl}${addon.page}/runs/${runId}`);
    const section = page.getByRole("region", { name: "AI investigation" });

    // Live: the first call shows while the model's next answer is held back.
    const first = section.locator("[data-testid=\"tool-call\"][data-call-id=\"T1\"]"); // by id: the refused call's reason names issue_evidence too
    await expect(first).toBeVisible({ timeout: 120_000 });
    await expect(section.getByTestId("investigation-status")).toContainText("Investigating…");
    await expect(section).toHaveAttribute("data-status", "running");
    await expect(page.getByTestId("run-status")).toHaveText(/running/);
    await shot(page, testInfo, "investigation-live");

    // The end of it.
    await expect(section).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
    await expect(section.getByTestId("investigation-status")).toContainText("Concluded · model stub-model");
    await expect(section.getByTestId("investigation-cost")).toHaveText(/^Cost: 3 model calls · 2 tool calls · 3,300 tokens in \/ 160 out · \d/); // the stub's usage, summed
    const claim = section.getByTestId("investigation-claim");
    await expect(claim).toHaveCount(1);
    // The model's text is text: the <b> is shown as written, no element made of it.
    await expect(claim.getByTestId("claim-root-cause")).toHaveText(ROOT_CAUSE);
    await expect(claim.locator("b")).toHaveCount(0);
    await expect(claim.getByText("confidence high")).toBeVisible();
    // About: the finding, by title, linked to its row.
    await expect(claim.getByRole("link").first()).toHaveAttribute("href", `#issue-${askedIssueId}`);
    const report = (await (await page.request.get(`${app.baseUrl}${addon.api}/runs/${runId}`)).json()) as { issues: { id: string; title: string }[] };
    await expect(claim.getByRole("link").first()).toHaveText(report.issues.find((i) => i.id === askedIssueId)?.title ?? "the asked issue's title");
    // The refused call, with its kind and reason.
    const refused = section.getByTestId("tool-call").filter({ hasText: "shell_exec" });
    await expect(refused).toHaveAttribute("data-status", "refused");
    await expect(refused.getByTestId("tool-call-outcome")).toHaveText(/^refused \(not an offered tool\)/);
    await expect(refused.getByTestId("tool-call-result")).toHaveCount(0);
    // Not kept.
    await expect(section.getByRole("heading", { name: "Not kept (1)" })).toBeVisible();
    await expect(section.getByTestId("investigation-dropped")).toContainText(UNFOUNDED);
    await expect(section.getByTestId("investigation-dropped")).toContainText("cites no tool result");

    // The citation leads to its call, with the result shown.
    await expect(first.getByTestId("tool-call-result")).toBeHidden();
    await claim.getByRole("link", { name: "T1 (issue_evidence)" }).click();
    await expect(page).toHaveURL(/#investigation-T1$/);
    await expect(first.getByTestId("tool-call-result")).toBeVisible();
    await expect(first.getByTestId("tool-call-result")).toContainText(askedIssueId);
    await expect(first.getByTestId("tool-call-args")).toHaveText(JSON.stringify({ issueId: askedIssueId }));
    await expect(first).toBeInViewport();
    await shot(page, testInfo, "investigation-ended");

    for (const viewport of SCAN_VIEWPORTS) {
      await setScanViewport(page, viewport);
      expect(await seriousA11yFindings(page, testInfo, `investigation-${viewport.name}`), viewport.name).toEqual([]);
    }

    // The Markdown export has the section.
    await untilSettled(page.request, { ...addon, api: `${app.baseUrl}${addon.api}` }, runId, 120_000);
    const md = await (await page.request.get(`${app.baseUrl}${addon.api}/runs/${runId}/export?format=md`)).text();
    expect(md).toContain("## AI investigation");
    expect(md).toContain("- Status: Concluded (model stub-model)");
    expect(md).toContain("   Cites: T1 (issue\\_evidence)");
    expect(md).toMatch(/\| T2 \| shell\\_exec \| .* \| refused \(not an offered tool\)/);
  });
});

test("without a key, the run page says the investigation did not run, and why", async ({ page, addon }) => {
  test.setTimeout(300_000); // a real run on the shared server; mounted is skipped (see above)
  await login(page, addon.admin);
  // A long query gives the run an issue: a run without one has nothing to investigate.
  const victim = await startLongQuery(platformDatabaseUrl(addon), "e2e-investigation-no-key");
  const runId = await startOrJoinRun(page.request, addon, { domains: ["database"] });
  try {
    await page.goto(`${addon.page}/runs/${runId}`);
    const section = page.getByRole("region", { name: "AI investigation" });
    await expect(section.getByTestId("investigation-status")).toHaveText("Not run: no OPENAI_API_KEY: no AI investigation", { timeout: 240_000 });
    await expect(section).toHaveAttribute("data-status", "not_run");
    await expect(section.getByTestId("tool-call")).toHaveCount(0);
    await expect(section.getByTestId("investigation-cost")).toHaveCount(0);
  } finally {
    await endRun(page.request, addon, runId); // the next spec starts its own
    await victim.end();
  }
});

/** The page at a desktop and a phone, light and dark. */
async function shot(page: Page, testInfo: TestInfo, name: string) {
  for (const viewport of SCAN_VIEWPORTS) {
    await setScanViewport(page, viewport);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${viewport.name}.png`), fullPage: true });
  }
  await setScanViewport(page, SCAN_VIEWPORTS[0]);
}
