import { type DbError, describeDbError } from "../../../health/pg-errors";
import type { Check, IssueDraft } from "../../catalogue";
import { sqlIdentifier } from "../../fixes/quote";
import { redactDatabaseUrl, withDatabase } from "../../probes/database";
import { dbCheckError } from "./shared";

/** Which gate refused: the password check (28P01), pg_hba.conf before any password (28000
 * "no pg_hba.conf entry" / "pg_hba.conf rejects"), or the role itself (28000 NOLOGIN). */
type AuthCause = "password" | "pg_hba" | "nologin" | "other";

function causeOf(error: DbError): AuthCause {
  const said = error.serverMessage ?? "";
  if (error.sqlstate === "28P01" || /password authentication failed/i.test(said)) return "password";
  if (/pg_hba\.conf/i.test(said)) return "pg_hba";
  if (/not permitted to log in/i.test(said)) return "nologin";
  return error.code === "auth_failed" ? "password" : "other";
}

function adviceFor(cause: AuthCause, error: DbError, user: string): Pick<IssueDraft, "title" | "description" | "recommendation"> {
  const said = error.serverMessage ? ` PostgreSQL said: "${error.serverMessage}".` : "";
  switch (cause) {
    case "password":
      return {
        title: "The database rejects the application's password",
        description: `The server checked the password of role ${user} and refused it; every query of the app fails.${said} (PostgreSQL gives the same answer when the role does not exist, so as not to reveal which roles do.)`,
        recommendation:
          `Compare the password in the database URL with the role's (as an admin: ALTER ROLE ${sqlIdentifier(user)} PASSWORD '…';), check that the role exists (SELECT 1 FROM pg_roles WHERE rolname = …), ` +
          "and that special characters in the password are percent-encoded in the URL; redeploy with the corrected secret.",
      };
    case "pg_hba":
      return {
        title: "pg_hba.conf refuses this client before any password is checked",
        description: `No pg_hba.conf line lets this host, role and database in (or a reject line matches), so the password was never checked; every query of the app fails.${said}`,
        recommendation:
          `${/no encryption|SSL off/i.test(error.serverMessage ?? "") ? "The attempt was not encrypted: if the server only has hostssl lines for this host (managed services usually do), add sslmode=require to the URL. Otherwise add " : "Add "}` +
          `a line such as host <database> ${user} <app's address>/32 scram-sha-256 to pg_hba.conf and reload (SELECT pg_reload_conf();), or on a managed service allow the app's IP address in its network settings.`,
      };
    case "nologin":
      return {
        title: "The application's role may not log in",
        description: `The role ${user} exists but has NOLOGIN; every query of the app fails.${said}`,
        recommendation: `As an admin: ALTER ROLE ${sqlIdentifier(user)} LOGIN; (or point the URL at the login role meant for the app).`,
      };
    default:
      return {
        title: "The database rejects the application's connection",
        description: `PostgreSQL refused the role or client during authentication; every query of the app fails.${said}`,
        recommendation: "Check the role and pg_hba.conf against the server log, which names the exact rule or reason.",
      };
  }
}

export const dbAuthFailed: Check = {
  code: "db.auth_failed",
  domain: "database",
  title: "Database credentials rejected",
  description:
    "The server must accept the user and password of the database URL (critical when it does not). Tells a wrong password (28P01) from pg_hba.conf refusing the client or a NOLOGIN role (28000), by PostgreSQL's message.",
  async run({ target, signal }) {
    try {
      await withDatabase(target.databaseUrl, signal, "read-only", (client) => client.query("SELECT 1"));
      return { status: "passed" };
    } catch (err) {
      const error = describeDbError(err);
      if (error.code !== "auth_failed" && error.code !== "access_rejected") return dbCheckError(err);
      const database = redactDatabaseUrl(target.databaseUrl);
      const user = decodeURIComponent(new URL(target.databaseUrl).username);
      const cause = causeOf(error);
      return {
        status: "issues",
        issues: [
          {
            severity: "critical",
            ...adviceFor(cause, error, user),
            subject: database,
            evidence: {
              database,
              user,
              errorCode: error.code,
              cause,
              ...(error.sqlstate ? { sqlstate: error.sqlstate } : {}),
              ...(error.serverMessage ? { serverMessage: error.serverMessage } : {}),
              ...(error.serverDetail ? { serverDetail: error.serverDetail } : {}),
            },
          },
        ],
      };
    }
  },
};
