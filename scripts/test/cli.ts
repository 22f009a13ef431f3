// `npm run troubleshoot` as a child process, as a script or a person runs it.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/troubleshoot.ts with `args` and the product's `env` (added to this process's). */
export function runTroubleshootCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, "scripts/troubleshoot.ts", ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
