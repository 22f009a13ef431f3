import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { correlationIdOf, withLogContext } from "./log-context";
import { createLogger } from "./logger";

describe("logger", () => {
  it("writes JSON lines with no secret in them, whatever field or text they hide in", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(chunk.toString()), done()) });
    const log = createLogger({ level: "debug", destination: sink }).child({ runId: "run-1", correlationId: "req-9" });
    const secrets = ["hunter2-db-pw", "sk-live-1234567890abcdef", "eyJhbGciOi.session.value", "bearer-token-42", "revalidate-s3cret", "cookie-value-7"];
    log.error({ databaseUrl: "postgresql://app:hunter2-db-pw@db:5432/prod", headers: { authorization: "Bearer bearer-token-42", cookie: "authjs.session-token=cookie-value-7" } }, "connect failed");
    log.warn({ detail: "called https://example.com/api/revalidate?secret=revalidate-s3cret" }, "OpenAI key sk-live-1234567890abcdef rejected");
    log.info({ nested: { token: "eyJhbGciOi.session.value", note: "postgres://u:hunter2-db-pw@h/db" } }, "nested");
    log.info(`raw message with Authorization: Bearer bearer-token-42 and authjs.session-token=cookie-value-7`);
    const written = lines.join("");
    for (const secret of secrets) expect(written, secret).not.toContain(secret);
    const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 50, msg: "connect failed", runId: "run-1", correlationId: "req-9", databaseUrl: "[redacted]" });
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("secret=***");
    expect(lines[2]).toContain("postgres://u:***@h/db");
  });
});

describe("log context", () => {
  it("stamps every line with the correlation id of its request and the id of its run, through awaits", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
    const log = createLogger({ level: "info", destination: sink });
    await withLogContext({ correlationId: "req-1" }, async () => {
      log.info("in the request");
      await new Promise((r) => setTimeout(r, 5));
      await withLogContext({ runId: "run-7" }, async () => log.info("in the run"));
    });
    log.info("outside");
    expect(lines.map((l) => [l.msg, l.correlationId, l.runId])).toEqual([
      ["in the request", "req-1", undefined],
      ["in the run", "req-1", "run-7"],
      ["outside", undefined, undefined],
    ]);
  });

  it("takes a sane X-Request-ID from the caller and makes one up otherwise", () => {
    const req = (id?: string) => new Request("http://x/", { headers: id ? { "x-request-id": id } : {} });
    expect(correlationIdOf(req("edge-abc.123"))).toBe("edge-abc.123");
    expect(correlationIdOf(req("bad id with spaces"))).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdOf(req())).toMatch(/^[0-9a-f-]{36}$/);
  });
});
