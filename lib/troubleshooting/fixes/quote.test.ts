import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellArgument, sqlIdentifier, sqlLiteral, sqlQualified } from "./quote";

describe("quoting for advice", () => {
  it("quotes SQL identifiers and literals so that a hostile name stays one name", () => {
    expect(sqlIdentifier('a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"');
    expect(sqlQualified("app", "Order")).toBe('"app"."Order"');
    expect(sqlLiteral("it's")).toBe("'it''s'");
  });

  it("makes one shell word of anything, as a real shell reads it", () => {
    for (const value of ['x"; touch /tmp/p; echo "', "it's $(id) `id`", "20261201000000_add_orders", "", "a\nb\x1b]0;t\x07 \\c %s '$(id)'\u009b"]) {
      const echoed = execFileSync("sh", ["-c", `printf '%s' ${shellArgument(value)}`], { encoding: "utf8" });
      expect(echoed).toBe(value);
    }
    expect(shellArgument("20261201000000_add_orders")).toBe("20261201000000_add_orders");
    // Control characters are written as escapes: the word stays on one line and shows no ESC.
    expect(shellArgument("a\nb\x1b")).toBe(`"$(printf '%b' 'a\\0012b\\0033')"`);
  });

  it("writes identifiers and literals with control characters as U& escapes, on one line", () => {
    expect(sqlIdentifier('t"\n\x1b[2J\\')).toBe('U&"t""\\000a\\001b[2J\\\\"');
    expect(sqlLiteral("it's\x07")).toBe("U&'it''s\\0007'");
  });
});
