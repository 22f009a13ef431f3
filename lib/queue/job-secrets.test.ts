import { describe, expect, it } from "vitest";
import { openUrlPassword, sealUrlPassword } from "./job-secrets";

const SECRET = "queued-job-test-secret-".repeat(2);

describe("queued job secrets", () => {
  it("keeps a database URL's password only sealed, and gives it back whole", () => {
    const url = "postgresql://diag:p%40ss%3Aw0rd@db.example.com:5432/shop";
    const { url: bare, sealedPassword } = sealUrlPassword(url, SECRET);
    expect(bare).toBe("postgresql://diag@db.example.com:5432/shop");
    expect(sealedPassword).not.toContain("w0rd");
    expect(openUrlPassword(bare, sealedPassword, SECRET)).toBe(url);
    expect(sealUrlPassword("postgresql://diag@db/shop", SECRET)).toEqual({ url: "postgresql://diag@db/shop" });
  });

  it("cannot be opened with another secret", () => {
    const { url, sealedPassword } = sealUrlPassword("postgresql://u:secret@db/x", SECRET);
    expect(() => openUrlPassword(url, sealedPassword, "another-auth-secret-".repeat(2))).toThrow(/another AUTH_SECRET/);
  });
});
