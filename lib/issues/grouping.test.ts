// Issues across runs on a real PostgreSQL: findings of final runs join their groups (the after-run
// step as run-ended.ts calls it), states set by an admin, resolution by a later run, regressions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { type PrismaClient, createPrismaClient } from "../db";
import { STORED_ONLY_ALERTS } from "../monitoring/alerts";
import { joinIssueGroups } from "./after-run";
import { getIssueGroup, listIssueGroups } from "./queries";
import { setIssueState, stateChangeSchema } from "./set-state";

let prisma: PrismaClient;
const admin = { id: "u1", email: "ada@example.com" };
const HOUR = 3_600_000;

beforeAll(async () => {
  prisma = createPrismaClient(await createTestDatabase());
});
afterAll(() => prisma.$disconnect());

let clock = Date.now() - 48 * HOUR;
/** A final run on `targetKey` (an hour after the previous one) that ran `checks` and found `found`. */
async function endedRun(targetKey: string, found: { code: string; subject?: string; severity?: "high" | "low" }[], options: { ran?: string[]; buildId?: string; status?: "completed" | "failed" } = {}) {
  clock += HOUR;
  const startedAt = new Date(clock);
  const ran = options.ran ?? found.map((f) => f.code);
  const run = await prisma.troubleshootingRun.create({
    data: {
      trigger: "api", status: options.status ?? "completed", target: { baseUrl: `https://${targetKey}.example`, database: "db", endpoints: [] }, targetKey, startedAt,
      finishedAt: new Date(clock + 60_000), buildId: options.buildId ?? null,
      checks: ran.map((code) => ({ code, domain: "network", status: found.some((f) => f.code === code) ? "issues" : "passed", durationMs: 5 })),
    },
  });
  for (const f of found) {
    await prisma.issue.create({
      data: { runId: run.id, code: f.code, domain: "network", severity: f.severity ?? "high", title: `${f.code} on ${f.subject ?? "all"}`, description: "d", evidence: f.subject ? { subject: f.subject } : {}, detectedBy: "test", createdAt: new Date(clock + 1_000) },
    });
  }
  await joinIssueGroups(prisma, run.id, STORED_ONLY_ALERTS);
  return run.id;
}

const groupOf = (targetKey: string, code: string, subject = "") => prisma.issueGroup.findUniqueOrThrow({ where: { targetKey_code_subject: { targetKey, code, subject } } });
const regressionAlerts = () => prisma.alert.count({ where: { kind: "regression" } });

