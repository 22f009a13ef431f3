// Read models of issues across runs: the list (per target and tab, keyset-paginated by last seen)
// and one issue with the runs that saw it (paginated by time).
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import type { PrismaClient } from "../db";
import { type IssueState, effectiveState } from "./states";

/** The list's tabs: open (with acknowledged, and snoozes that ran out), snoozed (until a time to
 * come), ignored, resolved, and regressions (came back after being resolved, not resolved since). */
export const ISSUE_TABS = ["open", "snoozed", "ignored", "resolved", "regressions"] as const;
export type IssueTab = (typeof ISSUE_TABS)[number];

export const PAGE_SIZE = 50;

/** An opaque position in a list ordered newest first: base64url of "<ISO time>|<id>". */
export const cursorSchema = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const [at, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
    const time = at ? new Date(at) : null;
    if (!time || Number.isNaN(time.getTime()) || !id) {
      ctx.addIssue({ code: "custom", message: "not a cursor this list gave" });
      return z.NEVER;
    }
    return { at: time, id };
  });
export type Cursor = z.output<typeof cursorSchema>;
export const cursorOf = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`, "utf8").toString("base64url");

export interface IssueListItem {
  id: string;
  targetKey: string;
  code: string;
  subject: string;
  domain: string;
  severity: string;
  title: string;
  firstSeenAt: string;
  lastSeenAt: string;
  runCount: number;
  /** As it reads now (a snooze that ran out reads open). */
  state: IssueState;
  regression: boolean;
  snoozedUntil: string | null;
}

/** The issues a tab lists, as of `now` (a snooze that ran out is open again). */
export function tabWhere(tab: IssueTab, now: Date): Prisma.IssueGroupWhereInput {
  switch (tab) {
    case "open":
      return { OR: [{ state: { in: ["open", "acknowledged"] } }, { state: "snoozed", OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }] }] };
    case "snoozed":
      return { state: "snoozed", snoozedUntil: { gt: now } };
    case "regressions":
      return { regressedAt: { not: null }, state: { not: "resolved" } };
    default:
      return { state: tab };
  }
}

const listSelect = {
  id: true, targetKey: true, code: true, subject: true, domain: true, severity: true, title: true, firstSeenAt: true, lastSeenAt: true,
  runCount: true, state: true, regressedAt: true, snoozedUntil: true,
} satisfies Prisma.IssueGroupSelect;

function toItem(g: Prisma.IssueGroupGetPayload<{ select: typeof listSelect }>, now: Date): IssueListItem {
  const state = effectiveState(g.state, g.snoozedUntil, now);
  return {
    id: g.id, targetKey: g.targetKey, code: g.code, subject: g.subject, domain: g.domain, severity: g.severity, title: g.title,
    firstSeenAt: g.firstSeenAt.toISOString(), lastSeenAt: g.lastSeenAt.toISOString(), runCount: g.runCount, state,
    regression: g.regressedAt !== null && state !== "resolved",
    snoozedUntil: state === "snoozed" && g.snoozedUntil ? g.snoozedUntil.toISOString() : null,
  };
}

/** One page of a tab, most recently seen first. `targetKey`: one target's (null: all targets). */
export async function listIssueGroups(
  prisma: PrismaClient,
  options: { targetKey: string | null; tab: IssueTab; cursor?: Cursor | null; limit?: number; now?: Date },
): Promise<{ items: IssueListItem[]; nextCursor: string | null }> {
  const now = options.now ?? new Date();
  const limit = Math.min(Math.max(options.limit ?? PAGE_SIZE, 1), 200);
  const after: Prisma.IssueGroupWhereInput = options.cursor
    ? { OR: [{ lastSeenAt: { lt: options.cursor.at } }, { lastSeenAt: options.cursor.at, id: { lt: options.cursor.id } }] }
    : {};
  const rows = await prisma.issueGroup.findMany({
    where: { AND: [options.targetKey === null ? {} : { targetKey: options.targetKey }, tabWhere(options.tab, now), after] },
    orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: listSelect,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map((g) => toItem(g, now)), nextCursor: rows.length > limit && last ? cursorOf(last.lastSeenAt, last.id) : null };
}

export interface IssueSighting {
  issueId: string;
  runId: string;
  runStartedAt: string;
  runStatus: string;
  at: string;
  severity: string;
  /** The finding's status in its run (open, resolved by a fix, unresolved, acknowledged). */
  status: string;
}

export interface IssueDetail extends IssueListItem {
  firstRunId: string;
  lastRunId: string;
  regressedAt: string | null;
  regressions: number;
  ignoredReason: string | null;
  stateBy: string | null;
  stateAt: string | null;
  firstBuildId: string | null;
  previousBuildId: string | null;
  /** "first seen after deploy <build id>": both builds known and different. */
  sinceDeploy: string | null;
  sightings: IssueSighting[];
  nextCursor: string | null;
}

/** One issue with a page of its sightings (newest first); null when there is no such issue. */
export async function getIssueGroup(prisma: PrismaClient, id: string, options: { cursor?: Cursor | null; limit?: number; now?: Date } = {}): Promise<IssueDetail | null> {
  const now = options.now ?? new Date();
  const limit = Math.min(Math.max(options.limit ?? PAGE_SIZE, 1), 200);
  const group = await prisma.issueGroup.findUnique({
    where: { id },
    select: { ...listSelect, firstRunId: true, lastRunId: true, regressions: true, ignoredReason: true, stateByEmail: true, stateAt: true, firstBuildId: true, previousBuildId: true },
  });
  if (!group) return null;
  const after: Prisma.IssueWhereInput = options.cursor
    ? { OR: [{ createdAt: { lt: options.cursor.at } }, { createdAt: options.cursor.at, id: { lt: options.cursor.id } }] }
    : {};
  const rows = await prisma.issue.findMany({
    where: { AND: [{ groupId: id }, after] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, runId: true, createdAt: true, severity: true, status: true, run: { select: { startedAt: true, status: true } } },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const item = toItem(group, now);
  const deployed = group.firstBuildId && group.previousBuildId && group.firstBuildId !== group.previousBuildId;
  return {
    ...item,
    firstRunId: group.firstRunId,
    lastRunId: group.lastRunId,
    regressedAt: item.regression && group.regressedAt ? group.regressedAt.toISOString() : null,
    regressions: group.regressions,
    ignoredReason: item.state === "ignored" ? group.ignoredReason : null,
    stateBy: group.stateByEmail,
    stateAt: group.stateAt?.toISOString() ?? null,
    firstBuildId: group.firstBuildId,
    previousBuildId: group.previousBuildId,
    sinceDeploy: deployed ? group.firstBuildId : null,
    sightings: page.map((s) => ({
      issueId: s.id, runId: s.runId, runStartedAt: s.run.startedAt.toISOString(), runStatus: s.run.status, at: s.createdAt.toISOString(), severity: s.severity, status: s.status,
    })),
    nextCursor: rows.length > limit && last ? cursorOf(last.createdAt, last.id) : null,
  };
}
