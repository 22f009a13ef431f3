// Where the add-on lives in each Playwright project, so that one spec runs against both: the
// standalone app (its own sign-in, the add-on's default paths) and the platform twin that mounts
// it (the twin's sign-in and users, the add-on at other paths: nothing may be hard-coded).
// Specs take every path and account from here (the `mount` fixture of ./test.ts), never literals.
import { TWIN_ADMIN, TWIN_USER } from "../../fixtures/test/platform-twin";
import { ADMIN, VIEWER } from "./users";

type MountMode = "standalone" | "mounted";

export interface Account {
  email: string;
  password: string;
}

/** One project's add-on: plain data (Playwright hands fixture options to its workers). */
export interface Mount {
  mode: MountMode;
  /** The add-on's page, e.g. "/admin/troubleshooting" (no trailing slash). */
  page: string;
  /** The add-on's API, e.g. "/api/admin/bots" (no trailing slash). */
  api: string;
  /** An administrator of the add-on, signing in through the app's /login form. */
  admin: Account;
  /** A signed-in user who is not allowed in (the standalone viewer, the host's plain user). */
  viewer: Account;
  /** The password of the app's embedded PostgreSQL, which nothing may ever show. */
  databasePassword: string;
}

export const STANDALONE: Mount = {
  mode: "standalone",
  page: "/admin/troubleshooting",
  api: "/api/admin/bots",
  admin: ADMIN,
  viewer: VIEWER,
  databasePassword: "e2e-db-password",
};

/** The twin mounts its page at its admin area's natural place and its API elsewhere than the
 * add-on's default (fixtures/platform/lib/troubleshooter.ts). */
export const MOUNTED: Mount = {
  mode: "mounted",
  page: "/admin/troubleshooting",
  api: "/api/admin/troubleshooter",
  admin: TWIN_ADMIN,
  viewer: TWIN_USER,
  databasePassword: "e2e-twin-db-password",
};

/** The environment variables global-setup.ts sets for each mode's databases. */
const DATABASE_ENV: Record<MountMode, { owner: string; appRole: string }> = {
  standalone: { owner: "E2E_DATABASE_URL", appRole: "E2E_APP_ROLE_DATABASE_URL" },
  mounted: { owner: "E2E_TWIN_DATABASE_URL", appRole: "E2E_TWIN_APP_ROLE_DATABASE_URL" },
};

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: e2e/global-setup.ts starts this project's app`);
  return value;
}

/** The database the add-on keeps its tables in (schema "troubleshooter"), as its owner. */
export const addonDatabaseUrl = (mount: Mount) => fromEnv(DATABASE_ENV[mount.mode].owner);

/** The platform's database that the add-on diagnoses, as a non-superuser application role. */
export const platformDatabaseUrl = (mount: Mount) => fromEnv(DATABASE_ENV[mount.mode].appRole);

/** The file that holds everything the project's server printed (stdout and stderr). */
export const serverLogFile = (mount: Mount) => fromEnv(mount.mode === "mounted" ? "E2E_TWIN_SERVER_LOG" : "E2E_SERVER_LOG");

/** A RegExp for URLs whose path is `base` (escaped) then `rest` (a RegExp source), e.g.
 * pathRegExp(mount.page, "/runs/[a-z0-9]+$") for waitForURL and toHaveURL. */
export function pathRegExp(base: string, rest = ""): RegExp {
  return new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${rest}`);
}
