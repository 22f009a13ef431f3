// Turns a driver error into a stable code, a message safe to show an admin (no connection
// strings, no passwords, no stack) and the server's own words: the SQLSTATE and PostgreSQL's
// message decide the cause, and so the advice (53300 "too many clients" is not "is it running?").

type DbErrorCode =
  /** Nothing answers: refused, reset, unknown host, network unreachable. */
  | "unreachable"
  | "timeout"
  /** 28P01: password authentication failed (PostgreSQL says the same for a role that does not exist). */
  | "auth_failed"
  /** 28000: pg_hba.conf has no entry for (or rejects) this host/user/database, or the role may not log in. */
  | "access_rejected"
  /** The server (or pg_hba.conf) requires TLS and the connection did not use it. */
  | "tls_required"
  | "tls_error"
  /** 3D000 */
  | "database_missing"
  /** 55000 at connection: the database has ALLOW_CONNECTIONS false. */
  | "database_closed"
  /** 53300: no free connection slot (server max_connections, reserved slots, a role's or database's CONNECTION LIMIT). */
  | "too_many_connections"
  /** 42501: the role lacks a privilege (CONNECT on the database, a monitoring role, a table grant). */
  | "insufficient_privilege"
  /** 57P03: starting up, in recovery, not (yet) accepting connections. */
  | "server_starting"
  /** 57P01 (administrator command: shutdown or pg_terminate_backend), 57P03 "shutting down". */
  | "server_stopping"
  /** 57P02: another server process crashed; the server restarts through crash recovery. */
  | "server_crashed"
  /** 53200 */
  | "out_of_memory"
  /** 53100 */
  | "disk_full"
  | "error";

/** Which limit a 53300 hit, from PostgreSQL's message (postinit.c / proc.c). */
type ConnectionLimitKind =
  /** "sorry, too many clients already": every max_connections slot is taken. */
  | "server"
  /** "remaining connection slots are reserved for roles with the SUPERUSER attribute" (or for
   * pg_use_reserved_connections): only superuser_reserved_connections/reserved_connections are left. */
  | "reserved"
  /** "too many connections for role …": the role's CONNECTION LIMIT (pg_roles.rolconnlimit). */
  | "role"
  /** "too many connections for database …": the database's CONNECTION LIMIT (pg_database.datconnlimit). */
  | "database";

export interface DbError {
  code: DbErrorCode;
  /** Our sentence for the cause, safe to show. */
  message: string;
  /** The five-character SQLSTATE, when the server (or Prisma's adapter) gave one. */
  sqlstate?: string;
  /** PostgreSQL's message text (credentials-looking URLs and password=… scrubbed). */
  serverMessage?: string;
  /** PostgreSQL's DETAIL and HINT, when given (same scrubbing). */
  serverDetail?: string;
  serverHint?: string;
  /** For too_many_connections: which limit, and the role or database it names. */
  connectionLimit?: { kind: ConnectionLimitKind; name?: string };
}

type Known = Pick<DbError, "code" | "message">;

const BY_SQLSTATE: Record<string, Known> = {
  "28P01": { code: "auth_failed", message: "The database rejected the password (or the role does not exist)." },
  "28000": { code: "access_rejected", message: "The database refused the connection before checking a password (pg_hba.conf or the role's LOGIN attribute)." },
  "3D000": { code: "database_missing", message: "The database does not exist on the server." },
  "53300": { code: "too_many_connections", message: "The database server has no free connection slot for this role." },
  "53200": { code: "out_of_memory", message: "The database server ran out of memory." },
  "53100": { code: "disk_full", message: "The database server's disk is full." },
  "42501": { code: "insufficient_privilege", message: "The database role lacks a privilege this needs." },
  "57P01": { code: "server_stopping", message: "The server ended the session: an administrator command (shutdown or pg_terminate_backend)." },
  "57P02": { code: "server_crashed", message: "The server ended the session because another server process crashed; it restarts through crash recovery." },
  "57P03": { code: "server_starting", message: "The database server is not accepting connections yet (starting up or in recovery)." },
  "57014": { code: "timeout", message: "The query was cancelled by statement_timeout." },
};

const BY_SOCKET_CODE: Record<string, Known> = {
  ECONNREFUSED: { code: "unreachable", message: "Connection refused: no database server is listening." },
  ECONNRESET: { code: "unreachable", message: "The database server closed the connection." },
  ENOTFOUND: { code: "unreachable", message: "The database host name does not resolve." },
  EAI_AGAIN: { code: "unreachable", message: "The database host name could not be resolved (DNS failure)." },
  EHOSTUNREACH: { code: "unreachable", message: "The database host is unreachable." },
  ENETUNREACH: { code: "unreachable", message: "The database host's network is unreachable." },
  ETIMEDOUT: { code: "timeout", message: "Connecting to the database timed out." },
};

const TLS_FAILED: Known = { code: "tls_error", message: "The TLS handshake with the database failed." };

