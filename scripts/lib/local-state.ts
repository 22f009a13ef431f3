// Secrets of a local install, generated once and kept under .data/ (git-ignored, mode 0600).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const stateSchema = z.object({ authSecret: z.string().min(32), pgPassword: z.string().min(16) });
export type LocalState = z.infer<typeof stateSchema>;

export async function loadLocalState(dataDir: string): Promise<LocalState> {
  const file = path.join(dataDir, "local.json");
  if (existsSync(file)) {
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (parsed.success) return parsed.data;
    throw new Error(`${file} is damaged; move it away to generate new local secrets`);
  }
  const state = { authSecret: randomBytes(32).toString("base64url"), pgPassword: randomBytes(18).toString("base64url") };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}
