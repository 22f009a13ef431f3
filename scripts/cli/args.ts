// Arguments of `npm run troubleshoot`, validated with zod: a run (no command), or a command that
// lists, shows or decides on runs already made. Every error names the option and the value it
// refuses, once.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { z } from "zod";
import { domainSchema, runStatusSchema } from "../../lib/troubleshooting/report";
import { hideUrlPasswords, isPathOnOrigin, isPostgresUrl, isSiteUrl } from "../../lib/url-rules";
import { EXIT_CODES_TEXT } from "./exit-codes";

export const USAGE = `usage: npm run troubleshoot -- [options]            diagnose the target now (one run)
       npm run troubleshoot -- targets                          list the targets (--target NAME picks one)
       npm run troubleshoot -- runs [--status S] [--limit N]    list runs, newest first
       npm run troubleshoot -- show RUN_ID                      a run's report
       npm run troubleshoot -- approve RUN_ID (ACTION_ID... | --all) [--comment TEXT] [--database-url URL]
       npm run troubleshoot -- reject RUN_ID (ACTION_ID... | --all) [--comment TEXT] [--database-url URL]
       npm run troubleshoot -- cancel RUN_ID                    cancel an active run
       npm run troubleshoot -- resume RUN_ID [--database-url URL]  resume an interrupted run
       npm run troubleshoot -- serve [--idle-minutes N] [--foreground]  keep a warm server: later
                                                                commands hand it their run
       npm run troubleshoot -- serve --stop                     stop it
(add -s after "npm run" to keep npm's own lines off stdout: npm run -s troubleshoot -- --json | jq;
 ./troubleshoot [options] is the same command without npm, and its start: for cron and scripts)

run options:
  --issue TEXT              what users report, e.g. "Users reporting slow page load times"
  --target NAME             a stored target (its site, database, credentials, endpoints and
                            pages, from the add-on's database; AUTH_SECRET opens its secrets),
                            or "default" (TARGET_*); not with --base-url, --database-url,
                            --endpoints, --pages
  --base-url URL            the site to diagnose (default: TARGET_BASE_URL or this app)
  --database-url URL        its database (default: TARGET_DATABASE_URL or DATABASE_URL)
  --endpoints PATH|URL,...  the API endpoints the network bot samples (replaces the preset);
                            paths are relative to the base URL, as in TARGET_ENDPOINTS
  --pages PATH,...          the pages the web bot checks (default: discovered from the base URL)
  --domains web,database,network
                            which bots run (default: all)
  --auto-approve none|safe  run safe fixes unattended (default: safe)
  --no-browser              do not use a browser
  --enqueue                 queue the run for \`npm run worker\` instead of running it here;
                            prints the job id, or "already queued" (not with --domains, --auto-approve);
                            with --target the job names the target and carries none of its secrets
  --list-checks             list the check and fix catalogues and exit

any command:
  --json                    stdout carries only JSON (the report, the list, the job...); progress
                            and log lines go to stderr
  -h, --help                this text

Decisions are recorded as cli:<your OS user>. The last decision resumes the run here, and the
command ends with the run's report; a run started with --database-url needs it again (its
password is not stored). A fix nobody decides on is rejected as expired after
APPROVAL_EXPIRY_MINUTES (default 60), and its run goes on without it.

examples:
  npm run troubleshoot -- --issue "checkout is slow" --no-browser
  npm run troubleshoot -- --base-url https://shop.example --endpoints /api/health,/api/cart=200
  npm run troubleshoot -- targets
  npm run -s troubleshoot -- --target staging --json > staging.json
  npm run troubleshoot -- --target production --enqueue
  npm run -s troubleshoot -- --json --domains database --auto-approve none > report.json
  npm run troubleshoot -- runs --status awaiting_approval
  npm run troubleshoot -- approve cm1a2b3c4d5e6f7g8h9i0j --all
  npm run troubleshoot -- reject cm1a2b3c4d5e6f7g8h9i0j cm9z8y7x6w5v4u3t2s1r0q --comment "not during the sale"

exit status:
${EXIT_CODES_TEXT}`;

const COMMANDS = ["runs", "show", "approve", "reject", "cancel", "resume", "targets"] as const;
/** Handled before these arguments are parsed (scripts/cli/serve.ts), named with the others. */
const OTHER_COMMANDS = ["serve"];
export type CliCommand = (typeof COMMANDS)[number];

/** Quoted for a message: JSON quoting shows spaces and control characters plainly. */
const quoted = (value: string) => JSON.stringify(value);

/** A number given as an option's text: whole, or with a decimal part when `fraction`. A refusal
 * quotes the text given (z.coerce would say "NaN"). */
export const numberOption = (fraction = false) =>
  z
    .string()
    .refine((v) => (fraction ? /^\s*\d+(\.\d+)?\s*$/ : /^\s*\d+\s*$/).test(v), { error: (i) => `${quoted(String(i.input))} is not a ${fraction ? "number" : "whole number"}` })
    .transform(Number);

