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
    for (const value of ['x"; touch /tmp/p; echo "', "it's $(id) `id`", "20261201000000_add_orders", ""]) {
      const echoed = execFileSync("sh", ["-c", `printf '%s' ${shellArgument(value)}`], { encoding: "utf8" });
      expect(echoed).toBe(value);
    }
    expect(shellArgument("20261201000000_add_orders")).toBe("20261201000000_add_orders");
  });
});