describe("issues across runs", () => {
  it("one problem seen in three runs is one group with runCount 3 and three sightings, counted once per run", async () => {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await endedRun("three", [{ code: "net.endpoint_down", subject: "https://three.example/api" }, { code: "net.tls" }], { buildId: "b2" }));
    // Another target's same problem is another group.
    await endedRun("other", [{ code: "net.endpoint_down", subject: "https://three.example/api" }]);
    const group = await groupOf("three", "net.endpoint_down", "https://three.example/api");
    expect(group).toMatchObject({ runCount: 3, firstRunId: runs[0], lastRunId: runs[2], state: "open" });
    expect(group.firstSeenAt.getTime()).toBeLessThan(group.lastSeenAt.getTime());
    const detail = await getIssueGroup(prisma, group.id);
    expect(detail?.sightings.map((s) => s.runId)).toEqual([...runs].reverse());
    expect((await groupOf("three", "net.tls")).runCount).toBe(3); // no subject: ''
    // The step running again for the same run changes nothing.
    await joinIssueGroups(prisma, runs[2]!, STORED_ONLY_ALERTS);
    expect((await groupOf("three", "net.endpoint_down", "https://three.example/api")).runCount).toBe(3);
    expect(await prisma.issue.count({ where: { groupId: group.id } })).toBe(3);
    const list = await listIssueGroups(prisma, { targetKey: "three", tab: "open" });
    expect(list.items.map((i) => i.runCount)).toEqual([3, 3]);
  });

  it("a new group names the build it first appeared in and the one before (a deploy in between)", async () => {
    await endedRun("deploy", [], { ran: ["net.endpoint_down"], buildId: "build-a" });
    await endedRun("deploy", [{ code: "net.endpoint_down", subject: "/x" }], { buildId: "build-b" });
    const detail = await getIssueGroup(prisma, (await groupOf("deploy", "net.endpoint_down", "/x")).id);
    expect(detail).toMatchObject({ firstBuildId: "build-b", previousBuildId: "build-a", sinceDeploy: "build-b" });
  });

  it("snoozed: hidden from the open tab until its time; seen after it, stored as open", async () => {
    await endedRun("snooze", [{ code: "net.endpoint_down", subject: "/s" }]);
    const group = await groupOf("snooze", "net.endpoint_down", "/s");
    const until = new Date(Date.now() + 5 * 60_000);
    await setIssueState(prisma, group.id, admin, stateChangeSchema().parse({ state: "snoozed", until: until.toISOString() }));
    const open = (now?: Date) => listIssueGroups(prisma, { targetKey: "snooze", tab: "open", now }).then((l) => l.items.map((i) => i.id));
    expect(await open()).toEqual([]);
    expect((await listIssueGroups(prisma, { targetKey: "snooze", tab: "snoozed" })).items.map((i) => i.id)).toEqual([group.id]);
    // Once the time has passed it reads open (computed when read).
    const later = new Date(until.getTime() + 1_000);
    expect(await open(later)).toEqual([group.id]);
    expect((await getIssueGroup(prisma, group.id, { now: later }))?.state).toBe("open");
    // A snooze whose time has passed, seen again: stored as open.
    await prisma.issueGroup.update({ where: { id: group.id }, data: { snoozedUntil: new Date(Date.now() - 60 * HOUR) } });
    await endedRun("snooze", [{ code: "net.endpoint_down", subject: "/s" }]);
    expect(await groupOf("snooze", "net.endpoint_down", "/s")).toMatchObject({ state: "open", snoozedUntil: null, runCount: 2 });
    // Validation names the field.
    expect(stateChangeSchema().safeParse({ state: "snoozed" }).error?.issues[0]?.path).toEqual(["until"]);
    expect(stateChangeSchema().safeParse({ state: "snoozed", until: new Date(Date.now() - 1000).toISOString() }).error?.issues[0]?.message).toBe("must be in the future");
    expect(stateChangeSchema().safeParse({ state: "ignored" }).error?.issues[0]?.path).toEqual(["reason"]);
    expect(stateChangeSchema().safeParse({ state: "ignored", reason: "x".repeat(501) }).error?.issues[0]?.path).toEqual(["reason"]);
  });

  it("a later completed run that ran the check and did not see it resolves it; back again it is a regression that alerts once", async () => {
    const code = "net.endpoint_down";
    await endedRun("reg", [{ code, subject: "/r" }]);
    // A run that did not run the check (or failed) resolves nothing.
    await endedRun("reg", [], { ran: ["net.tls"] });
    await endedRun("reg", [], { ran: [code], status: "failed" });
    expect((await groupOf("reg", code, "/r")).state).toBe("open");
    const resolver = await endedRun("reg", [], { ran: [code] });
    expect(await groupOf("reg", code, "/r")).toMatchObject({ state: "resolved", stateByEmail: "troubleshooter", regressions: 0 });
    expect((await listIssueGroups(prisma, { targetKey: "reg", tab: "resolved" })).items).toHaveLength(1);
    expect(resolver).toBeTruthy();

    const before = await regressionAlerts();
    const back = await endedRun("reg", [{ code, subject: "/r" }]);
    const group = await groupOf("reg", code, "/r");
    expect(group).toMatchObject({ state: "open", regressions: 1, runCount: 2 });
    expect(group.regressedAt).not.toBeNull();
    expect(await regressionAlerts()).toBe(before + 1);
    const alert = await prisma.alert.findFirstOrThrow({ where: { kind: "regression" }, orderBy: { createdAt: "desc" } });
    expect(alert.runId).toBe(back);
    expect(alert.message).toContain(code);
    expect(alert.message).toContain("/r");
    expect(alert.title).toContain("https://reg.example");
    // The step again for the same run, and a third sighting: no second alert.
    await joinIssueGroups(prisma, back, STORED_ONLY_ALERTS);
    await endedRun("reg", [{ code, subject: "/r" }]);
    expect(await regressionAlerts()).toBe(before + 1);
    expect((await listIssueGroups(prisma, { targetKey: "reg", tab: "regressions" })).items.map((i) => i.id)).toEqual([group.id]);

    // Resolved by an admin, then seen again: a second regression, one more alert.
    await setIssueState(prisma, group.id, admin, stateChangeSchema().parse({ state: "resolved" }));
    clock = Date.now(); // runs from now on: after the admin resolved it
    expect((await groupOf("reg", code, "/r")).regressedAt).toBeNull();
    await endedRun("reg", [{ code, subject: "/r" }]);
    expect(await groupOf("reg", code, "/r")).toMatchObject({ state: "open", regressions: 2 });
    expect(await regressionAlerts()).toBe(before + 2);
  });

  it("ignored stays ignored when seen again (counts go up); state changes are audited with the admin", async () => {
    await endedRun("ign", [{ code: "net.tls" }]);
    const group = await groupOf("ign", "net.tls");
    await setIssueState(prisma, group.id, admin, stateChangeSchema().parse({ state: "ignored", reason: "staging has a self-signed certificate" }));
    await endedRun("ign", [{ code: "net.tls" }]);
    await endedRun("ign", [], { ran: ["net.tls"] }); // not seen: an ignored group is not resolved either
    expect(await groupOf("ign", "net.tls")).toMatchObject({ state: "ignored", runCount: 2, ignoredReason: "staging has a self-signed certificate", stateByEmail: admin.email });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "issue.state", targetId: group.id } });
    expect(audit).toMatchObject({ actorEmail: admin.email, detail: { from: "open", to: "ignored", reason: "staging has a self-signed certificate" } });
    expect(await setIssueState(prisma, "no-such-issue", admin, { state: "open" })).toBeNull();
  });
});
