// Blocking trees from pg_blocking_pids() lists: roots first, fan-out, several blockers, cycles.
import { describe, expect, it } from "vitest";
import { blockingChains } from "./live-database";

const s = (pid: number, ...blockedBy: number[]) => ({ pid, blockedBy });

describe("blockingChains", () => {
  it("puts the root blocker first, with whom it blocks and whom they block", () => {
    expect(blockingChains([s(1), s(2, 1), s(3, 2), s(4, 1), s(5)])).toEqual([
      { pid: 1, blocks: [{ pid: 2, blocks: [{ pid: 3, blocks: [] }] }, { pid: 4, blocks: [] }] },
    ]);
  });

  it("shows a session blocked by two under both roots", () => {
    expect(blockingChains([s(1), s(2), s(3, 1, 2)])).toEqual([
      { pid: 1, blocks: [{ pid: 3, blocks: [] }] },
      { pid: 2, blocks: [{ pid: 3, blocks: [] }] },
    ]);
  });

  it("still shows a cycle (a deadlock not yet broken), each pid once per path", () => {
    expect(blockingChains([s(1, 2), s(2, 1)])).toEqual([{ pid: 2, blocks: [{ pid: 1, blocks: [] }] }]);
  });

  it("is empty when nobody waits", () => {
    expect(blockingChains([s(1), s(2)])).toEqual([]);
  });
});
