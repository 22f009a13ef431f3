import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { createPrismaClient, type PrismaClient } from "../../db";
import { scrubString } from "../redact";
import { listAlerts, raiseRunAlerts, runAlertCandidates, sweepApprovalAlerts, type AlertSettings } from "./index";
import { recordAlert } from "./store";

// A loopback webhook: records each request and answers `statuses` in turn (then 200); a status
// of 0 means never answering (a hung webhook).
interface Receiver {
  url: string;
  requests: { contentType: string | undefined; body: Record<string, unknown> }[];
  statuses: number[];
  close(): Promise<void>;
}

async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const requests: Receiver["requests"] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      requests.push({ contentType: req.headers["content-type"], body: JSON.parse(raw) as Record<string, unknown> });
      const status = receiver.statuses.shift() ?? 200;
      if (status === 0) return;
      res.statusCode = status;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // The path looks like a Slack secret: it must never reach lastError.
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/services/T0001/B0002/webhook-secret-token`,
    requests,
    statuses,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  return receiver;
}

const APP = "https://troubleshooter.test";
const settings = (webhookUrl: string | undefined, over: Partial<AlertSettings> = {}): AlertSettings => ({
  webhookUrl, format: "slack", scoreBelow: 50, scoreDrop: 20, approvalWaitMinutes: 30, dedupeMinutes: 60, appUrl: APP, basePath: "/admin/troubleshooting",
  delivery: { attempts: 4, timeoutMs: 2_000, initialDelayMs: 20, maxDelayMs: 80 },
  ...over,
});

let prisma: PrismaClient;
let receiver: Receiver | undefined;
let seq = 0;
beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(() => prisma.$disconnect());
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

type RunStatus = "completed" | "failed" | "awaiting_approval";
async function makeRun(data: { status: RunStatus; targetKey?: string; statusReason?: string; healthScoreAfter?: number; startedAt?: Date; config?: { domains: string[] } }) {
  const targetKey = data.targetKey ?? `target-${++seq}`;
  return prisma.troubleshootingRun.create({
    data: { trigger: "api", target: { baseUrl: `https://${targetKey}.example` }, ...data, targetKey, finishedAt: data.status === "awaiting_approval" ? null : new Date() },
  });
}
const alertsOf = (runId: string) => prisma.alert.findMany({ where: { runId }, orderBy: { createdAt: "asc" } });
const sectionText = (body: Record<string, unknown>) => (body.blocks as { type: string; text: { type: string; text: string } }[])[0];

