import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
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
