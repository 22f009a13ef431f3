import { describeDbError } from "../../../health/pg-errors";
import type { Check } from "../../catalogue";
import { redactDatabaseUrl, withDatabase } from "../../probes/database";
import { dbCheckError } from "./shared";

export const dbAuthFailed: Check = {
  code: "db.auth_failed",
  domain: "database",
  title: "Database credentials rejected",
  description: "The server must accept the user and password of the database URL (critical when it does not).",
  async run({ target, signal }) {
    try {
      await withDatabase(target.databaseUrl, signal, "read-only", (client) => client.query("SELECT 1"));
      return { status: "passed" };
    } catch (err) {
      if (describeDbError(err).code !== "auth_failed") return dbCheckError(err);
      const database = redactDatabaseUrl(target.databaseUrl);
      return {
        status: "issues",
        issues: [
          {
            severity: "critical",
            title: "The database rejects the application's credentials",
            description: "PostgreSQL answers but refuses the user or password of the database URL; every query of the app fails.",
            subject: database,
            evidence: { database, user: new URL(target.databaseUrl).username, errorCode: "auth_failed" },
            recommendation: "Compare the user and password in the database URL with the server's roles (ALTER ROLE ... PASSWORD) and pg_hba.conf; redeploy with the corrected secret.",
          },
        ],
      };
    }
  },
};
