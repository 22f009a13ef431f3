// Who calls the app in the security spec: real sessions from the login form, and sessions an
// attacker could present (random bytes, a genuine but expired token, an unsigned JWT).
import { randomBytes } from "node:crypto";
import type { Browser } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { login } from "./login";
import { ADMIN, E2E_AUTH_SECRET, VIEWER } from "./users";

export type Identity = "anonymous" | "viewer" | "admin" | "forged" | "expired" | "unsigned";
export const IDENTITIES: Identity[] = ["anonymous", "forged", "expired", "unsigned", "viewer", "admin"];
/** Identities the app must treat exactly like nobody. */
export const NOBODY: Identity[] = ["anonymous", "forged", "expired", "unsigned"];

const SESSION_COOKIE = "authjs.session-token"; // plain http: no __Secure- prefix

async function signedInCookie(browser: Browser, baseURL: string, user: { email: string; password: string }): Promise<string> {
  const context = await browser.newContext({ baseURL });
  try {
    await login(await context.newPage(), user);
    return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await context.close();
  }
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A Cookie header per identity (none for anonymous). The forged ones claim the admin's id. */
export async function identityCookies(browser: Browser, baseURL: string): Promise<Record<Identity, string | undefined> & { admin: string }> {
  const admin = await signedInCookie(browser, baseURL, ADMIN);
  const viewer = await signedInCookie(browser, baseURL, VIEWER);
  const session = (await (await fetch(`${baseURL}/api/auth/session`, { headers: { cookie: admin } })).json()) as { user: { id: string } };
  const claims = { sub: session.user.id, email: ADMIN.email, role: "ADMIN" };
  // Encrypted with the app's real secret, so only its expiry makes it invalid.
  const expired = await encode({ token: claims, secret: E2E_AUTH_SECRET, salt: SESSION_COOKIE, maxAge: -3600 });
  const unsigned = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ ...claims, exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
  return {
    anonymous: undefined,
    viewer,
    admin,
    forged: `${SESSION_COOKIE}=${randomBytes(96).toString("base64url")}`,
    expired: `${SESSION_COOKIE}=${expired}`,
    unsigned: `${SESSION_COOKIE}=${unsigned}`,
  };
}

export interface Answer {
  status: number;
  url: string;
  contentType: string;
  text: string;
}

/** One HTTP call; a Server-Sent Events stream is cut after its headers (it would follow a run). */
export async function call(url: string, init: { method?: string; cookie?: string; headers?: Record<string, string>; body?: unknown; follow?: boolean } = {}): Promise<Answer> {
  const controller = new AbortController();
  const headers: Record<string, string> = { ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    redirect: init.follow === false ? "manual" : "follow",
    signal: controller.signal,
  });
  const contentType = res.headers.get("content-type") ?? "";
  if (contentType.startsWith("text/event-stream")) {
    controller.abort();
    return { status: res.status, url: res.url, contentType, text: "" };
  }
  return { status: res.status, url: res.url, contentType, text: await res.text() };
}
