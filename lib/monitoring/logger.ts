// Structured JSON logs (pino), with secrets redacted twice over: fields known to hold them are
// censored by name, and every string is scrubbed for passwords in URLs, bearer tokens, OpenAI
// keys and session cookies. Each line carries the correlation id and run id of its context.
import pino, { type DestinationStream, type Logger } from "pino";
import { db } from "../db";
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

/** The process's logger: stdout, and the database's recent-log table (info and above). */
export function logger(): Logger {
  shared ??= createLogger({
    destination: pino.multistream([{ stream: process.stdout, level: "trace" }, { stream: createLogStore(() => db()).stream, level: "info" }]),
  });
  return shared;
}
