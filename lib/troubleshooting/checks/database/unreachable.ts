import { describeDbError } from "../../../health/pg-errors";
import type { Check } from "../../catalogue";
import { BlockedAddressError } from "../../probes/address-policy";
import { redactDatabaseUrl, withDatabase } from "../../probes/database";
import { adviceFor } from "./connection-causes";
import { dbCheckError } from "./shared";

export const dbUnreachable: Check = {
  code: "db.unreachable",
  domain: "database",
  title: "Database unreachable",
  description:
    "The target database must accept a connection and answer SELECT 1. The finding names the cause PostgreSQL gave (SQLSTATE and message): no free connection slots, starting or shutting down, out of memory or disk, TLS, or nothing listening.",
  async run({ target, signal }) {
    try {
      await withDatabase(target.databaseUrl, signal, "read-only", (client) => client.query("SELECT 1"));
      return { status: "passed" };
    } catch (err) {
      if (err instanceof BlockedAddressError) return dbCheckError(err);
      const error = describeDbError(err);
      if (error.code === "auth_failed" || error.code === "access_rejected") {
        return {
          status: "passed",
          evidence: { reachable: true, ...(error.sqlstate ? { sqlstate: error.sqlstate } : {}), note: "the server answers but rejects the credentials or the client: see db.auth_failed" },
        };
      }
      const database = redactDatabaseUrl(target.databaseUrl);
      const role = safeUser(target.databaseUrl);
      const advice = adviceFor(error, role);
      return {
        status: "issues",
        issues: [
          {
            ...advice,
            subject: database,
            evidence: {
              database,
              user: role,
              errorCode: error.code,
              ...(error.sqlstate ? { sqlstate: error.sqlstate } : {}),
              ...(error.serverMessage ? { serverMessage: error.serverMessage } : {}),
              ...(error.serverDetail ? { serverDetail: error.serverDetail } : {}),
              ...(error.serverHint ? { serverHint: error.serverHint } : {}),
              ...(error.connectionLimit ? { connectionLimit: error.connectionLimit.kind, ...(error.connectionLimit.name ? { limitedName: error.connectionLimit.name } : {}) } : {}),
            },
          },
        ],
      };
    }
  },
};

function safeUser(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username);
  } catch {
    return "";
  }
}
