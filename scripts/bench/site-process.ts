// The fault site in a process of its own for the full runs: a real target runs elsewhere, and
// served from the bench's own process its pages (a 4 MB one, TLS handshakes for every probe)
// would compete with the engine for one event loop and show up as latency of the target.
// Run as a script, this file is the child: it starts the site and prints its URLs.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Faults, startFaultSite } from "../../fixtures/test/fault-site";

interface SiteOptions {
  faults: Faults;
  tls?: { cert: string; key: string };
  host?: string;
}

export interface SiteProcess {
  url: string;
  close(): Promise<void>;
}

export async function startSiteProcess(options: SiteOptions): Promise<SiteProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    env: { ...process.env, FAULT_SITE_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the fault site process exited (${code})`))));
  const ready = new Promise<string>((resolve) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  const url = await Promise.race([ready, exited]);
  exited.catch(() => {}); // exiting is expected once closed
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function child(): Promise<void> {
  const options = JSON.parse(process.env.FAULT_SITE_OPTIONS ?? "{}") as SiteOptions;
  const site = await startFaultSite(options);
  process.once("SIGTERM", () => void site.close().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: site.url })}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void child();
