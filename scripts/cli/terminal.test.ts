// The CLI against a database whose names carry ESC/BEL/CSI sequences (clear the screen, set the
// terminal title): nothing the target wrote reaches stdout or stderr as a raw control character,
// in the human report, the progress lines, the fixes awaiting approval, or the JSON.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTroubleshootCli } from "../../fixtures/test/cli";
import { createTestDatabase } from "../../fixtures/test/databases";
import { session } from "../../fixtures/test/checks";
import { type TargetServer, startTargetServer } from "../../fixtures/test/target-server";
import { EXIT } from "./exit-codes";
import { oneLine, terminalJson } from "./terminal";

const TABLE = "pwn\x1b]0;owned\x07\x1b[2J\u009b2J";
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
// Any C0 control but newline and tab, DEL, or a C1 control (U+0080–U+009F).
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let productUrl: string;
let targetUrl: string;
let site: TargetServer;

beforeAll(async () => {
  productUrl = await createTestDatabase();
  targetUrl = await createTestDatabase({ migrate: false });
  site = await startTargetServer({ status: 200 });
  const sql = await session(targetUrl, "fault-maker");
  await sql.query(`CREATE TABLE ${q(TABLE)} (id int, email text)`); // no primary key: a finding naming it
  await sql.query(`INSERT INTO ${q(TABLE)} VALUES (1, 'a'), (2, 'a')`);
  await sql.query(`CREATE UNIQUE INDEX CONCURRENTLY ${q(`${TABLE}_key`)} ON ${q(TABLE)} (email)`).catch(() => {}); // invalid: advice naming it
  await sql.end();
}, 120_000);
afterAll(() => site.close());

const cli = (args: string[]) => runTroubleshootCli(args, { DATABASE_URL: productUrl, AUTH_SECRET: "c".repeat(40), TARGET_BASE_URL: site.url });

describe("the CLI shows target text without obeying it", () => {
  it("escapes control characters in single-line and JSON output", () => {
    expect(oneLine("a\x1b[2J\u009b\r\nb")).toBe("a\\x1b[2J\\x9b\\x0d\\x0ab");
    const json = terminalJson({ t: "a\x1b\u009b" });
    expect(json).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json)).toEqual({ t: "a\x1b\u009b" });
  });

  it("human report and progress: no raw ESC, BEL or CSI from a hostile table name", async () => {
    const { code, stdout, stderr } = await cli(["--domains", "database", "--no-browser", "--auto-approve", "none", "--database-url", targetUrl]);
    expect(code, stderr).toBe(EXIT.findings);
    // The name is there, made visible: titles hold U+FFFD (plainText), SQL advice U& escapes.
    expect(stdout).toContain('U&"pwn\\001b]0;owned\\0007');
    expect(stderr).toContain("Table public.pwn\ufffd]0;owned");
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stderr).not.toMatch(RAW_CONTROL);
  }, 180_000);

  it("--json: the same report with every control character JSON-escaped", async () => {
    const { code, stdout } = await cli(["--json", "--domains", "database", "--no-browser", "--auto-approve", "none", "--database-url", targetUrl]);
    expect(code).toBe(EXIT.findings);
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.stringify(JSON.parse(stdout))).toContain("pwn\\u001b]0;owned");
  }, 180_000);
});
