import { describe, expect, it, vi } from "vitest";
import { openUrlPassword, sealUrlPassword } from "./job-secrets";

describe("queued job secrets", () => {
  it("keeps a database URL's password only sealed, and gives it back whole", () => {
    const url = "postgresql://diag:p%40ss%3Aw0rd@db.example.com:5432/shop";
    const { url: bare, sealedPassword } = sealUrlPassword(url);
    expect(bare).toBe("postgresql://diag@db.example.com:5432/shop");
    expect(sealedPassword).not.toContain("w0rd");
    expect(openUrlPassword(bare, sealedPassword)).toBe(url);
    expect(sealUrlPassword("postgresql://diag@db/shop")).toEqual({ url: "postgresql://diag@db/shop" });
  });

  it("cannot be opened with another AUTH_SECRET", async () => {
    const { url, sealedPassword } = sealUrlPassword("postgresql://u:secret@db/x");
    vi.resetModules();
    vi.stubEnv("AUTH_SECRET", "another-auth-secret-".repeat(2));
    const other = await import("./job-secrets");
    expect(() => other.openUrlPassword(url, sealedPassword)).toThrow(/another AUTH_SECRET/);
    vi.unstubAllEnvs();
  });
});