/** Prisma's driver adapters classify connection failures; their kinds, for Prisma errors. */
const BY_ADAPTER_KIND: Record<string, Known> = {
  DatabaseNotReachable: { code: "unreachable", message: "Cannot reach the database server." },
  ConnectionClosed: { code: "unreachable", message: "The database server closed the connection." },
  SocketTimeout: { code: "timeout", message: "The database did not answer in time." },
  AuthenticationFailed: BY_SQLSTATE["28P01"]!,
  DatabaseAccessDenied: BY_SQLSTATE["28000"]!,
  DatabaseDoesNotExist: BY_SQLSTATE["3D000"]!,
  TlsConnectionError: TLS_FAILED,
  TooManyConnections: BY_SQLSTATE["53300"]!,
};

/** Services that refuse plain connections say so in their own words: Azure ("SSL connection is
 * required"), Neon ("connection is insecure (try using `sslmode=require`)"). PostgreSQL's own
 * pg_hba message ends in "no encryption" (older: "SSL off") for any unencrypted attempt, which
 * alone does not prove that TLS is required: that stays access_rejected, with a hint. */
const TLS_REQUIRED = /SSL connection is required|connection is insecure|sslmode=require|SSL\/TLS required/i;

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** SQLSTATEs are five digits/capitals; Prisma's own codes (P1001, P2010…) are not SQLSTATEs
 * (PostgreSQL's P-class is P0xxx, PL/pgSQL). */
function sqlstateOf(value: unknown): string | undefined {
  return typeof value === "string" && /^[0-9A-Z]{5}$/.test(value) && !/^P[1-9]/.test(value) ? value : undefined;
}

/** Server text as shown to admins: a URL's user:password@ and password=… never leave. */
export function scrubServerText(message: string, max = 500): string {
  const scrubbed = message
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1***@")
    .replace(/\b(password|passwd|pwd)\s*=\s*("[^"]*"|'[^']*'|\S+)/gi, "$1=***");
  return scrubbed.length > max ? `${scrubbed.slice(0, max)}…` : scrubbed;
}

interface ServerWords {
  sqlstate?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

/** The server's words wherever the driver put them: node-pg's DatabaseError (code, message,
 * detail, hint), Prisma's adapter error (meta.driverAdapterError.cause: originalCode and
 * originalMessage, or kind "postgres" with code and message), or an error's `cause`. */
function serverWords(err: unknown): ServerWords {
  const adapter = field(field(field(err, "meta"), "driverAdapterError"), "cause");
  if (adapter !== undefined) {
    const sqlstate = sqlstateOf(field(adapter, "originalCode")) ?? sqlstateOf(field(adapter, "code"));
    const message = text(field(adapter, "originalMessage")) ?? (field(adapter, "kind") === "postgres" ? text(field(adapter, "message")) : undefined) ?? text(field(adapter, "cause"));
    return { sqlstate, message, detail: text(field(adapter, "detail")), hint: text(field(adapter, "hint")) };
  }
  const isPrisma = field(err, "clientVersion") !== undefined;
  const sqlstate = isPrisma ? undefined : sqlstateOf(field(err, "code"));
  if (sqlstate) return { sqlstate, message: err instanceof Error ? err.message : text(field(err, "message")), detail: text(field(err, "detail")), hint: text(field(err, "hint")) };
  const cause = field(err, "cause");
  return cause !== undefined && cause !== err && sqlstateOf(field(cause, "code")) ? serverWords(cause) : {};
}

/** Which limit a 53300 names (PostgreSQL 13–18 wording). */
function connectionLimitOf(message: string | undefined): DbError["connectionLimit"] {
  if (!message) return undefined;
  const quoted = (m: RegExpMatchArray | null) => m?.[1]?.replaceAll('""', '"');
  const role = message.match(/too many connections for role "((?:[^"]|"")*)"/);
  if (role) return { kind: "role", name: quoted(role) };
  const database = message.match(/too many connections for database "((?:[^"]|"")*)"/);
  if (database) return { kind: "database", name: quoted(database) };
  if (/remaining connection slots are reserved/i.test(message)) return { kind: "reserved" };
  if (/too many clients/i.test(message)) return { kind: "server" };
  return undefined;
}

