// Structured JSON logs (pino), with secrets redacted twice over: fields known to hold them are
// censored by name, and every string is scrubbed for passwords in URLs, bearer tokens, OpenAI
// keys and session cookies. Each line carries the correlation id and run id of its context.
import pino, { type DestinationStream, type Logger } from "pino";
import type { PrismaClient } from "../db";
import { logContext } from "./log-context";
import { createLogStore } from "./log-store";
import { scrub, scrubString } from "./redact";

const REDACTED_FIELDS = [
  "password", "passwordHash", "secret", "token", "apiKey", "authorization", "cookie", "databaseUrl",
  "*.password", "*.passwordHash", "*.secret", "*.token", "*.apiKey", "*.authorization", "*.cookie", "*.databaseUrl",
  "headers.authorization", "headers.cookie", "req.headers.authorization", "req.headers.cookie",
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { service: "troubleshooter" },
      mixin: () => ({ ...logContext() }),
      redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
      formatters: { log: (object) => scrub(object) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrubString(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}

let shared: Logger | undefined;
let streams: ReturnType<typeof pino.multistream> | undefined;
let destination: NodeJS.WritableStream = process.stdout;

/**
 * Where the process's log lines go: stdout (the default, a server's) or stderr (the commands:
 * their stdout carries only what their flags promise, such as the CLI's --json report). Call it
 * before the logger's first use; afterwards it throws, since lines already went elsewhere.
 */
export function setLogDestination(stream: NodeJS.WritableStream): void {
  if (streams && stream !== destination) throw new Error("setLogDestination: the logger is already in use; set its destination first");
  destination = stream;
}

/** The process's logger: JSON lines on its destination (stdout unless setLogDestination said
 * otherwise), and (info and above) the recent-log table of each add-on instance that attached its
 * database (attachLogStore, from its register()). */
export function logger(): Logger {
  streams ??= pino.multistream([{ stream: destination, level: "trace" }]);
  shared ??= createLogger({ destination: streams });
  return shared;
}

/** Also keeps this process's log lines (info and above) in an add-on instance's database, until
 * the returned function detaches it (lines written after are not stored). */
export function attachLogStore(prisma: () => PrismaClient): () => void {
  logger();
  let attached = true;
  const { stream } = createLogStore(() => {
    if (!attached) throw new Error("log store detached");
    return prisma();
  });
  streams?.add({ stream, level: "info" });
  return () => {
    attached = false;
  };
}
