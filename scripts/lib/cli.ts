// Shared frame for the small database CLIs: run, print a clear error, exit explicitly (the WASM
// schema engine leaves a timer that would otherwise keep the process alive for 10 s).
import { localConfig, startLocalDatabase } from "./local-database";

export async function withLocalDatabase(name: string, work: (databaseUrl: string) => Promise<void>): Promise<never> {
  const log = (line: string) => console.error(`[${name}] ${line}`);
  let code = 0;
  try {
    const config = await localConfig();
    const server = await startLocalDatabase(config, log);
    try {
      await work(config.databaseUrl);
    } finally {
      await server?.stop();
    }
  } catch (err) {
    log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  }
  process.exit(code);
}
