// The approval prompt: y approves, anything else rejects, and Ctrl-C or the end of the input stops
// asking without deciding. Node 20's readline leaves a question pending for ever when its interface
// closes; a CLI awaiting it drained its event loop and exited 0, printing nothing.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type PendingFix, askDecisions } from "./prompt";

const FIXES: PendingFix[] = [
  { id: "a1", code: "db.cancel_query", detail: "SELECT pg_cancel_backend(42)" },
  { id: "a2", code: "db.analyze_table", detail: "ANALYZE public.orders" },
];

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk: Buffer) => (shown += String(chunk)));
  // Types a line once the question for `code` is on screen.
  const answer = async (code: string, keys: string) => {
    await expect.poll(() => shown.includes(`Approve ${code}?`)).toBe(true);
    input.write(keys);
  };
  return { io: { input, output, terminal: true }, input, answer, shown: () => shown };
}

describe("the approval prompt", () => {
  it("records y as approve and anything else as reject, and tells whether the run can resume", async () => {
    const t = terminal();
    const decided: [string, string][] = [];
    const asking = askDecisions(FIXES, t.io, async (fix, decision) => (decided.push([fix.id, decision]), fix.id === "a2"), async () => {});
    await t.answer("db.cancel_query", "y\r");
    await t.answer("db.analyze_table", "no\r");
    expect(await asking).toBe(true);
    expect(decided).toEqual([["a1", "approve"], ["a2", "reject"]]);
    expect(t.shown()).toContain("SELECT pg_cancel_backend(42)");
  });

  it("Ctrl-C decides nothing more, cancels the run and returns once it is cancelled", async () => {
    const t = terminal();
    const decided: string[] = [];
    let cancelled = false;
    const asking = askDecisions(FIXES, t.io, async (fix) => (decided.push(fix.id), false), async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      cancelled = true;
    });
    await t.answer("db.cancel_query", "\x03");
    expect(await asking).toBe(false);
    expect(cancelled).toBe(true);
    expect(decided).toEqual([]);
  });

  it("the end of the input leaves the fix undecided, and the run waiting", async () => {
    const t = terminal();
    const decided: string[] = [];
    const asking = askDecisions(FIXES, t.io, async (fix) => (decided.push(fix.id), false), async () => {});
    await t.answer("db.cancel_query", "y\r");
    await expect.poll(() => t.shown().includes("Approve db.analyze_table?")).toBe(true);
    t.input.end();
    expect(await asking).toBe(false);
    expect(decided).toEqual(["a1"]);
  });
});