/** Node's parseArgs, with its refusals in this CLI's words (the option named first, once), and an
 * option given twice refused (parseArgs keeps the last one silently). */
export function parseOptions(argv: string[], options: ParseArgsConfig["options"], allowPositionals: boolean): { values: Record<string, unknown>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals, options, tokens: true });
  } catch (err) {
    const code = err instanceof Error && "code" in err ? err.code : undefined;
    // The first quoted word of node's message: the option (or the argument) it is about.
    const named = err instanceof Error ? /'([^'\s]*)/.exec(err.message)?.[1] : undefined;
    if (named && code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`${named}: not an option (--help lists them)`);
    if (named && code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new UsageError(`${named}: needs a value (one starting with - goes as ${named}=VALUE)`);
    if (named && code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new UsageError(`unexpected ${quoted(named)}`);
    throw new UsageError(err instanceof Error ? err.message : "invalid arguments");
  }
  const seen = new Set<string>();
  // parseArgs' token types depend on the literal options given; here they are any command's.
  for (const token of (parsed.tokens ?? []) as { kind: string; name?: string }[]) {
    if (token.kind !== "option" || token.name === undefined) continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name}: given twice (give it once${options?.[token.name]?.type === "string" ? ", with a comma-separated list where it takes one" : ""})`);
    seen.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** Quoted without a password it may carry. */
const hidePassword = (value: string) => hideUrlPasswords(quoted(value));
const siteUrl = z.string().refine(isSiteUrl, {
  error: (i) => `${hidePassword(String(i.input))} must be an http(s) URL without a user name or password (TARGET_SESSION_COOKIE or TARGET_BEARER_TOKEN carry credentials)`,
});
const commaList = z.string().transform((value) => value.split(",").map((v) => v.trim()).filter(Boolean));
/** A comma-separated list: one message per refused item, naming it; an empty list is refused once. */
const listOf = (item: (value: string) => boolean, what: string) =>
  commaList.pipe(
    z
      .array(z.string().refine(item, { error: (i) => `${hidePassword(String(i.input))} ${what}` }))
      .min(1, "must list at least one value"),
  );
/** An endpoint as TARGET_ENDPOINTS takes it: a path relative to the base URL, or an http(s) URL,
 * optionally with =STATUS (the status the network bot then expects). */
const endpointRef = (v: string) => {
  const ref = v.replace(/=\d{3}$/, "");
  return isPathOnOrigin(ref) || isSiteUrl(ref);
};
const postgresUrl = z.string().refine(isPostgresUrl, { error: (i) => `${hidePassword(String(i.input))} must be a postgres:// URL with a host and a port (1-65535)` });
const runId = z.string().regex(/^[a-z0-9]{20,40}$/, { error: (i) => `${quoted(String(i.input))} is not a run id` });
/** Whether it exists is the store's business (checked when the command runs). */
const targetName = z.string().trim().min(1, "must name a target (list them with `targets`)").max(200, "at most 200 characters");

const runArgs = z.object({
  issue: z.string().trim().max(2_000, "at most 2000 characters").optional(),
  target: targetName.optional(),
  "base-url": siteUrl.optional(),
  "database-url": postgresUrl.optional(),
  endpoints: listOf(endpointRef, "is neither a path on the base URL (/api/x) nor an http(s) URL without a user name or password").optional(),
  pages: listOf(isPathOnOrigin, "is not a path on the base URL (/about)").optional(),
  domains: listOf((v) => domainSchema.safeParse(v).success, `is not a domain (web, database or network)`)
    .transform((v) => v.map((d) => domainSchema.parse(d)))
    .optional(),
  "auto-approve": z.enum(["none", "safe"], { error: (i) => `${quoted(String(i.input))} must be none or safe` }).optional(),
  "no-browser": z.boolean().optional(),
  enqueue: z.boolean().optional(),
  json: z.boolean().optional(),
  "list-checks": z.boolean().optional(),
  help: z.boolean().optional(),
});

export type CliArgs = z.infer<typeof runArgs> & {
  command?: undefined;
};

export interface ControlArgs {
  command: CliCommand;
  json?: boolean;
  help?: boolean;
  /** show, approve, reject, cancel, resume. */
  runId?: string;
  /** approve/reject: the actions to decide (empty with --all: every pending one). */
  actionIds: string[];
  all?: boolean;
  comment?: string;
  /** approve/reject/resume: the target database of a run started with --database-url (the run
   * keeps it without its password; this process needs it to go on). */
  "database-url"?: string;
  /** runs: filter and page size. */
  status?: z.infer<typeof runStatusSchema>;
  limit: number;
}

export class UsageError extends Error {}

/** Which options each command takes (besides --json and --help). */
const COMMAND_OPTIONS: Record<CliCommand, string[]> = {
  runs: ["status", "limit"],
  show: [],
  approve: ["all", "comment", "database-url"],
  reject: ["all", "comment", "database-url"],
  cancel: [],
  resume: ["database-url"],
  targets: [],
};

const controlArgs = z.object({
  status: z
    .string()
    .refine((v) => runStatusSchema.safeParse(v).success, { error: (i) => `${quoted(String(i.input))} is not a run status (${runStatusSchema.options.join(", ")})` })
    .transform((v) => runStatusSchema.parse(v))
    .optional(),
  limit: numberOption().pipe(z.number().min(1, "must be 1-100").max(100, "must be 1-100")).default(20),
  comment: z.string().trim().max(1_000, "at most 1000 characters").optional(),
  all: z.boolean().optional(),
  "database-url": postgresUrl.optional(),
  json: z.boolean().optional(),
  help: z.boolean().optional(),
});

export function parseCliArgs(argv: string[]): CliArgs | ControlArgs {
  const { values, positionals } = parseOptions(
    argv,
    {
      issue: { type: "string" },
      target: { type: "string" },
      "base-url": { type: "string" },
      "database-url": { type: "string" },
      endpoints: { type: "string" },
      pages: { type: "string" },
      domains: { type: "string" },
      "auto-approve": { type: "string" },
      "no-browser": { type: "boolean" },
      enqueue: { type: "boolean" },
      json: { type: "boolean" },
      "list-checks": { type: "boolean" },
      help: { type: "boolean", short: "h" },
      status: { type: "string" },
      limit: { type: "string" },
      all: { type: "boolean" },
      comment: { type: "string" },
    },
    true,
  );
  const [command, ...rest] = positionals;
  if (command === undefined) return parseRun(values);
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`${quoted(command)} is not a command (${[...COMMANDS, ...OTHER_COMMANDS].join(", ")})`);
  return parseControl(command as CliCommand, rest, values);
}