describe("run alerts", () => {
  it("a failed run raises one run_failed alert, POSTed once in Slack's shape", async () => {
    receiver = await startReceiver();
    const run = await makeRun({ status: "failed", statusReason: "database unreachable (ECONNREFUSED)" });
    await raiseRunAlerts(prisma, run.id, settings(receiver.url));

    expect(receiver.requests).toHaveLength(1);
    const { contentType, body } = receiver.requests[0]!;
    expect(contentType).toBe("application/json");
    expect(body.text).toBe(`:rotating_light: [default] Troubleshooting run failed on https://${run.targetKey}.example`);
    const section = sectionText(body)!;
    expect(section.type).toBe("section");
    expect(section.text.type).toBe("mrkdwn");
    expect(section.text.text).toContain("database unreachable (ECONNREFUSED)");
    expect(section.text.text).toContain(`<${APP}/admin/troubleshooting/runs/${run.id}|Open the run>`);

    const stored = await alertsOf(run.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: "run_failed", severity: "critical", dedupeKey: `run_failed:${run.targetKey}`, status: "sent", attempts: 1, repeats: 0, lastError: null });
    expect(stored[0]!.deliveredAt).toBeInstanceOf(Date);
  });

  it("retries 5xx with backoff until a 2xx, and gives up after the last attempt without leaking the URL", async () => {
    receiver = await startReceiver([500, 500]);
    const flaky = await makeRun({ status: "failed", statusReason: "boom" });
    await raiseRunAlerts(prisma, flaky.id, settings(receiver.url));
    expect(receiver.requests).toHaveLength(3);
    expect(await alertsOf(flaky.id)).toMatchObject([{ status: "sent", attempts: 3, lastError: null }]);

    receiver.statuses.push(...Array(10).fill(500));
    const down = await makeRun({ status: "failed", statusReason: "boom" });
    await raiseRunAlerts(prisma, down.id, settings(receiver.url));
    expect(receiver.requests).toHaveLength(3 + 4);
    const [failed] = await alertsOf(down.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 4, lastError: "HTTP 500", deliveredAt: null });
    expect(failed!.lastError).not.toMatch(/127\.0\.0\.1|services|secret/);
  });

  it("treats other 4xx as final, but retries 429", async () => {
    receiver = await startReceiver([404]);
    const gone = await makeRun({ status: "failed" });
    await raiseRunAlerts(prisma, gone.id, settings(receiver.url));
    expect(receiver.requests).toHaveLength(1);
    expect(await alertsOf(gone.id)).toMatchObject([{ status: "failed", attempts: 1, lastError: "HTTP 404" }]);

    receiver.statuses.push(429);
    const limited = await makeRun({ status: "failed" });
    await raiseRunAlerts(prisma, limited.id, settings(receiver.url));
    expect(receiver.requests).toHaveLength(3);
    expect(await alertsOf(limited.id)).toMatchObject([{ status: "sent", attempts: 2 }]);
  });

  it("records a network error by name only", async () => {
    receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const run = await makeRun({ status: "failed" });
    await raiseRunAlerts(prisma, run.id, settings(url, { delivery: { attempts: 2, timeoutMs: 1_000, initialDelayMs: 10, maxDelayMs: 20 } }));
    expect(await alertsOf(run.id)).toMatchObject([{ status: "failed", attempts: 2, lastError: "network error (ECONNREFUSED)" }]);
  });

  it("times out a hung webhook per attempt and tries again", async () => {
    receiver = await startReceiver([0]);
    const run = await makeRun({ status: "failed" });
    await raiseRunAlerts(prisma, run.id, settings(receiver.url, { delivery: { attempts: 3, timeoutMs: 200, initialDelayMs: 10, maxDelayMs: 20 } }));
    expect(receiver.requests).toHaveLength(2);
    expect(await alertsOf(run.id)).toMatchObject([{ status: "sent", attempts: 2, lastError: null }]);

    receiver.statuses.push(0, 0);
    const hung = await makeRun({ status: "failed" });
    await raiseRunAlerts(prisma, hung.id, settings(receiver.url, { delivery: { attempts: 2, timeoutMs: 200, initialDelayMs: 10, maxDelayMs: 20 } }));
    expect(await alertsOf(hung.id)).toMatchObject([{ status: "failed", attempts: 2, lastError: "timeout after 200 ms" }]);
  });

  it("does not resend the same alert within the dedupe window, even when runs end together", async () => {
    receiver = await startReceiver();
    const targetKey = `dedupe-${++seq}`;
    const first = await makeRun({ status: "failed", targetKey, statusReason: "first" });
    const second = await makeRun({ status: "failed", targetKey, statusReason: "second" });
    await Promise.all([raiseRunAlerts(prisma, first.id, settings(receiver.url)), raiseRunAlerts(prisma, second.id, settings(receiver.url))]);
    expect(receiver.requests).toHaveLength(1);
    const stored = await prisma.alert.findMany({ where: { dedupeKey: `run_failed:${targetKey}` } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.repeats).toBe(1);
    expect(stored[0]!.lastSeenAt.getTime()).toBeGreaterThanOrEqual(stored[0]!.createdAt.getTime());

    const third = await makeRun({ status: "failed", targetKey, statusReason: "third" });
    await raiseRunAlerts(prisma, third.id, settings(receiver.url, { dedupeMinutes: 0 }));
    expect(receiver.requests).toHaveLength(2);
    expect(JSON.stringify(receiver.requests[1]!.body)).toContain("third");
    expect(await prisma.alert.count({ where: { dedupeKey: `run_failed:${targetKey}` } })).toBe(2);
  });

  it("records a key once when many raise it at the same moment (advisory lock)", async () => {
    const dedupeKey = `run_failed:concurrent-${++seq}`;
    const candidate = { kind: "run_failed", severity: "critical", dedupeKey, title: "t", message: "m", runId: null } as const;
    const fresh = await Promise.all(Array.from({ length: 8 }, () => recordAlert(prisma, candidate, 60)));
    expect(fresh.filter(Boolean)).toHaveLength(1);
    expect(await prisma.alert.findMany({ where: { dedupeKey }, select: { repeats: true } })).toEqual([{ repeats: 7 }]);
  });

  it("fires critical_issue once per unresolved critical code", async () => {
    receiver = await startReceiver();
    const run = await makeRun({ status: "completed", healthScoreAfter: 80 });
    const issue = (code: string, severity: "critical" | "high", status: "open" | "resolved" | "unresolved") =>
      prisma.issue.create({ data: { runId: run.id, code, domain: "database", severity, status, title: `${code} title`, description: "d", evidence: {}, detectedBy: "test" } });
    await issue("db.connection_failed", "critical", "open");
    await issue("db.connection_failed", "critical", "unresolved");
    await issue("db.fixed_one", "critical", "resolved");
    await issue("db.slow", "high", "open");
    await raiseRunAlerts(prisma, run.id, settings(receiver.url));

    const stored = await alertsOf(run.id);
    expect(stored.map((a) => [a.kind, a.severity, a.dedupeKey])).toEqual([["critical_issue", "critical", `critical_issue:${run.targetKey}:db.connection_failed`]]);
    expect(stored[0]!.message).toContain("2 occurrences");
    expect(receiver.requests).toHaveLength(1);
    expect(sectionText(receiver.requests[0]!.body)!.text.text).toContain("db.connection_failed title");
  });

  it("fires score_below and score_drop, and nothing for a healthy run", async () => {
    receiver = await startReceiver();
    const low = await makeRun({ status: "completed", healthScoreAfter: 42 });
    await raiseRunAlerts(prisma, low.id, settings(receiver.url));
    expect((await alertsOf(low.id)).map((a) => [a.kind, a.severity, a.dedupeKey])).toEqual([["score_below", "warning", `score_below:${low.targetKey}`]]);

    const targetKey = `drop-${++seq}`;
    await makeRun({ status: "completed", targetKey, healthScoreAfter: 90, startedAt: new Date(Date.now() - 3_600_000) });
    await makeRun({ status: "failed", targetKey, startedAt: new Date(Date.now() - 1_800_000) }); // not a comparison point
    const dropped = await makeRun({ status: "completed", targetKey, healthScoreAfter: 65 });
    await raiseRunAlerts(prisma, dropped.id, settings(receiver.url));
    const drop = await alertsOf(dropped.id);
    expect(drop.map((a) => [a.kind, a.severity, a.dedupeKey])).toEqual([["score_drop", "warning", `score_drop:${targetKey}`]]);
    expect(drop[0]!.message).toContain("from 90 to 65");

    const healthyKey = `healthy-${++seq}`;
    await makeRun({ status: "completed", targetKey: healthyKey, healthScoreAfter: 97, startedAt: new Date(Date.now() - 3_600_000) });
    const healthy = await makeRun({ status: "completed", targetKey: healthyKey, healthScoreAfter: 95 });
    await raiseRunAlerts(prisma, healthy.id, settings(receiver.url));
    expect(await alertsOf(healthy.id)).toEqual([]);
    expect(receiver.requests).toHaveLength(2);
  });

  it("compares a score only with the previous run on the same target that checked the same domains", async () => {
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const targetKey = `scope-${++seq}`;
    const full = { domains: ["web", "database", "network"] };
    await makeRun({ status: "completed", targetKey, healthScoreAfter: 90, startedAt: minutesAgo(50), config: full });
    // Another target's low score is no comparison point for this one.
    await makeRun({ status: "completed", targetKey: `other-${seq}`, healthScoreAfter: 100, startedAt: minutesAgo(45), config: full });
    // A web-only run scoring far lower than the full run before it: no drop (and no full-run trend broken).
    const webOnly = await makeRun({ status: "completed", targetKey, healthScoreAfter: 55, startedAt: minutesAgo(40), config: { domains: ["web"] } });
    await raiseRunAlerts(prisma, webOnly.id, settings(undefined));
    expect((await alertsOf(webOnly.id)).map((a) => a.kind)).toEqual([]);
    // The next full run is compared with the full run (90), not with the web-only run (55): no rise, no drop.
    const nextFull = await makeRun({ status: "completed", targetKey, healthScoreAfter: 88, startedAt: minutesAgo(30), config: { domains: ["network", "web", "database"] } });
    await raiseRunAlerts(prisma, nextFull.id, settings(undefined));
    expect((await alertsOf(nextFull.id)).map((a) => a.kind)).toEqual([]);
    // A full run that does fall from the previous full run (88 to 60) is a drop.
    const fell = await makeRun({ status: "completed", targetKey, healthScoreAfter: 60, startedAt: minutesAgo(20), config: full });
    await raiseRunAlerts(prisma, fell.id, settings(undefined));
    const [drop] = await alertsOf(fell.id);
    expect(drop?.kind).toBe("score_drop");
    expect(drop?.message).toContain("from 88 to 60 since the previous full run on this target");
  });

  it("the score-drop rule refuses a previous run on another target or scope, whoever passes it", () => {
    const run = { id: "r", status: "completed", statusReason: null, healthScoreAfter: 0, targetKey: "k", scope: "web", target: {}, issues: [] };
    const lenient = settings(undefined, { scoreBelow: 0 });
    expect(runAlertCandidates(run, { id: "p", healthScoreAfter: 47, targetKey: "k", scope: "database,network,web" }, lenient)).toEqual([]);
    expect(runAlertCandidates(run, { id: "p", healthScoreAfter: 47, targetKey: "other", scope: "web" }, lenient)).toEqual([]);
    expect(runAlertCandidates(run, { id: "p", healthScoreAfter: 47, targetKey: "k", scope: "web" }, lenient).map((c) => c.title)).toEqual(["Health score dropped 47 points on k"]);
  });

  it("raises nothing for a run that has not ended", () => {
    const facts = { id: "r", statusReason: null, healthScoreAfter: 10, targetKey: "k", scope: "database,network,web", target: {}, issues: [{ code: "c", severity: "critical", title: "t", status: "open" }] };
    expect(runAlertCandidates({ ...facts, status: "awaiting_approval" }, null, settings(undefined))).toEqual([]);
    expect(runAlertCandidates({ ...facts, status: "completed" }, null, settings(undefined)).map((c) => c.kind)).toEqual(["critical_issue", "score_below"]);
  });

  it("sends the generic JSON shape", async () => {
    receiver = await startReceiver();
    const run = await makeRun({ status: "failed", statusReason: "worker crashed" });
    await raiseRunAlerts(prisma, run.id, settings(receiver.url, { format: "generic" }));
    const [stored] = await alertsOf(run.id);
    expect(receiver.requests.map((r) => r.body)).toEqual([
      {
        kind: "run_failed", severity: "critical", title: `Troubleshooting run failed on https://${run.targetKey}.example`,
        message: "The run failed: worker crashed", target: "default", runId: run.id, runUrl: `${APP}/admin/troubleshooting/runs/${run.id}`, at: stored!.createdAt.toISOString(),
      },
    ]);
  });

  it("stores alerts as not_configured without a webhook, and lists the newest first", async () => {
    const run = await makeRun({ status: "failed", statusReason: "no webhook" });
    await raiseRunAlerts(prisma, run.id, settings(undefined));
    expect(await alertsOf(run.id)).toMatchObject([{ status: "not_configured", attempts: 0, deliveredAt: null }]);
    const listed = await listAlerts(prisma, { limit: 2 });
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ runId: run.id, kind: "run_failed", status: "not_configured", repeats: 0, lastError: null });
    expect(Object.keys(listed[0]!).sort()).toEqual(["attempts", "createdAt", "deliveries", "id", "kind", "lastError", "message", "repeats", "runId", "severity", "status", "title"]);
    expect(listed[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(listed[1]!.createdAt.getTime());
  });
});

