import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { OwnTimeExceeded, type Paused, withOwnTimeLimit } from "./resilience";
import { httpGet } from "./http";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { assertProbeAllowed, isBlockedAddress } from "./address-policy";
import { redactDatabaseUrl, redactQuery, withDatabase } from "./database";

describe("address policy", () => {
  it("refuses link-local and metadata addresses in every notation, and allows loopback and private ranges", () => {
    for (const ip of ["169.254.169.254", "169.254.1.1", "100.100.100.200", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "64:ff9b::a9fe:a9fe", "fe80::1", "fd00:ec2::254", "0.0.0.0"]) {
      expect(isBlockedAddress(ip), ip).toBe(true);
    }
    for (const ip of ["127.0.0.1", "10.0.0.5", "192.168.1.10", "::1", "::ffff:127.0.0.1", "2001:db8::1"]) {
      expect(isBlockedAddress(ip), ip).toBe(false);
    }
  });

  it("checks what URL parsing turns the host into", async () => {
    await expect(assertProbeAllowed(new URL("http://[::ffff:169.254.169.254]/latest/meta-data"))).rejects.toThrow(/refused to probe/);
    await expect(assertProbeAllowed(new URL("http://169.254.169.254/"))).rejects.toThrow(/refused to probe/);
    await expect(assertProbeAllowed(new URL("http://127.0.0.1:3000/"))).resolves.toBeUndefined();
  });

  it("opens diagnostic sessions read-only", async () => {
    const url = await createTestDatabase({ migrate: false });
    await expect(withDatabase(url, AbortSignal.timeout(5_000), "read-only", (c) => c.query("CREATE TABLE sneaky (id int)"))).rejects.toThrow(/read-only transaction/);
  });

  it("refuses database URLs that move the host into the query string", async () => {
    const signal = new AbortController().signal;
    await expect(withDatabase("postgresql://u:p@127.0.0.1/db?host=169.254.169.254", signal, "read-only", async () => 1)).rejects.toThrow(/host given in the query string/);
  });
});

describe("HTTP probe", () => {
  it("does not forward credentials when a redirect leaves the origin", async () => {
    const seen: (string | undefined)[] = [];
    const other = http.createServer((req, res) => void (seen.push(req.headers.authorization), res.end("ok")));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const first = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: `http://127.0.0.1:${(other.address() as AddressInfo).port}/elsewhere` }).end();
    });
    await new Promise<void>((resolve) => first.listen(0, "127.0.0.1", resolve));
    try {
      const res = await httpGet(`http://127.0.0.1:${(first.address() as AddressInfo).port}/`, AbortSignal.timeout(5_000), { headers: { authorization: "Bearer s3cret" } });
      expect(res.status).toBe(200);
      expect(seen).toEqual(["Bearer s3cret", undefined]);
    } finally {
      first.close();
      other.close();
    }
  });
});

describe("redaction", () => {
  it("strips literals from query text, including escaped and truncated ones", () => {
    expect(redactQuery("SELECT * FROM users WHERE email = 'a@b.c' AND id = 42 AND note = $1")).toBe("SELECT * FROM users WHERE email = ? AND id = ? AND note = $1");
    expect(redactQuery("UPDATE t SET s = E'it\\'s secret' WHERE k = 'x'")).toBe("UPDATE t SET s = E? WHERE k = ?");
    expect(redactQuery("INSERT INTO keys VALUES ('sk-live-SECRET-cut-off-by-track_activity_query_size")).toBe("INSERT INTO keys VALUES (?");
    expect(redactQuery("SELECT $tag$secret body$tag$, table2.col FROM table2")).toBe("SELECT ?, table2.col FROM table2");
  });

  it("hides the password of a database URL", () => {
    expect(redactDatabaseUrl("postgresql://app:hunter2@db.example.com:5432/prod?sslmode=require")).toBe("postgresql://app:***@db.example.com:5432/prod");
  });
});

describe("own time limit", () => {
  const never = new AbortController().signal;

  it("adds up the work's own time on both sides of a wait, and leaves the wait out", async () => {
    const waitThenWork = (before: number, after: number) => (signal: AbortSignal, paused: Paused) =>
      (async () => {
        await sleep(before, undefined, { signal });
        await paused(sleep(300));
        await sleep(after, undefined, { signal });
        return "done";
      })();
    await expect(withOwnTimeLimit(150, never, waitThenWork(40, 40))).resolves.toBe("done");
    await expect(withOwnTimeLimit(150, never, waitThenWork(100, 100))).rejects.toThrow(new OwnTimeExceeded(150));
  });

  it("ends with the parent's reason when the parent aborts", async () => {
    const parent = new AbortController();
    setTimeout(() => parent.abort(new Error("run cancelled")), 50);
    await expect(withOwnTimeLimit(10_000, parent.signal, (_signal, paused) => paused(sleep(5_000)))).rejects.toThrow("run cancelled");
  });
});
