// Builds and serves the Next.js app as a child process.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { z } from "zod";

export const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

export function hasBuild(dir = process.cwd()): boolean {
  return existsSync(path.join(dir, ".next", "BUILD_ID"));
}

export function runNext(args: string[], env: NodeJS.ProcessEnv, stdio: "inherit" | "pipe" = "inherit"): ChildProcess {
  return spawn(process.execPath, [nextBin, ...args], { env: { NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio });
}

export function buildNext(env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    runNext(["build"], env).on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}`))));
  });
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const WILDCARD = new Set(["0.0.0.0", "::"]);

const hostOption = z.object({
  // Empty counts as unset, as env files often leave it.
  HOST: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z
      .string()
      .trim()
      .default("127.0.0.1")
      .refine((host) => host === "localhost" || net.isIP(host) !== 0, "must be an IP address of this machine (0.0.0.0 for every interface) or localhost"),
  ),
});

export interface ListenOptions {
  /** What `next start --hostname` binds: 127.0.0.1 unless HOST says otherwise. */
  host: string;
  /** Where this process checks that Next.js accepts connections. */
  probeHost: string;
  /** True when the server can be reached from other machines. */
  exposed: boolean;
  /** The URL to print: http://localhost:PORT unless bound to one other address. */
  url(port: number): string;
}

/** The listening address from HOST (default loopback; a bad value throws a ZodError naming HOST). */
export function listenOptions(source: Record<string, string | undefined>): ListenOptions {
  const { HOST: host } = hostOption.parse(source);
  const specific = !LOOPBACK.has(host) && !WILDCARD.has(host);
  const shown = specific ? (net.isIPv6(host) ? `[${host}]` : host) : "localhost";
  return {
    host,
    probeHost: specific || host === "localhost" ? host : host === "::" || host === "::1" ? "::1" : "127.0.0.1",
    exposed: !LOOPBACK.has(host),
    url: (port) => `http://${shown}:${port}`,
  };
}

/** Resolves once something accepts connections on host:port; rejects if `child` exits first. */
export async function waitForPort(port: number, child: ChildProcess, timeoutMs = 120_000, host = "127.0.0.1"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Next.js exited with code ${child.exitCode} before it was ready`);
    if (await canConnect(port, host)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Next.js was not listening on port ${port} after ${timeoutMs / 1000} s`);
}

function canConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once("connect", () => socket.end(() => resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** SIGTERM, then SIGKILL after a grace period. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
