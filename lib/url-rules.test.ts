import { describe, expect, it } from "vitest";
import { hideUrlPasswords, isPathOnOrigin, isPostgresUrl, isSiteUrl } from "./url-rules";

describe("url rules", () => {
  it("a site URL carries no credentials", () => {
    expect(isSiteUrl("https://shop.example/x")).toBe(true);
    expect(isSiteUrl("http://127.0.0.1:3000")).toBe(true);
    expect(isSiteUrl("http://user:secret@127.0.0.1:3000")).toBe(false);
    expect(isSiteUrl("http://user@127.0.0.1:3000")).toBe(false);
    expect(isSiteUrl("ftp://x")).toBe(false);
  });

  it("a database URL has a host (or a socket folder) and a port in range", () => {
    expect(isPostgresUrl("postgresql://u:p@127.0.0.1:5432/x")).toBe(true);
    expect(isPostgresUrl("postgres:///db?host=/var/run/postgresql")).toBe(true);
    expect(isPostgresUrl("postgresql://u:p@127.0.0.1:99999/x")).toBe(false);
    expect(isPostgresUrl("postgresql://u:p@/x")).toBe(false);
    expect(isPostgresUrl("postgresql://")).toBe(false);
    expect(isPostgresUrl("postgresql://u:p@127.0.0.1:5432/db?port=99999")).toBe(false);
    expect(isPostgresUrl("postgresql://u:p@127.0.0.1/db?port=5433")).toBe(true);
    expect(isPostgresUrl("postgres:///db?host=")).toBe(false);
    expect(isPostgresUrl("mysql://u@h/x")).toBe(false);
  });

  it("a path stays on the base URL's origin", () => {
    expect(isPathOnOrigin("/api/health")).toBe(true);
    expect(isPathOnOrigin("/api/x?y=//z")).toBe(true);
    expect(isPathOnOrigin("//other.example/api")).toBe(false);
    expect(isPathOnOrigin("/\\other.example/api")).toBe(false);
    expect(isPathOnOrigin("api/x")).toBe(false);
  });

  it("a quoted value keeps no password, however malformed its URL", () => {
    for (const value of ["postgresql://u:SEKRIT@h/db", "u:SEKRIT@h/db", "postgresql:/u:SEKRIT@h/db", "http://admin:SEKRIT@127.0.0.1/api"]) {
      expect(hideUrlPasswords(JSON.stringify(value))).not.toContain("SEKRIT");
    }
    expect(hideUrlPasswords('"http://user:SEKRIT@h:8080/x"')).toBe('"http://user:***@h:8080/x"');
    expect(hideUrlPasswords('{"email":"ops@example.com"}')).toBe('{"email":"ops@example.com"}');
  });
});
