// The scheduler's order on shared subjects: readers of one key overlap, a writer waits for every
// reader started before it, and readers after a writer wait for it. Order is observed through
// the work's own start and end marks, not wall-clock limits.
import { describe, expect, it } from "vitest";
import { readsOnly, runBySubject, subjectsOf } from "./subjects";

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("runBySubject", () => {
  it("overlaps readers of one URL and keeps a writer apart from them", async () => {
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    const key = subjectsOf("web.warm_cache", { url: "https://example.com/" });
    expect(key).toEqual(["url:https://example.com/"]);
    await runBySubject(
      [
        { keys: key, shared: true, run: job("read1") },
        { keys: key, shared: true, run: job("read2") },
        { keys: key, run: job("write") },
        { keys: key, shared: true, run: job("read3") },
      ],
      4,
    );
    expect(log).toEqual(["start read1", "start read2", "end read1", "end read2", "start write", "end write", "start read3", "end read3"]);
  });

  it("counts only GET-only actions as readers", () => {
    expect(readsOnly("web.warm_cache")).toBe(true);
    expect(readsOnly("net.reprobe_transient")).toBe(true);
    expect(readsOnly("db.vacuum_table")).toBe(false);
    expect(readsOnly("web.revalidate_paths")).toBe(false);
  });
});
