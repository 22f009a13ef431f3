// The per-run redactor: every secret in reach, in each form it may take, replaced before a
// prompt or a record carries it; results cut to 4,000 characters of JSON.
import { describe, expect, it } from "vitest";
import { MAX_RESULT_CHARS, TRUNCATED, createRedactor, redactedJson, secretsInReach } from "./redaction";

const redactor = createRedactor(secretsInReach({
  databaseUrl: "postgresql://app_user:p%40ss-SECRET@db.internal:5432/shop",
  credentials: { origin: "https://shop.example", cookie: "session=ck-SECRET-1; theme=dark", bearer: "bt-SECRET-2" },
  integrations: {
    revalidate: { url: "https://shop.example/api/revalidate", secret: "rv-SECRET-3" },
    deployHook: { url: "https://api.vercel.com/v1/integrations/deploy/prj_1/hk-SECRET-4" },
    vercel: { apiUrl: "https://api.vercel.com", token: "vt-SECRET-5", projectId: "prj_1" },
  },
}));

describe("createRedactor", () => {
  it("hides the database password (encoded or not) and user-info, the cookie, the bearer and the platform secrets", () => {
    const text = [
      "postgresql://app_user:p%40ss-SECRET@db.internal:5432/shop",
      "password p@ss-SECRET",
      "Cookie: session=ck-SECRET-1; theme=dark",
      "value ck-SECRET-1 alone, theme dark",
      "Authorization: Bearer bt-SECRET-2",
      "token bt-SECRET-2",
      "?secret=rv-SECRET-3 rv-SECRET-3",
      "hook /v1/integrations/deploy/prj_1/hk-SECRET-4",
      "vercel vt-SECRET-5",
      "openai sk-abcdefghijklmnop",
    ].join("\n");
    const out = redactor.text(text);
    expect(out).not.toMatch(/SECRET|sk-abcdefghijklmnop/);
    expect(out).toContain("db.internal:5432/shop"); // what is not secret stays
    expect(out).toContain("Cookie: ***\n"); // the whole cookie
    expect(out).toContain("theme dark"); // a short cookie value is no secret
  });

  it("redacts every string of a value, keys included, and carries Dates as JSON does", () => {
    const when = new Date("2026-01-01T00:00:00Z");
    expect(redactor.value({ nested: [{ "bt-SECRET-2": "x ck-SECRET-1 y" }], when, n: 3, gone: undefined })).toEqual({ nested: [{ "***": "x *** y" }], when: "2026-01-01T00:00:00.000Z", n: 3 });
    expect(redactor.value(undefined)).toBeNull();
  });

  it("ignores secrets too short to replace safely (scrub still hides URL passwords)", () => {
    const short = createRedactor(secretsInReach({ databaseUrl: "postgresql://u:pw@h/db" }));
    expect(short.text("postgresql://u:pw@h/db and pwd")).toBe("postgresql://***@h/db and pwd"); // "u:pw" is long enough
  });
});

describe("redactedJson", () => {
  it("keeps a small result as JSON and cuts a large one at 4,000 characters", () => {
    expect(redactedJson({ a: "vt-SECRET-5" }, redactor)).toEqual({ text: '{"a":"***"}', truncated: false });
    const big = redactedJson({ rows: "x".repeat(10_000) }, redactor);
    expect(big.truncated).toBe(true);
    expect(big.text).toHaveLength(MAX_RESULT_CHARS + TRUNCATED.length);
    expect(big.text.endsWith(TRUNCATED)).toBe(true);
  });
});