function parseRun(values: Record<string, unknown>): CliArgs {
  const foreign = ["status", "limit", "all", "comment"].filter((o) => values[o] !== undefined);
  if (foreign.length) throw new UsageError(foreign.map((o) => `--${o}: only for a command (runs, approve, reject)`).join("\n"));
  const parsed = runArgs.safeParse(values);
  if (!parsed.success) throw new UsageError(messages(parsed.error.issues));
  if (parsed.data.enqueue && (parsed.data.domains || parsed.data["auto-approve"])) {
    throw new UsageError("--enqueue: a queued run uses all bots and --auto-approve safe: drop --domains and --auto-approve");
  }
  if (parsed.data.target !== undefined) {
    // A stored target is one site with one database, its endpoints and pages: another of them would
    // be another target under its name (and its history would mix).
    const contradicting = (["base-url", "database-url", "endpoints", "pages"] as const).filter((o) => parsed.data[o] !== undefined);
    if (contradicting.length) {
      throw new UsageError(contradicting.map((o) => `--${o}: contradicts --target ${quoted(parsed.data.target as string)} (the target has its own; edit it in the dashboard, or drop --target)`).join("\n"));
    }
  }
  return parsed.data;
}

function parseControl(command: CliCommand, positionals: string[], values: Record<string, unknown>): ControlArgs {
  const allowed = new Set([...COMMAND_OPTIONS[command], "json", "help"]);
  const foreign = Object.keys(values).filter((o) => values[o] !== undefined && !allowed.has(o));
  if (foreign.length) throw new UsageError(foreign.map((o) => `--${o}: not an option of \`${command}\``).join("\n"));
  const parsed = controlArgs.safeParse(values);
  if (!parsed.success) throw new UsageError(messages(parsed.error.issues));
  const args: ControlArgs = { command, ...parsed.data, actionIds: [] };
  if (args.help) return args;
  if (command === "runs") {
    if (positionals.length) throw new UsageError(`runs: unexpected ${quoted(positionals.join(" "))} (filter with --status)`);
    return args;
  }
  if (command === "targets") {
    if (positionals.length) throw new UsageError(`targets: unexpected ${quoted(positionals.join(" "))}`);
    return args;
  }
  const [id, ...actionIds] = positionals;
  if (!id) throw new UsageError(`${command}: which run? (${command} RUN_ID; list them with \`runs\`)`);
  const checked = runId.safeParse(id);
  if (!checked.success) throw new UsageError(`${command}: ${checked.error.issues[0]?.message}`);
  args.runId = checked.data;
  if (command === "approve" || command === "reject") {
    if (args.all && actionIds.length) throw new UsageError(`${command}: either ACTION_ID... or --all, not both`);
    if (!args.all && !actionIds.length) throw new UsageError(`${command}: which fixes? (${command} ${id} ACTION_ID... or --all; \`show ${id}\` lists them)`);
    args.actionIds = [...new Set(actionIds)];
  } else if (actionIds.length) {
    throw new UsageError(`${command}: unexpected ${quoted(actionIds.join(" "))}`);
  }
  return args;
}

/** One line per problem, each naming its option; the same message twice is said once. */
function messages(issues: z.core.$ZodIssue[]): string {
  return [...new Set(issues.map((i) => `--${String(i.path[0])}: ${i.message}`))].join("\n");
}
