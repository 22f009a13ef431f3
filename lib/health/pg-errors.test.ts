// describeDbError on errors captured from a real PostgreSQL 18 (the vitest server), and on the
// shapes other drivers wrap them in (Prisma's adapter) where the server cannot be made to say it.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { asAppRole } from "../../fixtures/test/checks";
import { freePort } from "../../scripts/lib/embedded-postgres";
import { describeDbError, isConnectionFailure, scrubServerText } from "./pg-errors";

let url: string;
let appUrl: string;
const suffix = randomUUID().replaceAll("-", "").slice(0, 8);
const admin = () => new pg.Client({ connectionString: url });

/** The error PostgreSQL (or node-pg) gives when `as` connects and runs `sql`. */
async function captured(as: string, sql = "SELECT 1", ssl?: pg.ClientConfig["ssl"]): Promise<unknown> {
  const client = new pg.Client({ connectionString: as, ssl });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query(sql);
  } catch (err) {
    return err;
  } finally {
    await client.end().catch(() => {});
  }
  throw new Error(`no error from ${sql}`);
}

const withPath = (base: string, change: (u: URL) => void) => {
  const u = new URL(base);
  change(u);
  return u.toString();
};

beforeAll(async () => {
  url = await createTestDatabase({ migrate: false });
  appUrl = await asAppRole(url);
  const c = admin();
  await c.connect();
  try {
    await c.query(`CREATE ROLE nologin_${suffix} PASSWORD 'x'; CREATE ROLE capped_${suffix} LOGIN PASSWORD 'capped-pw' CONNECTION LIMIT 0`);
    await c.query(`CREATE DATABASE closed_${suffix} ALLOW_CONNECTIONS false`);
    await c.query(`CREATE DATABASE private_${suffix}`);
    await c.query(`REVOKE CONNECT ON DATABASE private_${suffix} FROM PUBLIC`);
    await c.query(`CREATE DATABASE full_${suffix} CONNECTION LIMIT 0`);
  } finally {
    await c.end();
  }
});
afterAll(async () => {
  const c = admin();
  await c.connect();
  try {
    for (const db of ["closed", "private", "full"]) await c.query(`DROP DATABASE IF EXISTS ${db}_${suffix}`);
    await c.query(`DROP ROLE IF EXISTS nologin_${suffix}; DROP ROLE IF EXISTS capped_${suffix}`);
  } finally {
    await c.end();
  }
});

