// The CLI's arguments: --endpoints takes paths as TARGET_ENDPOINTS does, every refusal names its
// value once, and the run commands (runs, show, approve, reject, cancel, resume) parse strictly.
import { describe, expect, it } from "vitest";
import { type ControlArgs, USAGE, UsageError, parseCliArgs } from "./args";

const RUN_ID = "cm1a2b3c4d5e6f7g8h9i0j";

function refusal(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${argv.join(" ")}`);
}

describe("npm run troubleshoot arguments", () => {
  it("--endpoints accepts paths relative to the base URL, URLs, and =STATUS, like TARGET_ENDPOINTS", () => {
    expect(parseCliArgs(["--endpoints", "/api/x, /api/y=200,https://api.example/health"])).toMatchObject({ endpoints: ["/api/x", "/api/y=200", "https://api.example/health"] });
  });

  it("names each bad value once, with its option", () => {
    const message = refusal(["--endpoints", "/api/ok,ftp://x,api/y", "--domains", "web,dns"]);
    expect(message.split("\n").sort()).toEqual([
      '--domains: "dns" is not a domain (web, database or network)',
      '--endpoints: "api/y" is neither a path on the base URL (/api/x) nor an http(s) URL without a user name or password',
      '--endpoints: "ftp://x" is neither a path on the base URL (/api/x) nor an http(s) URL without a user name or password',
    ]);
    expect(refusal(["--base-url", "ftp://x"])).toBe('--base-url: "ftp://x" must be an http(s) URL without a user name or password (TARGET_SESSION_COOKIE or TARGET_BEARER_TOKEN carry credentials)');
    expect(refusal(["--pages", "about"])).toBe('--pages: "about" is not a path on the base URL (/about)');
    expect(refusal(["--auto-approve", "all"])).toBe('--auto-approve: "all" must be none or safe');
    expect(refusal(["--database-url", "mysql://u:secret@h/db"])).not.toContain("secret");
  });

  it("refuses what would leave the target or show a secret: a password in the base URL, a path to another origin, a database URL that cannot connect", () => {
    const withPassword = refusal(["--base-url", "http://user:SEKRIT@127.0.0.1:8080"]);
    expect(withPassword).toContain('--base-url: "http://user:***@127.0.0.1:8080" must be an http(s) URL without a user name or password');
    expect(withPassword).not.toContain("SEKRIT");
    expect(refusal(["--endpoints", "//127.0.0.1:9/api,/\\other.example/x"]).split("\n")).toHaveLength(2);
    expect(refusal(["--pages", "//other.example/"])).toContain('"//other.example/" is not a path on the base URL');
    for (const url of ["postgresql://u:SEKRIT@127.0.0.1:99999/x", "postgresql://u:SEKRIT@/x", "postgresql://"]) {
      const message = refusal(["--database-url", url]);
      expect(message).toContain("--database-url:");
      expect(message).toContain("must be a postgres:// URL with a host and a port");
      expect(message).not.toContain("SEKRIT");
    }
    expect(parseCliArgs(["--database-url", "postgres:///app?host=/var/run/postgresql"])).toMatchObject({ "database-url": "postgres:///app?host=/var/run/postgresql" });
    // Malformed, the password is still left out; and an endpoint URL may not carry one either.
    for (const [option, value] of [["--database-url", "u:SEKRIT@127.0.0.1/db"], ["--database-url", "postgresql:/u:SEKRIT@h/db"], ["--base-url", "admin:SEKRIT@127.0.0.1:8080"], ["--endpoints", "admin:SEKRIT@127.0.0.1/api"], ["--endpoints", "http://admin:SEKRIT@127.0.0.1/api"]]) {
      const message = refusal([option as string, value as string]);
      expect(message, value).toContain(`${option}: `);
      expect(message, value).not.toContain("SEKRIT");
    }
  });

  it("an option given twice, an unknown option and a bad number are each named once", () => {
    expect(refusal(["--domains", "web", "--domains", "database"])).toBe("--domains: given twice (give it once, with a comma-separated list where it takes one)");
    expect(refusal(["--json", "--json"])).toBe("--json: given twice (give it once)");
    expect(refusal(["--frobnicate"])).toBe("--frobnicate: not an option (--help lists them)");
    expect(refusal(["runs", "--limit", "abc"])).toBe('--limit: "abc" is not a whole number');
    expect(refusal(["runs", "--limit", "0"])).toBe("--limit: must be 1-100");
    expect(refusal(["frobnicate"])).toBe('"frobnicate" is not a command (runs, show, approve, reject, cancel, resume, targets, serve)');
    expect(refusal(["runs", "--limit", "-1"])).toBe("--limit: needs a value (one starting with - goes as --limit=VALUE)");
    expect(refusal(["--issue"])).toBe("--issue: needs a value (one starting with - goes as --issue=VALUE)");
    expect(refusal(["runs", "extra"])).toBe('runs: unexpected "extra" (filter with --status)');
  });

  it("parses the run commands, and refuses what they do not take", () => {
    expect(parseCliArgs(["runs", "--status", "awaiting_approval", "--limit", "5", "--json"])).toMatchObject({ command: "runs", status: "awaiting_approval", limit: 5, json: true });
    expect(parseCliArgs(["approve", RUN_ID, "--all", "--comment", "ok"])).toMatchObject({ command: "approve", runId: RUN_ID, all: true, actionIds: [], comment: "ok" });
    expect(parseCliArgs(["reject", RUN_ID, "a1", "a2", "a1"])).toMatchObject({ command: "reject", runId: RUN_ID, actionIds: ["a1", "a2"] } satisfies Partial<ControlArgs>);
    expect(parseCliArgs(["cancel", RUN_ID])).toMatchObject({ command: "cancel", runId: RUN_ID });
    expect(refusal(["approve", RUN_ID])).toContain(`approve ${RUN_ID} ACTION_ID... or --all`);
    expect(refusal(["approve", RUN_ID, "a1", "--all"])).toContain("not both");
    expect(refusal(["show"])).toContain("which run?");
    expect(refusal(["show", "nope"])).toBe('show: "nope" is not a run id');
    expect(refusal(["show", RUN_ID, "--issue", "x"])).toBe("--issue: not an option of `show`");
    expect(refusal(["runs", "--status", "done"])).toContain('"done" is not a run status');
    expect(refusal(["frobnicate"])).toContain('"frobnicate" is not a command');
    expect(refusal(["--all"])).toContain("--all: only for a command");
  });

  it("--target names a stored target; its site, database, endpoints and pages are its own; `targets` lists them", () => {
    expect(parseCliArgs(["--target", "staging", "--enqueue", "--no-browser"])).toMatchObject({ target: "staging", enqueue: true, "no-browser": true });
    expect(refusal(["--target", "staging", "--base-url", "https://x.example", "--database-url", "postgresql://u:secret@h/db"]).split("\n")).toEqual([
      '--base-url: contradicts --target "staging" (the target has its own; edit it in the dashboard, or drop --target)',
      '--database-url: contradicts --target "staging" (the target has its own; edit it in the dashboard, or drop --target)',
    ]);
    expect(refusal(["--target", "staging", "--pages", "/a"])).toContain('--pages: contradicts --target "staging"');
    expect(refusal(["--target", " "])).toContain("--target: must name a target");
    expect(parseCliArgs(["targets", "--json"])).toMatchObject({ command: "targets", json: true });
    expect(refusal(["targets", "staging"])).toBe('targets: unexpected "staging"');
    expect(refusal(["runs", "--target", "staging"])).toBe("--target: not an option of `runs`");
    expect(USAGE).toContain("npm run -s troubleshoot -- --target staging --json");
  });

  it("--help shows examples and every exit status", () => {
    expect(USAGE).toContain("examples:\n  npm run troubleshoot -- --issue");
    expect(USAGE).toContain(`approve ${RUN_ID} --all`);
    for (const code of ["0 completed", "1 failed", "2 bad arguments", "3 completed with findings", "4 waiting for approval", "5 approval expired", "6 target busy"]) expect(USAGE).toContain(code);
  });
});
