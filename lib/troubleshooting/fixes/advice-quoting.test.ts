// Nothing the target names is executed: a database whose tables, indexes, sequences and Prisma
// migrations carry quotes, semicolons, $(...), backticks, newlines and ESC sequences; the
// database bot's checks run on it, every fix it plans is described, and each shell command and SQL
// statement shown is checked the way a person would use it: the shell line run through a real sh
// (with the program replaced by printf), each SQL statement parsed by PostgreSQL.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../fixtures/test/databases";
import { runCheck, session } from "../../../fixtures/test/checks";
import type { IssueView } from "../catalogue";
import { checksFor } from "../checks";
import { candidateFixes } from "./index";
import { dbAdviseWraparound } from "./database/advice";
import { netAdviseDns, netAdviseTlsRenewal } from "./network/advice";

const dir = mkdtempSync(path.join(tmpdir(), "advice-quoting-"));
const PWNED = path.join(dir, "PWNED");
// Every hostile name carries "pwn", so a statement that lets it out of its quotes is seen.
const MIGRATION = `20260101000000_pwn"; touch ${PWNED}; echo "$(touch ${PWNED})\`touch ${PWNED}\`'\n\x1b]0;title\x07`;
const TABLE = `pwn"; DROP TABLE x; --'$(id)\`id\`\n\x1b[2J`;
const INDEX = `pwn_idx"; SELECT 1; --'`;
const SEQUENCE = `pwn_seq"'; SELECT 1;\x1b[H`;
const COLUMN = `em"ail'; --`;
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

let url: string;
const texts: string[] = [];

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  const sql = await session(url, "fault-maker");
  try {
    await sql.query(`CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL,
      logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`);
    await sql.query(`INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, logs) VALUES ('m1', 'x', $1, now() - interval '1 hour', 'ERROR: failed')`, [MIGRATION]);
    await sql.query(`CREATE TABLE ${q(TABLE)} (id int, ${q(COLUMN)} text)`); // no primary key
    await sql.query(`INSERT INTO ${q(TABLE)} VALUES (1, 'a'), (2, 'a')`);
    await sql.query(`CREATE UNIQUE INDEX CONCURRENTLY ${q(INDEX)} ON ${q(TABLE)} (${q(COLUMN)})`).catch(() => {}); // left invalid by the duplicates
    await sql.query(`CREATE SEQUENCE ${q(SEQUENCE)} AS integer`);
    await sql.query(`SELECT setval($1::regclass, 2000000000)`, [q(SEQUENCE)]);
  } finally {
    await sql.end();
  }
  // The database bot's checks, and everything shown for their findings.
  for (const check of checksFor("database")) {
    const outcome = await runCheck(check, url).catch(() => null);
    if (outcome?.status !== "issues") continue;
    for (const issue of outcome.issues) {
      texts.push(issue.title, issue.description, issue.recommendation ?? "");
      const view: IssueView = { id: "issue", code: check.code, subject: issue.subject, evidence: issue.evidence };
      for (const planned of candidateFixes(view)) texts.push(planned.action.describe(planned.params as never));
    }
  }
  const advice = (action: typeof dbAdviseWraparound, view: Omit<IssueView, "id">) => (action.plan({ id: "i", ...view }) as { steps: string } | null)?.steps ?? "";
  texts.push(
    advice(dbAdviseWraparound, { code: "db.txid_wraparound", subject: "x", evidence: { oldestTable: `public.${q(TABLE)}` } }),
    advice(dbAdviseWraparound, { code: "db.txid_wraparound", subject: "x", evidence: { oldestTable: `public.x; SELECT pwn()` } }),
    advice(netAdviseDns, { code: "net.dns_failure", subject: `pwn.example$(touch ${PWNED});\`touch ${PWNED}\``, evidence: {} }),
    advice(netAdviseTlsRenewal, { code: "net.tls_invalid", subject: "https://pwn.example", evidence: { hostnameError: true, altNames: "x" } }),
  );
}, 120_000);
afterAll(() => execFileSync("rm", ["-rf", dir]));

/** Shell commands: from a known program to the end of its line (the advice's convention). */
function shellCommands(text: string): string[] {
  return text.split("\n").flatMap((line) => {
    const at = line.search(/\b(npx|dig|certbot) /);
    return at < 0 ? [] : [line.slice(at)];
  });
}

/** SQL statements that name something (hold a quote): from a statement keyword to the first `;`
 * outside quotes on the same line. Returns each with its text outside quotes. */
function sqlStatements(text: string): { statement: string; unquoted: string }[] {
  const found: { statement: string; unquoted: string }[] = [];
  const start = /\b(SELECT|DROP INDEX|REINDEX|VACUUM|ANALYZE|ALTER (?:TABLE|SEQUENCE|ROLE|DATABASE)|CREATE (?:UNIQUE )?INDEX|COMMIT PREPARED|ROLLBACK PREPARED|GRANT)\b/g;
  for (const match of text.matchAll(start)) {
    let quote: string | null = null;
    let unquoted = "";
    let end = -1;
    for (let i = match.index; i < text.length; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === quote && text[i + 1] === quote) i++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === ";") {
        end = i;
        break;
      } else if (c === "\n") break;
      else unquoted += c;
    }
    const statement = end < 0 ? "" : text.slice(match.index, end + 1);
    if (/["']/.test(statement)) found.push({ statement, unquoted });
  }
  return found;
}

describe("advice and fix descriptions on a database with hostile names", () => {
  it("found the hostile objects and planned advice for them", () => {
    const all = texts.join("\n");
    expect(all).toContain("npx prisma migrate resolve --rolled-back");
    expect(all).toContain("ALTER SEQUENCE");
    expect(all).toContain("REINDEX INDEX CONCURRENTLY");
    expect(all).toContain("dig +trace");
  });

  it("each shell command runs only that command, with the name as one argument", () => {
    const commands = texts.flatMap(shellCommands);
    expect(commands.some((c) => c.includes("--rolled-back"))).toBe(true);
    for (const command of commands) {
      execFileSync("sh", ["-n", "-c", command]); // parses
      const printed = execFileSync("sh", ["-c", command.replace(/^\S+/, "printf '%s\\0'")], { cwd: dir, encoding: "utf8" });
      expect(existsSync(PWNED), command).toBe(false);
      const words = printed.split("\0").slice(0, -1);
      if (command.includes("--rolled-back") || command.includes("--applied")) expect(words.slice(-2), command).toEqual([expect.stringMatching(/^--(rolled-back|applied)$/), MIGRATION]);
      if (command.startsWith("dig")) expect(words, command).toEqual(["+trace", `pwn.example$(touch ${PWNED});\`touch ${PWNED}\``]);
    }
  });

  it("each SQL statement is one statement to PostgreSQL, with the names inside their quotes", async () => {
    const statements = texts.flatMap(sqlStatements);
    expect(statements.length).toBeGreaterThan(3);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const { statement, unquoted } of statements) {
        expect(unquoted, statement).not.toMatch(/pwn|\x1b|--/i);
        // Extended protocol: Parse takes exactly one statement (42601 otherwise); the surplus bind
        // parameter then fails Bind (08P01), so nothing is ever executed.
        const error = await client.query({ text: statement, values: [null] }).then(() => null, (err: { code?: string; message?: string }) => err);
        expect(error?.code, `${statement}: ${error?.message}`).not.toBe("42601");
        expect(error, statement).not.toBeNull();
      }
    } finally {
      await client.end();
    }
  });
});
