import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { startTargetServer } from "../../fixtures/test/target-server";
import { runReportSchema } from "../../lib/troubleshooting/report";
import { EXIT } from "../cli/exit-codes";
import { bundle } from "./launch.mjs";

const LAUNCHER = path.resolve(import.meta.dirname, "launch.mjs");

function run(command: string, args: string[], env: Record<string, string> = {}, options: { cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, cwd: options.cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the command launcher (cached esbuild bundle, plain node)", () => {
  it("builds once, reuses the bundle while its sources are unchanged, rebuilds when one changes, keeps a lazy import in a chunk of its own", async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-launch-"));
    const cache = path.join(work, "cache");
    const entry = path.join(work, "command.ts");
    await writeFile(path.join(work, "greeting.ts"), `export const greeting: string = "hello";\n`);
    await writeFile(path.join(work, "lazy.ts"), `export const lazy = "LAZY-MARKER";\n`);
    await writeFile(
      entry,
      `import { greeting } from "./greeting";\nconst extra = process.argv[2] === "lazy" ? (await import("./lazy")).lazy : "";\nconsole.log(greeting, process.argv.slice(2).join(","), extra);\n`,
    );

    const first = await bundle(entry, cache);
    expect(first.built).toBe(true);
    expect(await readFile(first.file, "utf8")).not.toContain("LAZY-MARKER");
    expect((await run(process.execPath, [first.file, "a", "b"])).stdout).toBe("hello a,b \n");
    expect((await run(process.execPath, [first.file, "lazy"])).stdout).toBe("hello lazy LAZY-MARKER\n");

    expect(await bundle(entry, cache)).toEqual({ file: first.file, built: false });

    await writeFile(path.join(work, "greeting.ts"), `export const greeting: string = "hello again";\n`);
    const second = await bundle(entry, cache);
    expect(second.built).toBe(true);
    expect((await run(process.execPath, [second.file])).stdout).toBe("hello again  \n");
    // one manifest and the builds of this command, in a folder named after it
    expect((await readdir(cache)).length).toBe(1);
  });

  it("runs a command with its arguments as the command's own (process.argv[1] is the .ts)", async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), "troubleshooter-launch-"));
    const entry = path.join(work, "argv.ts");
    await writeFile(entry, `console.log(JSON.stringify(process.argv.slice(1)));\n`);
    const { code, stdout } = await run(process.execPath, [LAUNCHER, entry, "--json", "x"], { TROUBLESHOOTER_BUNDLE_CACHE: path.join(work, "cache") });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([entry, "--json", "x"]);
  });

  it("npm run troubleshoot goes through it: a database-only run migrates (migrations found from the bundle) and reports JSON", async () => {
    const databaseUrl = await createTestDatabase({ migrate: false });
    const target = await startTargetServer({ status: 200 });
    try {
      const { code, stdout, stderr } = await run("npm", ["run", "-s", "troubleshoot", "--", "--json", "--no-browser", "--domains", "database", "--base-url", target.url], {
        DATABASE_URL: databaseUrl,
        AUTH_SECRET: "c".repeat(40),
      });
      expect([EXIT.clean, EXIT.findings], stderr).toContain(code);
      expect(runReportSchema.parse(JSON.parse(stdout))).toMatchObject({ status: "completed", trigger: "cli" });
    } finally {
      await target.close();
    }
  });

  it("./troubleshoot is the same command without npm, from any folder: the report on stdout, the exit codes, the usage", async () => {
    const databaseUrl = await createTestDatabase();
    const target = await startTargetServer({ status: 200 });
    const command = path.resolve(import.meta.dirname, "../../troubleshoot");
    const elsewhere = { cwd: os.tmpdir() };
    try {
      const env = { DATABASE_URL: databaseUrl, AUTH_SECRET: "c".repeat(40) };
      const { code, stdout, stderr } = await run(command, ["--json", "--no-browser", "--domains", "database", "--base-url", target.url], env, elsewhere);
      expect([EXIT.clean, EXIT.findings], stderr).toContain(code);
      expect(runReportSchema.parse(JSON.parse(stdout))).toMatchObject({ status: "completed", trigger: "cli" });
      const bad = await run(command, ["--domains", "dns"], env, elsewhere);
      expect(bad.code).toBe(EXIT.usage);
      expect(bad.stderr).toContain('--domains: "dns" is not a domain');
      const help = await run(command, ["--help"], env, elsewhere);
      expect(help.code).toBe(EXIT.clean);
      expect(help.stdout).toContain("./troubleshoot [options] is the same command without npm");
    } finally {
      await target.close();
    }
  });
});
