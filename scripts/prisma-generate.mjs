// Runs `prisma generate` without the native schema engine, which cannot be downloaded here:
// generate only needs PRISMA_SCHEMA_ENGINE_BINARY to name an existing file (it uses WASM).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
// Resolved as Node resolves it: in a host, npm puts prisma in the host's node_modules, not ours.
const prismaBin = createRequire(import.meta.url).resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [prismaBin, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
