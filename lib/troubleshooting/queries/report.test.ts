// The report read model on real PostgreSQL rows: what each action row reads as (an approved action
// is not undecided; an apply that changed nothing is not "applied"; a re-probe that confirmed the
// problem is "still failing"), and advice ordered by severity and given once with its subjects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { type PrismaClient, createPrismaClient } from "../../db";
import { buildReport } from "./report";

let prisma: PrismaClient;
beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(async () => {
  await prisma.$disconnect();
});

const target = { baseUrl: "https://shop.example", database: "shop", endpoints: [] };
const newRun = (status: "awaiting_approval" | "completed") => prisma.troubleshootingRun.create({ data: { trigger: "api", status, target, targetKey: `k-${Math.random()}` } });
const newIssue = (runId: string, code: string, severity: "critical" | "medium", rank: number, subject: string, recommendation: string | null) =>
  prisma.issue.create({ data: { runId, code, domain: "web", severity, rank, title: `${code} on ${subject}`, description: "d", evidence: { subject }, detectedBy: "web_bot", recommendation } });

describe("run report", () => {
  it("reads an approved action as approved while the run waits, never as pending approval", async () => {
    const run = await newRun("awaiting_approval");
    const issue = await newIssue(run.id, "db.long_running_query", "medium", 1, "pid 1", null);
    const action = (status: "approved" | "pending_approval" | "planned") =>
      prisma.fixAction.create({ data: { runId: run.id, issueId: issue.id, code: "db.cancel_query", risk: "needs_approval", status, decidedByEmail: status === "approved" ? "a@example.com" : null } });
    const approved = await action("approved");
    const pending = await action("pending_approval");
    const planned = await action("planned");
    const report = await buildReport(prisma, run.id);
    const status = (id: string) => report?.actions.find((a) => a.id === id)?.status;
    expect([status(approved.id), status(pending.id), status(planned.id)]).toEqual(["approved", "pending_approval", "approved"]);
  });

  it("reads an apply that changed nothing as no effect, and a re-probe that confirmed the problem as still failing", async () => {
    const run = await newRun("completed");
    const issue = await newIssue(run.id, "db.long_running_query", "medium", 1, "pid 1", null);
    const action = (status: "applied" | "failed", result: object) =>
      prisma.fixAction.create({ data: { runId: run.id, issueId: issue.id, code: "db.cancel_query", risk: "needs_approval", status, result, detail: "x" } });
    const superuser = await action("failed", { ok: false, effect: "none", detail: "Not canceled: the session belongs to superuser role postgres" });
    const ended = await action("applied", { ok: true, effect: "none", detail: "Backend 1 had already ended; nothing to cancel." });
    const persistent = await action("failed", { ok: false, effect: "persists", detail: "still failing after 5 attempts: persistent" });
    const real = await action("applied", { ok: true, detail: "Cancelled the query of backend 1" });
    const broken = await action("failed", { ok: false, detail: "timed out after 10000 ms" });
    const report = await buildReport(prisma, run.id);
    const status = (id: string) => report?.actions.find((a) => a.id === id)?.status;
    expect([superuser, ended, persistent, real, broken].map((a) => status(a.id))).toEqual(["no_effect", "no_effect", "still_failing", "applied", "failed"]);
  });

  it("orders advice by the severity of what it addresses and gives identical advice once with its subjects", async () => {
    const run = await newRun("completed");
    const headers = "Add a headers() block to next.config.";
    // The medium header issues rank first (as a triage might), the critical 500 page after them.
    const a = await newIssue(run.id, "web.missing_security_headers", "medium", 1, "/a", null);
    const b = await newIssue(run.id, "web.missing_security_headers", "medium", 2, "/b", null);
    const page = await newIssue(run.id, "web.page_error_status", "critical", 3, "/", "Read the server log for the 500.");
    for (const issue of [a, b]) {
      await prisma.fixAction.create({ data: { runId: run.id, issueId: issue.id, code: "web.advise_security_headers", title: "Add the security headers", risk: "advice", status: "advice", detail: headers } });
    }
    const report = await buildReport(prisma, run.id);
    expect(report?.advice).toEqual([
      { title: null, text: "Read the server log for the 500.", severity: "critical", issueIds: [page.id], subjects: ["/"] },
      { title: "Add the security headers", text: headers, severity: "medium", issueIds: [a.id, b.id], subjects: ["/a", "/b"] },
    ]);
    expect(report?.recommendations).toEqual([
      "web.page_error_status on /: Read the server log for the 500.",
      `Add the security headers: ${headers} (applies to /a, /b)`,
    ]);
  });
});
