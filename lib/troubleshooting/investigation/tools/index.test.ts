// The registry as the model is offered it: eight tools with unique snake_case names, a
// description each, and strict argument schemas whose every field is described.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { INVESTIGATION_TOOLS } from "./index";
import { statementTimeoutMs } from "./read-only";

describe("the investigation tools", () => {
  it("are the contract's eight, each with strict, described arguments", () => {
    expect(INVESTIGATION_TOOLS.map((t) => t.name)).toEqual(["issue_evidence", "query_plan", "session_activity", "table_stats", "platform_logs", "run_logs", "fetch_page", "recent_deploys"]);
    for (const tool of INVESTIGATION_TOOLS) {
      expect(tool.description.length, tool.name).toBeGreaterThan(60);
      const schema = z.toJSONSchema(tool.args) as { type: string; additionalProperties: boolean; properties: Record<string, { description?: string }> };
      expect(schema.type, tool.name).toBe("object");
      expect(schema.additionalProperties, tool.name).toBe(false);
      for (const [field, property] of Object.entries(schema.properties)) expect(property.description, `${tool.name}.${field}`).toBeTruthy();
    }
  });

  it("keep a statement's timeout under what is left of the call's time", () => {
    expect(statementTimeoutMs(undefined)).toBe(3_000);
    expect(statementTimeoutMs(10_000 + 60_000, 10_000)).toBe(3_000);
    expect(statementTimeoutMs(10_000 + 1_000, 10_000)).toBe(900);
    expect(statementTimeoutMs(10_000, 10_000)).toBe(50);
  });
});
