import { describe, expect, it } from "vitest";
import { SealError, open, seal } from "./seal";

describe("seal", () => {
  const secret = "s".repeat(32);

  it("opens what it sealed, for the same secret and purpose only", () => {
    const sealed = seal("p@ss:wörd", secret, "target-secrets");
    expect(sealed).not.toContain("p@ss");
    expect(open(sealed, secret, "target-secrets")).toBe("p@ss:wörd");
    expect(() => open(sealed, secret, "alert-channel-url")).toThrow(SealError);
    expect(() => open(sealed, "t".repeat(32), "target-secrets")).toThrow(/another AUTH_SECRET/);
  });

  it("refuses a malformed or altered value without echoing it", () => {
    expect(() => open("not-sealed", secret, "queued-job")).toThrow(new SealError("malformed"));
    const [iv, data, tag] = seal("hunter2", secret, "queued-job").split(".");
    const altered = [iv, `${data}A`, tag].join(".");
    expect(() => open(altered, secret, "queued-job")).toThrow(/another AUTH_SECRET, or altered/);
  });
});