describe("approval sweep", () => {
  it("raises one approval_waiting alert per run once the wait exceeds the limit, and only once", async () => {
    receiver = await startReceiver();
    const waiting = await makeRun({ status: "awaiting_approval" });
    const ended = await makeRun({ status: "completed", healthScoreAfter: 90 });
    for (const [runId, code] of [[waiting.id, "db.kill_idle"], [waiting.id, "web.redeploy"], [ended.id, "db.vacuum"]] as const) {
      await prisma.fixAction.create({ data: { runId, code, title: `Apply ${code}`, risk: "needs_approval", status: "pending_approval", needsApproval: true } });
    }
    const s = settings(receiver.url);

    expect(await sweepApprovalAlerts(prisma, new Date(), s)).toEqual({ raised: 0, repeated: 0 }); // not waited long enough
    expect(receiver.requests).toHaveLength(0);

    const later = new Date(Date.now() + 31 * 60_000);
    expect(await sweepApprovalAlerts(prisma, later, s)).toEqual({ raised: 1, repeated: 0 });
    expect(await sweepApprovalAlerts(prisma, new Date(later.getTime() + 60_000), s)).toEqual({ raised: 0, repeated: 1 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.body.text).toBe(`:warning: [default] 2 fix actions waiting for approval on https://${waiting.targetKey}.example`);

    const stored = await prisma.alert.findMany({ where: { kind: "approval_waiting" } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ runId: waiting.id, dedupeKey: `approval_waiting:${waiting.id}`, severity: "warning", status: "sent", repeats: 1 });
    expect(stored[0]!.message).toMatch(/Waiting for 3[12] minutes: Apply db\.kill_idle; Apply web\.redeploy\./);
  });
});

describe("redaction", () => {
  it("scrubs Slack webhook URLs from log strings", () => {
    expect(scrubString("POST https://hooks.slack.com/services/T000/B000/abcDEF123 failed")).toBe("POST https://hooks.slack.com/services/*** failed");
  });
});
