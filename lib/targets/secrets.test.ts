import { describe, expect, it } from "vitest";
import { openTargetSecrets, sealTargetSecrets, secretsPresence } from "./secrets";

describe("target secrets", () => {
  it("seal and open with the same secret; the sealed value carries none of the plain text", () => {
    const sealed = sealTargetSecrets({ databasePassword: "p@ss:w/rd", bearerToken: "tok-123" }, "s".repeat(32));
    expect(sealed).not.toBeNull();
    expect(sealed).not.toContain("p@ss");
    expect(sealed).not.toContain("tok-123");
    expect(openTargetSecrets(sealed, "s".repeat(32))).toEqual({ databasePassword: "p@ss:w/rd", bearerToken: "tok-123" });
    expect(secretsPresence(openTargetSecrets(sealed, "s".repeat(32)))).toEqual({ databasePassword: true, sessionCookie: false, bearerToken: true, vercelToken: false });
  });

  it("refuses another secret without echoing the value, and seals nothing when there is nothing", () => {
    const sealed = sealTargetSecrets({ databasePassword: "hunter2" }, "a".repeat(32));
    expect(() => openTargetSecrets(sealed, "b".repeat(32))).toThrow(/another AUTH_SECRET/);
    expect(sealTargetSecrets({ databasePassword: "" }, "a".repeat(32))).toBeNull();
    expect(openTargetSecrets(null, "a".repeat(32))).toEqual({});
  });
});
