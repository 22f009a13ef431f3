// Turns a driver error into a stable code and a message safe to show an admin: no connection
// strings, no passwords, no stack.

export type DbErrorCode = "unreachable" | "timeout" | "auth_failed" | "database_missing" | "tls_error" | "error";

export interface DbError {
  code: DbErrorCode;
  message: string;
}

const BY_SQLSTATE: Record<string, DbError> = {
  "28P01": { code: "auth_failed", message: "The database rejected the credentials." },
  "28000": { code: "auth_failed", message: "The database rejected the connection (authorization)." },
  "3D000": { code: "database_missing", message: "The database does not exist on the server." },
  "57P03": { code: "unreachable", message: "The database server is starting up or shutting down." },
  "57014": { code: "timeout", message: "The query was cancelled by statement_timeout." },
};

const BY_SOCKET_CODE: Record<string, DbError> = {
  ECONNREFUSED: { code: "unreachable", message: "Connection refused: no database server is listening." },
  ECONNRESET: { code: "unreachable", message: "The database server closed the connection." },
  ENOTFOUND: { code: "unreachable", message: "The database host name does not resolve." },
  EHOSTUNREACH: { code: "unreachable", message: "The database host is unreachable." },
  ETIMEDOUT: { code: "timeout", message: "Connecting to the database timed out." },
};

/** Prisma's driver adapters classify connection failures; their kinds, for Prisma errors. */
const BY_ADAPTER_KIND: Record<string, DbError> = {
  DatabaseNotReachable: { code: "unreachable", message: "Cannot reach the database server." },
  ConnectionClosed: { code: "unreachable", message: "The database server closed the connection." },
  SocketTimeout: { code: "timeout", message: "The database did not answer in time." },
  AuthenticationFailed: BY_SQLSTATE["28P01"]!,
  DatabaseAccessDenied: BY_SQLSTATE["28000"]!,
  DatabaseDoesNotExist: BY_SQLSTATE["3D000"]!,
  TlsConnectionError: { code: "tls_error", message: "The TLS handshake with the database failed." },
  TooManyConnections: { code: "unreachable", message: "The database server has no free connection slots." },
};

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

export function describeDbError(err: unknown): DbError {
  const code = String(field(err, "code") ?? "");
  const adapterKind = String(field(field(field(field(err, "meta"), "driverAdapterError"), "cause"), "kind") ?? "");
  const known = BY_SQLSTATE[code] ?? BY_SOCKET_CODE[code] ?? BY_ADAPTER_KIND[adapterKind];
  if (known) return known;
  if (err instanceof Error && err.name === "TaskCancelledError") return { code: "timeout", message: "The database did not answer in time." };
  const text = err instanceof Error ? err.message : String(err);
  if (/timeout|timed out/i.test(text)) return { code: "timeout", message: "The database did not answer in time." };
  if (/terminat|Connection terminated|ended unexpectedly/i.test(text)) {
    return { code: "unreachable", message: "The connection to the database was terminated." };
  }
  if (/ssl|tls|certificate/i.test(text)) return { code: "tls_error", message: "The TLS handshake with the database failed." };
  return { code: "error", message: /^[0-9A-Z]{5}$/.test(code) ? `The database query failed (SQLSTATE ${code}).` : "The database query failed." };
}