/** Refines what the SQLSTATE alone says, by the server's message. */
function refine(sqlstate: string, words: ServerWords, known: Known): Known {
  const message = words.message ?? "";
  if (TLS_REQUIRED.test(message)) return { code: "tls_required", message: "The server requires an encrypted (TLS) connection and this one did not use TLS." };
  if (sqlstate === "28000" && /no pg_hba\.conf entry|pg_hba\.conf rejects/i.test(message)) {
    const plain = /no encryption|SSL off/i.test(message)
      ? " The attempt was not encrypted: if the server only accepts this host over TLS (hostssl lines, as managed services often have), connect with sslmode=require."
      : "";
    return { code: "access_rejected", message: `pg_hba.conf does not let this host, user and database connect.${plain}` };
  }
  if (sqlstate === "28000" && /not permitted to log in/i.test(message)) return { code: "access_rejected", message: "The role is not permitted to log in (NOLOGIN)." };
  if (sqlstate === "42501" && /permission denied for database/i.test(message)) {
    return { code: "insufficient_privilege", message: "The role lacks the CONNECT privilege on the database." };
  }
  if (sqlstate === "55000" && /not currently accepting connections/i.test(message)) {
    return { code: "database_closed", message: "The database does not accept connections (ALLOW_CONNECTIONS false)." };
  }
  if (sqlstate === "57P03" && /shutting down/i.test(message)) return { code: "server_stopping", message: "The database server is shutting down." };
  if (sqlstate === "57P03" && /recovery/i.test(message)) return { code: "server_starting", message: "The database server is in recovery and not accepting connections yet." };
  if (sqlstate === "53300") {
    const limit = connectionLimitOf(message);
    if (limit?.kind === "role") return { code: "too_many_connections", message: "The role has reached its CONNECTION LIMIT." };
    if (limit?.kind === "database") return { code: "too_many_connections", message: "The database has reached its CONNECTION LIMIT." };
    if (limit?.kind === "reserved") return { code: "too_many_connections", message: "The database server has no free connection slots: only the reserved ones are left." };
    if (limit?.kind === "server") return { code: "too_many_connections", message: "The database server has no free connection slots (max_connections reached)." };
  }
  return known;
}

export function describeDbError(err: unknown): DbError {
  const words = serverWords(err);
  const withWords = (known: Known): DbError => {
    const out: DbError = { ...known };
    if (words.sqlstate) out.sqlstate = words.sqlstate;
    if (words.message) out.serverMessage = scrubServerText(words.message);
    if (words.detail) out.serverDetail = scrubServerText(words.detail);
    if (words.hint) out.serverHint = scrubServerText(words.hint);
    if (known.code === "too_many_connections") {
      const limit = connectionLimitOf(words.message);
      if (limit) out.connectionLimit = limit;
    }
    return out;
  };

  const code = String(field(err, "code") ?? "");
  const adapterKind = String(field(field(field(field(err, "meta"), "driverAdapterError"), "cause"), "kind") ?? "");
  if (words.sqlstate) {
    const known = BY_SQLSTATE[words.sqlstate] ?? { code: "error", message: `The database query failed (SQLSTATE ${words.sqlstate}).` };
    return withWords(refine(words.sqlstate, words, known));
  }
  const socket = BY_SOCKET_CODE[code] ?? BY_SOCKET_CODE[String(field(field(err, "cause"), "code") ?? "")];
  if (socket) return withWords(socket);
  const adapted = BY_ADAPTER_KIND[adapterKind];
  if (adapted) return withWords(adapted);
  if (err instanceof Error && err.name === "TaskCancelledError") return withWords({ code: "timeout", message: "The database did not answer in time." });
  const message = err instanceof Error ? err.message : String(err);
  if (/timeout|timed out/i.test(message)) return withWords({ code: "timeout", message: "The database did not answer in time." });
  if (/terminat|Connection terminated|ended unexpectedly/i.test(message)) {
    return withWords({ code: "unreachable", message: "The connection to the database was terminated." });
  }
  // node-pg's own words when the URL asks for TLS and the server answers 'N' to SSLRequest.
  if (/server does not support SSL/i.test(message)) {
    return withWords({ code: "tls_error", message: "The URL asks for TLS (sslmode) but the database server does not offer it." });
  }
  if (/ssl|tls|certificate/i.test(message) || /CERT|SELF_SIGNED|HOSTNAME_MISMATCH|ALTNAME/.test(code)) return withWords(TLS_FAILED);
  return withWords({ code: "error", message: "The database query failed." });
}

/** Failures that mean no session could be opened at all (db.unreachable or db.auth_failed says
 * why); a check that gets one of these could not look, it did not fail. */
export function isConnectionFailure(error: DbError): boolean {
  switch (error.code) {
    case "unreachable":
    case "auth_failed":
    case "access_rejected":
    case "tls_required":
    case "tls_error":
    case "database_missing":
    case "database_closed":
    case "too_many_connections":
    case "server_starting":
    case "server_stopping":
    case "server_crashed":
      return true;
    case "insufficient_privilege":
      return /permission denied for database/i.test(error.serverMessage ?? "");
    default:
      return false;
  }
}

/** "SQLSTATE 53300: sorry, too many clients already" (or "" when the server said nothing). */
export function serverReason(error: DbError): string {
  if (!error.sqlstate && !error.serverMessage) return "";
  return [error.sqlstate ? `SQLSTATE ${error.sqlstate}` : "", error.serverMessage ?? ""].filter(Boolean).join(": ");
}
