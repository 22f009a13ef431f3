// What to tell an admin when the database refuses a connection, by the cause PostgreSQL gave
// (SQLSTATE and message, see lib/health/pg-errors.ts): title, severity and the advice that fits.
import type { DbError } from "../../../health/pg-errors";
import type { IssueDraft } from "../../catalogue";
import { sqlIdentifier } from "../../fixes/quote";

type Advice = Pick<IssueDraft, "severity" | "title" | "description" | "recommendation">;

const EVERY_PAGE = "Every page that reads data fails while this lasts.";

/** What to tell the admin, by the cause PostgreSQL gave. `role` is the URL's user. */
export function adviceFor(error: DbError, role: string): Advice {
  const said = error.serverMessage ? ` PostgreSQL said: "${error.serverMessage}".` : "";
  // Most causes stop every page that reads data: critical, with the server's words.
  const everyPage = (title: string, recommendation: string): Advice => ({ severity: "critical", title, description: `${error.message}${said} ${EVERY_PAGE}`, recommendation });
  switch (error.code) {
    case "too_many_connections":
      return noFreeSlots(error, role, said);
    case "server_starting":
      return {
        severity: "high",
        title: "The database server is not accepting connections yet",
        description: `${error.message}${said} Connections fail until it finishes starting or recovering.`,
        recommendation:
          "Wait for startup to finish and watch the server log: a long recovery is WAL replay after a crash (look for the crash before it); a standby with hot_standby = off never accepts connections. Point the app at the primary if this is a standby.",
      };
    case "server_stopping":
      return {
        severity: "high",
        title: "The database server is shutting down or ending sessions",
        description: `${error.message}${said} ${EVERY_PAGE}`,
        recommendation:
          "Find who stops it (a maintenance window, a managed-service failover, pg_ctl stop, or pg_terminate_backend from another tool) in the server log, and make sure it comes back; the app's pool must reconnect afterwards.",
      };
    case "server_crashed":
      return {
        severity: "critical",
        title: "A database server process crashed and the server is restarting",
        description: `${error.message}${said} Every open session was ended; connections fail until crash recovery completes.`,
        recommendation:
          "Read the server log before this message: \"terminated by signal 9\" is usually the operating system's OOM killer (lower work_mem or max_connections, or add memory); a segfault names the process and query. Crashes that repeat need the core file or the provider's support.",
      };
    case "out_of_memory":
      return everyPage("The database server is out of memory", "Each connection can use work_mem per sort or hash node: lower work_mem or the number of connections (a pooler), find the query that allocates (server log), or give the server more memory.");
    case "disk_full":
      return {
        severity: "critical",
        title: "The database server's disk is full",
        description: `${error.message}${said} Writes fail, and the server may stop.`,
        recommendation:
          "Free or grow the volume. Look for WAL kept by an inactive replication slot (pg_replication_slots), runaway logs, or bloated tables (db.table_bloat); on managed services raise the storage size.",
      };
    case "database_missing":
      return everyPage("The database named in the URL does not exist", "Check the database name in the URL against SELECT datname FROM pg_database; create it (CREATE DATABASE) and run the migrations if it is new.");
    case "database_closed": {
      const database = quotedName(error.serverMessage, /database "((?:[^"]|"")*)"/);
      return everyPage("The database does not accept connections", `As a superuser: ALTER DATABASE ${database ? sqlIdentifier(database) : "<database>"} ALLOW_CONNECTIONS true; (someone turned it off, perhaps for maintenance).`);
    }
    case "insufficient_privilege": {
      const database = quotedName(error.serverMessage, /database "((?:[^"]|"")*)"/);
      return everyPage("The role may not connect to this database", `As the database owner: GRANT CONNECT ON DATABASE ${database ? sqlIdentifier(database) : "<database>"} TO ${sqlIdentifier(role)};`);
    }
    case "tls_required":
      return everyPage("The database requires TLS and the URL does not use it", "Add sslmode=require (better: sslmode=verify-full with the provider's CA certificate) to the database URL and redeploy.");
    case "tls_error":
      return everyPage("The TLS connection to the database fails", "If the server does not offer TLS, drop sslmode from the URL or enable ssl on the server; if the certificate is refused, give the app the provider's CA certificate (sslrootcert) and connect by the host name the certificate names.");
    case "timeout":
      return everyPage("The database does not answer", "Check that the host and port are right and reachable from the app (a firewall or security group that drops packets looks like this), and whether the server is overloaded (CPU, I/O).");
    case "unreachable":
      return everyPage("The database cannot be reached", "Check that PostgreSQL is running and listening on the host and port of the URL (listen_addresses, port), and that no firewall is in between.");
    default:
      return everyPage("The database refuses the connection", "Look up the SQLSTATE in the PostgreSQL documentation (Appendix A) and the server log around this time.");
  }
}

/** 53300, by which limit the message names. Pool sizes add up: instances × pool size must stay
 * under the limit (Prisma's default pool is num_cpus × 2 + 1 per instance, per its docs). */
function noFreeSlots(error: DbError, role: string, said: string): Advice {
  const limit = error.connectionLimit;
  const pooling =
    "Put a connection pooler in front (PgBouncer in transaction mode, Prisma Accelerate, Supabase's Supavisor) and point the app at it; " +
    "cap each app instance's pool with Prisma's connection_limit URL parameter (e.g. ?connection_limit=5) so instances × pool size stays under the limit; " +
    "close the app's idle sessions (idle_session_timeout, or db.terminate_idle_connections) ";
  const who =
    "See who holds the slots: run db.connections_near_limit with a superuser URL, or SELECT usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3 ORDER BY 4 DESC;";
  if (limit?.kind === "role") {
    const name = limit.name ?? role;
    return {
      severity: "critical",
      title: `Role ${name} has used up its CONNECTION LIMIT`,
      description: `${error.message}${said} New connections of this role are refused while the others still work; every request that needs a new connection fails.`,
      recommendation: `${pooling}or raise the role's limit: ALTER ROLE ${sqlIdentifier(name)} CONNECTION LIMIT <n>; (pg_roles.rolconnlimit). ${who}`,
    };
  }
  if (limit?.kind === "database") {
    const name = limit.name ?? "";
    return {
      severity: "critical",
      title: `Database ${name} has used up its CONNECTION LIMIT`,
      description: `${error.message}${said} New connections to this database are refused; every request that needs a new connection fails.`,
      recommendation: `${pooling}or raise the database's limit: ALTER DATABASE ${sqlIdentifier(name)} CONNECTION LIMIT <n>; (pg_database.datconnlimit). ${who}`,
    };
  }
  const reserved = limit?.kind === "reserved";
  return {
    severity: "critical",
    title: reserved ? "No free connection slots: only the reserved ones are left" : "No free connection slots: max_connections is reached",
    description:
      `${error.message}${said} ` +
      (reserved
        ? "The slots left are kept for superusers (superuser_reserved_connections) or pg_use_reserved_connections (reserved_connections); the application's role gets none. "
        : "") +
      "PostgreSQL is running, but every request that needs a new connection fails.",
    recommendation: `${pooling}before raising max_connections (each connection costs memory, and the change needs a restart). ${who}`,
  };
}

function quotedName(message: string | undefined, pattern: RegExp): string | undefined {
  return message?.match(pattern)?.[1]?.replaceAll('""', '"');
}
