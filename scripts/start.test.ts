// `npm start` listens on loopback unless HOST says otherwise, and prints no network address (it may
// just have printed the first admin's generated password). Runs the real scripts/start.ts on a
// test database with the existing Next.js build.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../fixtures/test/databases";
import { freePort } from "./lib/embedded-postgres";
import { hasBuild, listenOptions, stopChild } from "./lib/next-process";

/** This machine's addresses that other machines can reach (none on a loopback-only box). */
const networkAddresses = Object.values(os.networkInterfaces())
  .flatMap((list) => list ?? [])
  .filter((a) => !a.internal && !a.address.startsWith("fe80:")) // link-local needs a scope id to connect
  .map((a) => a.address);

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once("connect", () => socket.end(() => resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child) await stopChild(child);
  child = undefined;
});

/** Starts scripts/start.ts; resolves with everything it printed once it says it is ready. */
async function start(env: Record<string, string>): Promise<string> {
  const childEnv = { ...process.env, ...env };
  delete childEnv.HOST; // the defaults are under test
  delete childEnv.AUTH_URL;
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  child = proc;
  let printed = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      if (/\[troubleshooter\] ready: .*\n/.test(printed)) setTimeout(() => resolve(printed), 500); // Next's own lines too
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", (code) => reject(new Error(`start exited ${code}:\n${printed}`)));
  });
}

describe("npm start's listening address", () => {
  it("HOST is validated and defaults to loopback", () => {
    expect(listenOptions({}).host).toBe("127.0.0.1");
    expect(listenOptions({}).exposed).toBe(false);
    expect(listenOptions({ HOST: "0.0.0.0" }).exposed).toBe(true);
    expect(listenOptions({ HOST: "0.0.0.0" }).url(3000)).toBe("http://localhost:3000");
    expect(() => listenOptions({ HOST: "example.com; rm" })).toThrow(/HOST|must be an IP address/);
  });

  it.skipIf(!hasBuild() || networkAddresses.length === 0)(
    "answers on loopback only and prints no network address (skipped without a next build or a non-loopback address)",
    async () => {
      const port = await freePort();
      const printed = await start({
        DATABASE_URL: await createTestDatabase(),
        AUTH_SECRET: "start-test-secret-".repeat(2),
        ADMIN_PASSWORD: "start-test-password",
        PORT: String(port),
      });
      expect(await answers("127.0.0.1", port)).toBe(true);
      for (const address of networkAddresses) {
        expect(await answers(address, port), `answers on ${address}`).toBe(false);
        expect(printed).not.toContain(address);
      }
      expect(printed).toContain(`ready: http://localhost:${port}/admin/troubleshooting`);
    },
    120_000,
  );
});
