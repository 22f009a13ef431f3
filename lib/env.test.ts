import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const valid = {
  DATABASE_URL: "postgresql://app:s3cret@db.example.com:5432/app",
  AUTH_SECRET: "x".repeat(32),
};

function problemsOf(source: Record<string, string | undefined>) {
  try {
    parseEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return err;
  }
  throw new Error("expected an EnvError");
}

describe("parseEnv", () => {
  it("rejects a malformed DATABASE_URL with a message naming it and not echoing the value", () => {
    const err = problemsOf({ ...valid, DATABASE_URL: "mysql://root:hunter2@localhost/app" });
    expect(err.problems).toEqual([{ variable: "DATABASE_URL", message: "must be a postgres:// or postgresql:// URL with a host" }]);
    expect(err.message).toContain("DATABASE_URL: must be a postgres://");
    expect(err.message).not.toContain("hunter2");
  });

  it("names every missing required variable", () => {
    const err = problemsOf({});
    expect(err.problems.map((p) => p.variable).sort()).toEqual(["AUTH_SECRET", "DATABASE_URL"]);
    expect(err.problems.every((p) => p.message === "is required")).toBe(true);
  });

  it("defaults the target to the app itself and accepts the original BV_STUDIOS_BASE_URL name", () => {
    const env = parseEnv({ ...valid, PORT: "4100" });
    expect(env.targetBaseUrl).toBe("http://localhost:4100");
    expect(env.targetDatabaseUrl).toBe(valid.DATABASE_URL);
    expect(parseEnv({ ...valid, BV_STUDIOS_BASE_URL: "https://studio.example.com/" }).targetBaseUrl).toBe(
      "https://studio.example.com",
    );
    expect(parseEnv({ ...valid, TARGET_BASE_URL: "https://a.example", BV_STUDIOS_BASE_URL: "https://b.example" }).targetBaseUrl).toBe(
      "https://a.example",
    );
  });

  it("treats empty strings as unset and rejects half-configured providers", () => {
    expect(parseEnv({ ...valid, OPENAI_API_KEY: "" }).llmEnabled).toBe(false);
    expect(problemsOf({ ...valid, AUTH_GITHUB_ID: "abc" }).problems[0]?.variable).toBe("AUTH_GITHUB_SECRET");
    expect(problemsOf({ ...valid, LOG_LEVEL: "loud" }).problems[0]?.variable).toBe("LOG_LEVEL");
    expect(problemsOf({ ...valid, PORT: "abc" }).problems[0]).toEqual({ variable: "PORT", message: expect.not.stringMatching(/required/) });
  });

  it("takes the staleness window of runs in seconds, 60 by default, never below 5", () => {
    expect(parseEnv(valid).RUN_STALE_AFTER_SECONDS).toBe(60);
    expect(parseEnv({ ...valid, RUN_STALE_AFTER_SECONDS: "8" }).RUN_STALE_AFTER_SECONDS).toBe(8);
    expect(problemsOf({ ...valid, RUN_STALE_AFTER_SECONDS: "2" }).problems[0]?.variable).toBe("RUN_STALE_AFTER_SECONDS");
    expect(problemsOf({ ...valid, RUN_STALE_AFTER_SECONDS: "soon" }).problems[0]).toEqual({ variable: "RUN_STALE_AFTER_SECONDS", message: "must be a number of seconds (5-86400)" });
  });
});
