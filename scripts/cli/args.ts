// Arguments of `npm run troubleshoot`, validated with zod.
import { parseArgs } from "node:util";
import { z } from "zod";
import { domainSchema } from "../../lib/troubleshooting/report";

export const USAGE = `usage: npm run troubleshoot -- [options]

  --issue TEXT              what users report, e.g. "Users reporting slow page load times"
  --base-url URL            the site to diagnose (default: TARGET_BASE_URL or this app)
  --database-url URL        its database (default: TARGET_DATABASE_URL or DATABASE_URL)
  --endpoints URL,...       the API endpoints the network bot samples (replaces the preset)
  --pages PATH,...          the pages the web bot checks (default: discovered from the base URL)
  --domains web,database,network
                            which bots run (default: all)
  --auto-approve none|safe  run safe fixes unattended (default: safe)
  --no-browser              do not use a browser
  --enqueue                 queue the run for \`npm run worker\` instead of running it here;
                            prints the job id, or "already queued" (not with --domains, --auto-approve)
  --json                    print only the report, as JSON, on stdout
  --list-checks             list the check and fix catalogues and exit
  -h, --help                this text

exit status: 0 the run completed (whatever it found), 1 the run failed, 2 bad arguments`;

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const commaList = z.string().transform((value) => value.split(",").map((v) => v.trim()).filter(Boolean));

const argsSchema = z.object({
  issue: z.string().trim().max(2_000).optional(),
  "base-url": httpUrl.optional(),
  "database-url": z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  endpoints: commaList.pipe(z.array(httpUrl).min(1)).optional(),
  pages: commaList.pipe(z.array(z.string().startsWith("/", "must be paths starting with /")).min(1)).optional(),
  domains: commaList.pipe(z.array(domainSchema).min(1)).optional(),
  "auto-approve": z.enum(["none", "safe"]).optional(),
  "no-browser": z.boolean().optional(),
  enqueue: z.boolean().optional(),
  json: z.boolean().optional(),
  "list-checks": z.boolean().optional(),
  help: z.boolean().optional(),
}).refine((args) => !(args.enqueue && (args.domains || args["auto-approve"])), {
  path: ["enqueue"],
  message: "a queued run uses all bots and --auto-approve safe: drop --domains and --auto-approve",
});

export type CliArgs = z.infer<typeof argsSchema>;

export class UsageError extends Error {}

export function parseCliArgs(argv: string[]): CliArgs {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        issue: { type: "string" },
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
      },
    }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : "invalid arguments");
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("\n"));
  }
  return parsed.data;
}
