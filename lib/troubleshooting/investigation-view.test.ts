// How an investigation reads on the page, in the export and the CLI, and how the page follows it
// from the event stream (replayed events once, malformed payloads ignored).
import { describe, expect, it } from "vitest";
import { followInvestigation } from "../ui/components/run/investigation-events";
import { investigationRecord } from "../../fixtures/test/investigation-record";
import { NO_LIVE_INVESTIGATION, costText, investigationStatusText, mergeToolCalls, resultText, toolCallOutcome } from "./investigation-view";

describe("investigation in words", () => {
  it("says how it ended", () => {
    expect(investigationStatusText({ status: "completed" })).toBe("Concluded");
    expect(investigationStatusText({ status: "budget_exhausted", reason: "tool-call budget spent (12 calls)" })).toBe("Stopped: tool-call budget spent (12 calls)");
    expect(investigationStatusText({ status: "not_run", reason: "no OPENAI_API_KEY: no AI investigation" })).toBe("Not run: no OPENAI_API_KEY: no AI investigation");
    expect(investigationStatusText({ status: "failed", reason: "the model answered 500" })).toBe("Failed: the model answered 500");
  });

  it("gives the cost on one line and each call's outcome", () => {
    const record = investigationRecord("i1");
    expect(costText(record.cost)).toBe("3 model calls · 2 tool calls · 1,234 tokens in / 56 out · 2.4 s");
    expect(costText({ modelCalls: 1, toolCalls: 1, inputTokens: 5, outputTokens: 1, durationMs: 40 })).toBe("1 model call · 1 tool call · 5 tokens in / 1 out · 40 ms");
    expect(record.toolCalls.map(toolCallOutcome)).toEqual(["ok", "refused (not an offered tool): shell|exec is not one of the offered tools"]);
    expect(toolCallOutcome({ status: "error", reason: "timed out after 5000 ms" })).toBe("error: timed out after 5000 ms");
    expect(resultText('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(resultText('{"a":"trunc…')).toBe('{"a":"trunc…'); // truncated: as recorded
  });
});

describe("following the investigation's events", () => {
  const [t1, t2] = investigationRecord("i1").toolCalls;
  it("adds each call once, in order, and keeps the record it ended with", () => {
    let live = followInvestigation(NO_LIVE_INVESTIGATION, "investigation_started", { issueIds: ["i1"], model: "m", tools: ["issue_evidence"] });
    live = followInvestigation(live, "investigation_tool_call", t1);
    live = followInvestigation(live, "investigation_tool_call", t1); // replayed after a reconnect
    live = followInvestigation(live, "investigation_tool_call", { id: "T9" }); // not a call record
    live = followInvestigation(live, "investigation_tool_call", t2);
    expect(live.started).toEqual({ issueIds: ["i1"], model: "m", tools: ["issue_evidence"] });
    expect(live.calls.map((c) => c.id)).toEqual(["T1", "T2"]);
    live = followInvestigation(live, "investigation_completed", investigationRecord("i1"));
    expect(live.completed?.status).toBe("completed");
    expect(mergeToolCalls([t1!], live.calls).map((c) => c.id)).toEqual(["T1", "T2"]);
  });
});