describe("describeDbError on the server's own errors", () => {
  it("keeps the SQLSTATE and message of a wrong password (28P01), never the password", async () => {
    const err = await captured(withPath(appUrl, (u) => (u.password = "wrong-secret")));
    const described = describeDbError(err);
    expect(described).toMatchObject({ code: "auth_failed", sqlstate: "28P01", serverMessage: 'password authentication failed for user "app_user"' });
    expect(JSON.stringify(described)).not.toContain("wrong-secret");
    expect(isConnectionFailure(described)).toBe(true);
  });

  it("tells a NOLOGIN role (28000) and a missing database (3D000)", async () => {
    const nologin = describeDbError(await captured(withPath(url, (u) => ((u.username = `nologin_${suffix}`), (u.password = "x")))));
    expect(nologin).toMatchObject({ code: "access_rejected", sqlstate: "28000", serverMessage: `role "nologin_${suffix}" is not permitted to log in`, message: expect.stringContaining("NOLOGIN") });
    const missing = describeDbError(await captured(withPath(url, (u) => (u.pathname = `/nowhere_${suffix}`))));
    expect(missing).toMatchObject({ code: "database_missing", sqlstate: "3D000", serverMessage: `database "nowhere_${suffix}" does not exist` });
  });

  it("names a role's and a database's CONNECTION LIMIT (53300), and the database closed to connections (55000)", async () => {
    const role = describeDbError(await captured(withPath(url, (u) => ((u.username = `capped_${suffix}`), (u.password = "capped-pw")))));
    expect(role).toMatchObject({ code: "too_many_connections", sqlstate: "53300", connectionLimit: { kind: "role", name: `capped_${suffix}` } });
    const database = describeDbError(await captured(withPath(appUrl, (u) => (u.pathname = `/full_${suffix}`))));
    expect(database).toMatchObject({ code: "too_many_connections", sqlstate: "53300", connectionLimit: { kind: "database", name: `full_${suffix}` } });
    const closed = describeDbError(await captured(withPath(url, (u) => (u.pathname = `/closed_${suffix}`))));
    expect(closed).toMatchObject({ code: "database_closed", sqlstate: "55000", serverMessage: `database "closed_${suffix}" is not currently accepting connections` });
  });

  it("tells a missing CONNECT privilege (a connection failure) from a monitoring privilege a query lacks (42501)", async () => {
    const connect = describeDbError(await captured(withPath(appUrl, (u) => (u.pathname = `/private_${suffix}`))));
    expect(connect).toMatchObject({ code: "insufficient_privilege", sqlstate: "42501", serverMessage: `permission denied for database "private_${suffix}"`, serverDetail: "User does not have CONNECT privilege." });
    expect(isConnectionFailure(connect)).toBe(true);
    const setting = describeDbError(await captured(appUrl, "SELECT current_setting('shared_preload_libraries')"));
    expect(setting).toMatchObject({ code: "insufficient_privilege", sqlstate: "42501", serverMessage: 'permission denied to examine "shared_preload_libraries"' });
    expect(setting.serverDetail).toContain("pg_read_all_settings");
    expect(isConnectionFailure(setting)).toBe(false);
  });

  it("reports a session ended by an administrator (57P01), a refused port and a server without TLS", async () => {
    const victim = new pg.Client({ connectionString: appUrl });
    victim.on("error", () => {});
    await victim.connect();
    const { rows } = await victim.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const killer = admin();
    await killer.connect();
    const ended = victim.query("SELECT pg_sleep(30)").then(() => null, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    await killer.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    await killer.end();
    expect(describeDbError(await ended)).toMatchObject({ code: "server_stopping", sqlstate: "57P01", serverMessage: "terminating connection due to administrator command" });
    await victim.end().catch(() => {});

    const port = String(await freePort());
    const refused = describeDbError(await captured(withPath(url, (u) => (u.port = port))));
    expect(refused).toMatchObject({ code: "unreachable", message: expect.stringContaining("refused") });
    expect(refused.sqlstate).toBeUndefined();

    const tls = describeDbError(await captured(url, "SELECT 1", { rejectUnauthorized: false }));
    expect(tls).toMatchObject({ code: "tls_error", message: expect.stringContaining("does not offer it") });
  });

  it("reads the same words out of Prisma's driver-adapter errors (53300, and kind postgres)", () => {
    // The shape @prisma/adapter-pg gives a PrismaClientKnownRequestError's meta (convertDriverError).
    const tooMany = { name: "DriverAdapterError", clientVersion: "7.10.0", code: "P2037", meta: { driverAdapterError: { cause: { kind: "TooManyConnections", cause: "sorry, too many clients already", originalCode: "53300", originalMessage: "sorry, too many clients already" } } } };
    expect(describeDbError(tooMany)).toMatchObject({ code: "too_many_connections", sqlstate: "53300", serverMessage: "sorry, too many clients already", connectionLimit: { kind: "server" } });
    const generic = { clientVersion: "7.10.0", code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", code: "53100", severity: "ERROR", message: 'could not extend file "base/16384/16385": No space left on device', detail: undefined, hint: "Check free disk space." } } } };
    expect(describeDbError(generic)).toMatchObject({ code: "disk_full", sqlstate: "53100", serverHint: "Check free disk space." });
    // A Prisma code is not an SQLSTATE.
    expect(describeDbError({ clientVersion: "7.10.0", code: "P1001", message: "Can't reach database server" }).sqlstate).toBeUndefined();
  });

  it("refines 57P03 by its message and recognises a managed service's TLS requirement", () => {
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: "FATAL" });
    expect(describeDbError(pgError("57P03", "the database system is starting up")).code).toBe("server_starting");
    expect(describeDbError(pgError("57P03", "the database system is shutting down")).code).toBe("server_stopping");
    expect(describeDbError(pgError("57P03", "the database system is not yet accepting connections")).code).toBe("server_starting");
    expect(describeDbError(pgError("57P02", "terminating connection because of crash of another server process")).code).toBe("server_crashed");
    expect(describeDbError(pgError("53200", "out of memory")).code).toBe("out_of_memory");
    expect(describeDbError(pgError("28000", "SSL connection is required. Please specify SSL options and retry.")).code).toBe("tls_required");
    // PostgreSQL's own "no encryption" alone does not prove TLS is required: pg_hba, with a hint.
    const hba = describeDbError(pgError("28000", 'no pg_hba.conf entry for host "10.0.0.5", user "app", database "shop", no encryption'));
    expect(hba).toMatchObject({ code: "access_rejected", message: expect.stringContaining("sslmode=require") });
  });

  it("scrubs credentials that a message might carry", () => {
    expect(scrubServerText('could not connect to postgresql://app:s3cret@db.internal:5432/shop')).toBe("could not connect to postgresql://***@db.internal:5432/shop");
    expect(scrubServerText("invalid option password=s3cret host=x")).toBe("invalid option password=*** host=x");
    const described = describeDbError(Object.assign(new Error("boom postgres://u:pw@h/db"), { code: "XX000", severity: "ERROR" }));
    expect(described).toMatchObject({ code: "error", sqlstate: "XX000", serverMessage: "boom postgres://***@h/db" });
  });
});
