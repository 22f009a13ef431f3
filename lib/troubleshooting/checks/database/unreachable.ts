import { describeDbError } from "../../../health/pg-errors";
import type { Check } from "../../catalogue";
import { BlockedAddressError } from "../../probes/address-policy";
import { redactDatabaseUrl, withDatabase } from "../../probes/database";
import { dbCheckError } from "./shared";

export const dbUnreachable: Check = {
  code: "db.unreachable",
  domain: "database",
  title: "Database unreachable",
  description: "The target database must accept a connection and answer SELECT 1.",
  async run({ target, signal }) {
    try {
      await withDatabase(target.databaseUrl, signal, "read-only", (client) => client.query("SELECT 1"));
      return { status: "passed" };
    } catch (err) {
      if (err instanceof BlockedAddressError) return dbCheckError(err);
      const { code, message } = describeDbError(err);
      const authFailed = code === "auth_failed";
      if (authFailed) return { status: "passed", evidence: { reachable: true, note: "the server answers but rejects the credentials: see db.auth_failed" } };
      return {
        status: "issues",
        issues: [
          {
            severity: "critical",
            title: "The database cannot be reached",
            description: `${message} Every page that reads data fails while this lasts.`,
            subject: redactDatabaseUrl(target.databaseUrl),
            evidence: { database: redactDatabaseUrl(target.databaseUrl), errorCode: code },
            recommendation: "Check that PostgreSQL is running and listening on the host and port of the URL, and that no firewall is in between.",
          },
        ],
      };
    }
  },
};
