import { getEventListeners } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeHttpError } from "../probes/http";
import { HUNG_LOOK_MS, createFetcher } from "./fetcher";

// A real collection, as happens under load: Node 20 loses AbortSignal.timeout() inside
// AbortSignal.any() once one has run (nodejs/node#57736).
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer(() => {}); // never answers
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hangs`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("fetcher request timeout", () => {
  it("fires its own timeout under garbage collection, not the bot's deadline, and leaves no listener behind", async () => {
    const bot = new AbortController();
    // The bot's deadline, long after the request's own: whichever aborted the request is named.
    const deadline = setTimeout(() => bot.abort(new Error("the bot's deadline")), 20_000);
    const collecting = setInterval(gc, 50);
    try {
      const fetcher = createFetcher(bot.signal, null);
      const errors = await Promise.all([1, 2, 3].map(() => fetcher.get(url, { timeoutMs: 300, retry: false }).then(() => null, (err: unknown) => err)));
      for (const err of errors) {
        expect(describeHttpError(err)).toBe("timed out");
        expect((err as { cause?: Error }).cause?.name).toBe("TimeoutError");
      }
      expect(bot.signal.aborted).toBe(false);
      expect(getEventListeners(bot.signal, "abort")).toHaveLength(0);
    } finally {
      clearInterval(collecting);
      clearTimeout(deadline);
    }
  });

  it("still stops at once when the bot is cancelled", async () => {
    const bot = new AbortController();
    const request = createFetcher(bot.signal, null).get(url, { timeoutMs: 30_000, retry: false });
    setTimeout(() => bot.abort(new Error("cancelled")), 100);
    const err = await request.then(() => null, (e: unknown) => e);
    expect((err as { cause?: Error }).cause?.message).toBe("cancelled");
  });

  // Issue 18 item 7: the all-faults site's /api/auth/csrf never answers; sampling, the Auth.js
  // check and the exposure checks each waited their own 5 s for it.
  it("waits on a URL that hung once: the requests waiting for it end with it, later ones take one short look", async () => {
    const bot = new AbortController();
    const fetcher = createFetcher(bot.signal, null);
    const reason = (err: unknown) => (err as { cause?: Error }).cause?.message;
    const first = fetcher.get(url, { timeoutMs: 600, retry: false }).then(() => null, (err: unknown) => err);
    // Asked meanwhile, ready to wait as long: it ends when the first times out.
    const meanwhile = fetcher.get(url, { timeoutMs: 600, retry: false }).then(() => null, (err: unknown) => err);
    // Ready to wait longer: the first's timeout says nothing about what it would get.
    const patient = fetcher.get(url, { timeoutMs: 1_500, retry: false }).then(() => null, (err: unknown) => err);
    expect(reason(await first)).toBe("timed out after 600 ms");
    const second = await meanwhile;
    expect(describeHttpError(second)).toBe("timed out");
    expect(reason(second)).toBe("no answer within 600 ms to another request of this run");
    expect(reason(await patient)).toBe("timed out after 1500 ms");
    // Asked later, ready to wait no longer than it was waited for: one short look.
    const later = await fetcher.get(url, { timeoutMs: 1_500, retry: false }).then(() => null, (err: unknown) => err);
    expect(reason(later)).toBe(`timed out after ${HUNG_LOOK_MS} ms`);
    // Another URL of the same server keeps its own timeout, and another run's fetcher knows nothing.
    const other = await fetcher.get(url.replace("/hangs", "/other"), { timeoutMs: 200, retry: false }).then(() => null, (err: unknown) => err);
    expect(reason(other)).toBe("timed out after 200 ms");
    const fresh = await createFetcher(bot.signal, null).get(url, { timeoutMs: 1_500, retry: false }).then(() => null, (err: unknown) => err);
    expect(reason(fresh)).toBe("timed out after 1500 ms");
    expect(getEventListeners(bot.signal, "abort")).toHaveLength(0);
  });
});
